/**
 * TCP (RFC 9293) for the userspace stack: {@link io.conntest.stack.tcp.TcpProtocol} is the protocol-6 handler an
 * interface registers; it demultiplexes segments to connections by 4-tuple and to listeners by port, and on every
 * dispatch drains every connection with work. A connection is split by concern: {@code TcpConnection} (the TCB,
 * user calls, timers), {@code TcpInput} (segment arrival, RFC 9293 §3.10.7, RFC 5961, RFC 7323 PAWS, RFC 1337),
 * {@code TcpOutput} (what goes on the wire and when: Nagle, SWS, SACK recovery, TLP, probes), {@code TcpSender}
 * (SND.*, send buffer, ACK processing, RTO, persist, fast retransmit), {@code LossRecovery} (SACK-based
 * recovery, RFC 6675, or NewReno, RFC 6582, chosen when the connection is established), {@code TcpReceiver}
 * (RCV.*, receive buffer, out-of-order data, delayed ACKs, window, RCV.UP), {@code TcpOptionsNegotiation} (MSS,
 * window scale, timestamps, SACK-permitted).
 * Urgent data (RFC 9293 §3.8.5) stays inline in the byte stream (RFC 6093 §5); only the pointer is signalled.
 * The public face is {@link io.conntest.stack.tcp.TcpSocket}, {@link io.conntest.stack.tcp.TcpListener},
 * {@link io.conntest.stack.tcp.TcpSocketListener} and {@link io.conntest.stack.tcp.TcpStats}.
 *
 * <p>Owns: this package and {@code wire/Tcp*}; it uses, and never the other way round, {@code tcp.seq} (sequence
 * arithmetic), {@code tcp.rtt} (RFC 6298 estimator), {@code tcp.cc} (congestion control) and {@code tcp.sack}
 * (SACK scoreboard and receive assembler), and {@code time} (deadlines). It may not touch the interface, ARP,
 * IPv4 or the devices: it sees the network only through {@link io.conntest.stack.iface.Ipv4Sender} and
 * {@link io.conntest.stack.iface.IpProtocolHandler}. Single-threaded; no allocation per segment in steady state.
 */
package io.conntest.stack.tcp;
