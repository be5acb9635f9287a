/**
 * The NAT probe datagram (docs/protocol.md, "NAT probes") and the responder every conntest UDP listener runs before
 * its reliable-UDP demultiplexer: what the transports need to answer a prober, with no dependency on them (the
 * prober, {@link io.conntest.core.nat.NatProber}, sits above the transports).
 */
package io.conntest.core.natprobe;
