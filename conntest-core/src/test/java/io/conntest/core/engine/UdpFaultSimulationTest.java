package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.conntest.core.event.EventType;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.LinkFaults;
import io.conntest.core.transport.TransportProtocol;

/** The engine over reliable UDP on an in-memory link that drops, duplicates and reorders datagrams. */
class UdpFaultSimulationTest
{
    private static EngineConfig server()
    {
        return EngineConfig.builder("srv").listen(new ListenSpec(TransportProtocol.UDP, 1234)).build();
    }

    private static EngineConfig client(final ConnectSpec spec)
    {
        return EngineConfig.builder("cli").connect(spec).build();
    }

    @Test
    void lossyDuplicatingReorderingLinkStillDeliversVerifiedData()
    {
        final SimHarness sim = new SimHarness();
        final LinkFaults faults = LinkFaults.random(42, 5, 3, 5);
        sim.network.withReliableUdp(ReliableUdpConfig.defaults(), faults);
        final SimHarness.Node srv = sim.start("10.0.0.2", server());
        final SimHarness.Node cli = sim.start("10.0.0.1", client(ConnectSpec.of(TransportProtocol.UDP, "10.0.0.2", 1234)
            .withBandwidth(1200, 300_000, 0).withVerify(true)));

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 4, 60_000, "two rounds over a bad link");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertEquals(0, c.retries(), "the connection survived the faults");
        assertTrue(faults.dropped() > 0 && faults.duplicated() > 0 && faults.reordered() > 0);
        assertTrue(c.udpRetransmitted() > 0 && s.udpRetransmitted() > 0, "both sides retransmitted");
        assertTrue(c.udpLost() > 0 && c.udpLost() <= c.udpRetransmitted());
        assertTrue(c.udpDuplicate() + s.udpDuplicate() > 0, "duplicates counted");
        assertTrue(c.udpOutOfOrder() + s.udpOutOfOrder() > 0, "reordering counted");
        assertTrue(cli.events(EventType.ERROR).isEmpty());
    }

    /**
     * One datagram dropped, chosen by the conntest frame it carries (so the case does not depend on how the
     * reliability layer interleaves acknowledgements), with the exact counters it must produce on both sides.
     */
    @ParameterizedTest(name = "drop {0}''s {1} #{2}")
    @CsvSource({
        // sender, frame type, occurrence, client retransmitted/lost/duplicate, server retransmitted/lost/duplicate,
        // messages received out of order (both ends)
        // the client's HELLO: resent once after the RTO
        "10.0.0.1, HELLO,        1, 1, 1, 0, 0, 0, 0, 0",
        // a ping: resent once
        "10.0.0.1, LATENCY_PING, 3, 1, 1, 0, 0, 0, 0, 0",
        // the server's pong: resent once by the server
        "10.0.0.2, LATENCY_PONG, 3, 0, 0, 0, 1, 1, 0, 0",
        // the server's HELLO: resent once by the server; the PEER_SEEN the server sends right behind it carries the
        // acknowledgement of the client's HELLO, so the client resends nothing; it arrives before the resent HELLO,
        // out of order
        "10.0.0.2, HELLO,        1, 0, 0, 0, 1, 1, 0, 1",
        // the client's echo pong, which also acknowledged the server's pong: both resend, and the client receives
        // the server's pong twice
        "10.0.0.1, LATENCY_PONG, 3, 1, 1, 1, 1, 1, 0, 0",
    })
    void oneDroppedDatagramGivesExactCounters(final String sender, final String frameType, final int occurrence,
        final long clientRetransmitted, final long clientLost, final long clientDuplicate,
        final long serverRetransmitted, final long serverLost, final long serverDuplicate, final long outOfOrder)
    {
        final SimHarness sim = new SimHarness();
        final int type = frameType.equals("HELLO") ? MessageType.HELLO :
            frameType.equals("LATENCY_PING") ? MessageType.LATENCY_PING : MessageType.LATENCY_PONG;
        final LinkFaults faults = LinkFaults.none().droppingFrame(sender, type, occurrence);
        sim.network.withReliableUdp(ReliableUdpConfig.defaults(), faults);
        final SimHarness.Node srv = sim.start("10.0.0.2", server());
        final SimHarness.Node cli = sim.start("10.0.0.1",
            client(ConnectSpec.of(TransportProtocol.UDP, "10.0.0.2", 1234)));

        sim.runFor(5_000);
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        final ConnectionSnapshot s = srv.servers(sim.clock.nowNs()).get(0);
        assertEquals(1, faults.dropped());
        assertEquals("srv", c.peerName());
        assertEquals("cli", s.peerName());
        assertTrue(c.latencySamples() >= 20, "probes went on: " + c.latencySamples());
        assertEquals(0, c.retries());
        assertEquals(clientRetransmitted, c.udpRetransmitted(), "client retransmitted");
        assertEquals(clientLost, c.udpLost(), "client lost");
        assertEquals(clientDuplicate, c.udpDuplicate(), "client duplicate");
        assertEquals(serverRetransmitted, s.udpRetransmitted(), "server retransmitted");
        assertEquals(serverLost, s.udpLost(), "server lost");
        assertEquals(serverDuplicate, s.udpDuplicate(), "server duplicate");
        assertEquals(outOfOrder, c.udpOutOfOrder() + s.udpOutOfOrder(), "out of order");
        // loss per direction: each end also learns, from the peer's pongs, what was lost on the way to it
        assertEquals(serverLost, c.udpLostIncoming(), "client told the server's loss");
        assertEquals(clientLost, s.udpLostIncoming(), "server told the client's loss");
    }
}
