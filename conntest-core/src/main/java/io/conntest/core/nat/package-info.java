/**
 * NAT behaviour measured between two conntest peers (RFC 4787 terms, tests in the manner of RFC 5780): the probe
 * datagram every conntest UDP listener answers ({@link io.conntest.core.nat.NatProbe},
 * {@link io.conntest.core.nat.NatResponder}) and the client that runs the tests once per {@code ?nat-test} peer
 * ({@link io.conntest.core.nat.NatProber}) and reports a {@link io.conntest.core.nat.NatTestResult}.
 */
package io.conntest.core.nat;
