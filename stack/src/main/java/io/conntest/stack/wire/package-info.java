/**
 * Wire formats: one flyweight view per header over an Agrona buffer (length checked before any field is read,
 * big-endian accessors) and beside it a small reusable repr with {@code parse(view)} and {@code emit(view)};
 * checksums. Pure functions of bytes: no state beyond the current wrap, no I/O, no allocation per packet.
 * Malformed input is reported as a parse failure for the caller to count, never thrown.
 */
package io.conntest.stack.wire;
