/**
 * Port probing, the nmap alternative: which TCP and UDP ports of a host are reachable from this instance's position.
 *
 * <p>Owns the nmap port syntax ({@link io.conntest.core.probe.PortSpec}), the result model ({@link
 * io.conntest.core.probe.PortState}, {@link io.conntest.core.probe.ProbeReason}, {@link
 * io.conntest.core.probe.ProbeResult}, {@link io.conntest.core.probe.ProbeReport}), the asynchronous prober contract
 * ({@link io.conntest.core.probe.PortProber}) with its kernel-socket implementation ({@link
 * io.conntest.core.probe.KernelPortProber}), and the loop that paces a whole scan ({@link
 * io.conntest.core.probe.ProbeRunner}).
 *
 * <p>It may not touch the engine, the conntest protocol codec or the command line: a userspace-stack prober
 * implements {@link io.conntest.core.probe.PortProber} elsewhere, and the CLI only calls {@link
 * io.conntest.core.probe.ProbeRunner} and prints what its {@link io.conntest.core.probe.ProbeListener} is told.
 * Nothing here configures the network; tests that need firewall rules do so inside namespaces they create.
 */
package io.conntest.core.probe;
