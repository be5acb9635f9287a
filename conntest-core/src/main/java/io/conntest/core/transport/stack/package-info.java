/**
 * The {@code tap} transport: the engine and the port prober over the project's own userspace stack
 * ({@code io.conntest.stack}) on any {@link io.conntest.stack.phy.FrameDevice} — a TAP device in the cli, an
 * in-memory device pair in tests. {@link io.conntest.core.transport.stack.StackHost} owns the device, the
 * {@link io.conntest.stack.NetworkStack} and its TCP; {@link io.conntest.core.transport.stack.StackTransport} maps
 * TCP sockets and reliable-UDP channels onto the engine's {@link io.conntest.core.transport.Transport};
 * {@link io.conntest.core.transport.stack.StackPortProber} probes ports from the same stack.
 *
 * <p>Owns only this package. It uses the stack, the transport interface and the reliable-UDP channel through their
 * public APIs and may not touch their internals, the engine or the kernel transport. Single-threaded except
 * {@link io.conntest.core.transport.stack.StackHost#wakeup()}.
 */
package io.conntest.core.transport.stack;
