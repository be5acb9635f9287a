/**
 * NAT behaviour measured between two conntest peers (RFC 4787 terms, tests in the manner of RFC 5780): the client
 * that runs the tests once per {@code ?nat-test} peer ({@link io.conntest.core.nat.NatProber}) over the transport's
 * datagram sockets and reports a {@link io.conntest.core.nat.NatTestResult}. The probe datagram and the listeners'
 * responder are in {@link io.conntest.core.natprobe}, below the transports that answer it.
 */
package io.conntest.core.nat;
