/**
 * RTT estimation and the retransmission timeout of RFC 6298 ({@link io.conntest.stack.tcp.rtt.RttEstimator}: SRTT,
 * RTTVAR, RTO, backoff), used by TCP's sender and by conntest-core's reliable UDP.
 *
 * <p>Owns: the estimate from samples the caller measured, in nanoseconds. May not touch: the clock (times are passed
 * in), timers, segments or sequence numbers; Karn's rule (which samples are valid) stays with the caller. It depends
 * on no other package of the stack. No allocation after construction.
 */
package io.conntest.stack.tcp.rtt;
