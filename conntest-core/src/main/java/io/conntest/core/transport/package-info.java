/**
 * The transport abstraction the engine runs on: non-blocking, event-driven, single-threaded and driven by
 * {@link io.conntest.core.transport.Transport#poll(long)} like the userspace stack. Implementations: kernel sockets
 * on an NIO selector ({@code KernelTransport}) and the own stack ({@code transport.stack}); the one reliable-UDP
 * connection ({@code ReliableUdpConnection}) and listener demux ({@code ReliableUdpDemux}) behind both. The
 * in-memory network on a manual clock ({@code InMemoryTransport}, {@code LinkFaults}) is a test double and lives in
 * this module's test sources. Knows nothing of the conntest protocol; may not touch the engine or
 * {@code io.conntest.core.rudp} internals (it only uses the rudp channel's public API for UDP).
 */
package io.conntest.core.transport;
