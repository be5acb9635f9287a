/**
 * The end-to-end runner: a private network-namespace lab (a bridge with TAPs for the userspace stack and the raw
 * frame pump, and a veth pair to a second namespace for kernel-to-kernel references), the scenarios run in it,
 * and {@link io.conntest.bench.e2e.BenchRunner}, the main that runs them and writes the report. Everything it
 * creates lives in namespaces named {@code ct-bench-*} with no route out and is removed when it ends, also on
 * interruption. It may not touch the host's root namespace.
 */
package io.conntest.bench.e2e;
