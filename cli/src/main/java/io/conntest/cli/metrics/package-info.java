/**
 * The Prometheus/OpenMetrics endpoint of {@code --metrics}: collectors that turn the engine's latest published
 * snapshot (and {@code conntest probe}'s last complete scan) into series with the official Java client (never
 * hand-written exposition), fed like every output from the dispatcher thread and read by the scrape from one
 * atomic reference, so a scrape never blocks or touches the engine thread. The series are listed in
 * docs/metrics.md.
 */
package io.conntest.cli.metrics;
