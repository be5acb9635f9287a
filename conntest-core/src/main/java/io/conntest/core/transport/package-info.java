/**
 * The transport abstraction the engine runs on: non-blocking, event-driven, single-threaded and driven by
 * {@link io.conntest.core.transport.Transport#poll(long)} like the userspace stack. Implementations: kernel sockets
 * on an NIO selector ({@code KernelTransport}) and an in-memory network on a manual clock
 * ({@code InMemoryTransport}). Knows nothing of the conntest protocol (except that the test link
 * {@code LinkFaults} recognises a frame type in a datagram to drop it); may not touch the engine or
 * {@code io.conntest.core.rudp} internals (it only uses the rudp channel's public API for UDP).
 */
package io.conntest.core.transport;
