/**
 * Reliable UDP: TCP-like semantics for the conntest protocol over UDP (sequence numbers, in-order delivery through a
 * bounded reorder buffer, send window with backpressure, cumulative and selective acknowledgements, retransmission
 * on timeout and on SACK-based loss detection, AIMD congestion control, idle timeout) plus a QUIC-style handshake
 * with an amplification guard (RFC 9000 &sect;8.1). The wire format is specified in {@code docs/reliable-udp.md}.
 *
 * <p>This package owns one peer's reliability state: {@link io.conntest.core.rudp.ReliableUdpChannel} and its
 * helpers. It does no I/O and reads no clock: the caller hands it received datagrams, the time, and a
 * {@link io.conntest.core.rudp.DatagramSink} to send through. It may not touch sockets, selectors, the userspace
 * stack or the conntest message format (the engine owns those; a message here is an opaque byte range).
 */
package io.conntest.core.rudp;
