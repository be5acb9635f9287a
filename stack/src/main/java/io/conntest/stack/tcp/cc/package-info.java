/**
 * The self-contained algorithms TCP is built from, each a small class with no I/O, no clock of its own and no
 * allocation per call: wrap-safe sequence arithmetic ({@link io.conntest.stack.tcp.cc.SeqNum}), the RFC 6298
 * retransmission timer estimate ({@link io.conntest.stack.tcp.cc.RttEstimator}), congestion control behind one
 * interface ({@link io.conntest.stack.tcp.cc.CongestionControl}: {@link io.conntest.stack.tcp.cc.NewReno} and
 * {@link io.conntest.stack.tcp.cc.Cubic}, with HyStart++ for the initial slow start), the sender's SACK scoreboard
 * ({@link io.conntest.stack.tcp.cc.SackScoreboard}, RFC 6675) and the receiver's out-of-order range tracker
 * ({@link io.conntest.stack.tcp.cc.ReceiveAssembler}).
 *
 * <p>Times are nanoseconds passed in by the caller; sizes are bytes. This package owns no bytes of payload,
 * no sockets, timers or segments: it must not depend on {@code io.conntest.stack.tcp} or any other part of
 * the stack, so the state machine uses it and never the other way round.
 */
package io.conntest.stack.tcp.cc;
