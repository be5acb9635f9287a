/**
 * The conntest wire protocol: frame header and body flyweights over Agrona buffers, the stream decoder used over
 * TCP and the datagram decoder used over UDP. Owns only byte layouts and their validation; knows nothing of
 * sessions, transports or time sources. See {@code docs/protocol.md}.
 */
package io.conntest.core.protocol;
