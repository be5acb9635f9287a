/**
 * TCP congestion control and nothing else: one interface ({@link io.conntest.stack.tcp.cc.CongestionControl}) with
 * {@link io.conntest.stack.tcp.cc.NewReno} (RFC 5681, RFC 6582) and {@link io.conntest.stack.tcp.cc.Cubic}
 * (RFC 9438), HyStart++ (RFC 9406) for the initial slow start, and the rules both share
 * ({@code AbstractCongestionControl}: initial window, slow start, recovery bookkeeping, restart after idle). A
 * controller owns cwnd and ssthresh; it never sees segments, sequence numbers, SACK blocks or the clock (times are
 * nanoseconds passed in).
 *
 * <p>Owns: cwnd, ssthresh and the algorithms' own state. May not touch: sequence numbers ({@code tcp.seq}), the RTT
 * estimate ({@code tcp.rtt}), the SACK scoreboard ({@code tcp.sack}) or anything of {@code io.conntest.stack.tcp};
 * it depends on no other part of the stack, so the state machine uses it and never the other way round. No I/O,
 * no allocation per call.
 */
package io.conntest.stack.tcp.cc;
