/**
 * Selective acknowledgement ranges (RFC 2018) on both sides of a connection: the sender's
 * {@link io.conntest.stack.tcp.sack.SackScoreboard} (what the peer has SACKed above SND.UNA, and RFC 6675's IsLost,
 * pipe and NextSeg on it) and the receiver's {@link io.conntest.stack.tcp.sack.ReceiveAssembler} (out-of-order ranges
 * above RCV.NXT and the SACK blocks that describe them, RFC 2018 §4).
 *
 * <p>Owns: ranges of sequence numbers, bounded in number. May not touch: payload bytes (they stay in the
 * connection's rings), segments, timers, congestion control or anything of {@code io.conntest.stack.tcp}; it depends
 * only on {@code tcp.seq}. No allocation per call.
 */
package io.conntest.stack.tcp.sack;
