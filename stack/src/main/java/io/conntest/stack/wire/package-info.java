/**
 * Wire formats: one flyweight view per header over an Agrona buffer (length checked before any field is read,
 * big-endian accessors, {@code wrapChecked} reports malformed input by returning false) and beside it a small
 * reusable repr with {@code parse(view)} and {@code emit(view)}; checksums; MAC and IPv4 address helpers
 * ({@code long} and {@code int}). Pure functions of bytes: no state beyond the current wrap, no I/O, no allocation
 * per packet. Malformed input is reported as a parse failure for the caller to count, never thrown.
 * Knows nothing of interfaces, sockets or devices and must not depend on any other package of the stack.
 */
package io.conntest.stack.wire;
