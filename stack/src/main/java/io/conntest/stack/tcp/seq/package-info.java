/**
 * Wrap-safe arithmetic on 32-bit TCP sequence numbers ({@link io.conntest.stack.tcp.seq.SeqNum}: RFC 9293 §3.4,
 * RFC 1982 serial-number arithmetic). Every comparison of sequence numbers in the stack goes through it.
 *
 * <p>Owns: the arithmetic only, on {@code int}s the caller passes in. May not touch: anything else; it depends on
 * no other package of the stack (every TCP package may depend on it).
 */
package io.conntest.stack.tcp.seq;
