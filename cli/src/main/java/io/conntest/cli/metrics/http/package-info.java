/**
 * {@code --metrics-on-stack}: the metrics endpoint served over HTTP/1.1 by the instance's own stack (any
 * {@link io.conntest.core.transport.Transport}), on the engine's thread beside its listeners and peers, so a fleet
 * of instances in the unikernel position is scraped over the network they test. The engine thread parses bounded
 * request heads and copies out bytes the official Prometheus client rendered on another thread; every phase of a
 * connection has a bound (docs/metrics.md, {@link io.conntest.cli.metrics.http.HttpLimits}).
 */
package io.conntest.cli.metrics.http;
