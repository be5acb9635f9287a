/**
 * The Prometheus/OpenMetrics endpoint of {@code --metrics}: a collector that turns the engine's latest published
 * snapshot into series with the official Java client (never hand-written exposition), fed like every output from
 * the dispatcher thread and read by the scrape from one atomic reference, so a scrape never blocks or touches the
 * engine thread. The series are listed in docs/metrics.md.
 */
package io.conntest.cli.metrics;
