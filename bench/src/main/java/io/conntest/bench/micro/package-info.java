/** JMH micro-benchmarks of the per-packet paths; each is run with {@code -prof gc} to show zero allocation. */
package io.conntest.bench.micro;
