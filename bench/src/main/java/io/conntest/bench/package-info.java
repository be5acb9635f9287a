/** Benchmarks: JMH micro-benchmarks and the end-to-end runner that measures the stack beside the kernel. */
package io.conntest.bench;
