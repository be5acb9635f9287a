package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.wire.Ipv6Address;

/**
 * conntest's reliable UDP over the stacks' IPv6 (issue 13): two engines over two stacks on an in-memory cable, with
 * static addresses {@code fd00:c0:6::1} (client) and {@code fd00:c0:6::2} (server) past DAD: the whole cycle (hello,
 * latency, a bandwidth test each way, every byte verified) clean and under seeded loss, reordering and duplication;
 * addresses printed in RFC 5952 form, in brackets before a port; a port nobody listens on is refused by the server
 * stack's ICMPv6 port unreachable, and the text says who sent it; a stack with no route to the peer (only its
 * link-local address) fails with ENETUNREACH, and one whose addresses are still in DAD says it has none yet.
 */
class StackUdpIpv6Test
{
    private static final String CLIENT = "fd00:c0:6::1";
    private static final String SERVER = "fd00:c0:6::2";

    /** Both hosts addressed (when asked) and polled until DAD passed. */
    private static StackSim sim(final FaultConfig faults, final long seed, final boolean clientAddressed)
    {
        final StackSim sim = new StackSim(faults, seed);
        final long[] c = Ipv6Address.parse(CLIENT);
        final long[] s = Ipv6Address.parse(SERVER);
        if (clientAddressed)
        {
            sim.clientHost.stack().iface().ipv6().addStaticAddress(c[0], c[1], 64);
        }
        sim.serverHost.stack().iface().ipv6().addStaticAddress(s[0], s[1], 64);
        final Runnable polls = () ->
        {
            sim.clientHost.poll(sim.clock.nowNs());
            sim.serverHost.poll(sim.clock.nowNs());
        };
        sim.pollers.add(polls);
        sim.runUntil(() -> (!clientAddressed || sim.clientHost.stack().iface().ipv6().isOwnAddress(c[0], c[1]))
            && sim.serverHost.stack().iface().ipv6().isOwnAddress(s[0], s[1]), 5_000, "DAD of both addresses");
        sim.pollers.remove(polls);
        return sim;
    }

    private static EngineConfig server()
    {
        return EngineConfig.builder("srv").listen(new ListenSpec(TransportProtocol.UDP, "::", 5000)).build();
    }

    private static ConnectSpec toServer()
    {
        return ConnectSpec.parse("udp://[" + SERVER + "]:5000");
    }

    @Test
    void theWholeCycleOverIpv6WithEveryByteVerified()
    {
        final StackSim sim = sim(FaultConfig.none(), 6, true);
        final StackSim.Node srv = sim.start(sim.serverHost, server());
        final StackSim.Node cli = sim.start(sim.clientHost, EngineConfig.builder("cli")
            .connect(toServer().withBandwidth(1400, 2_000_000, 0).withVerify(true)).build());

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 2, 30_000, "one round up and down");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        assertEquals("srv", c.peerName());
        assertEquals("cli", s.peerName());
        assertEquals(SERVER, c.peerHost());
        assertEquals(CLIENT, c.localHost());
        assertEquals(CLIENT, s.peerHost());
        assertTrue(c.latencySamples() > 0, "latency probes answered");
        assertTrue(c.bandwidthUpLastBps() > 0 && c.bandwidthDownLastBps() > 0, "both directions measured");
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertEquals(0, c.udpRetransmitted());
        assertTrue(c.bytesSent() >= 2_000_000 && c.bytesReceived() >= 2_000_000);
        assertEquals("connected to [" + SERVER + "]:5000 over udp", cli.events(EventType.CONNECTED).get(0).message());
        assertTrue(cli.events(EventType.ERROR).isEmpty());
        assertTrue(srv.events(EventType.ERROR).isEmpty());
        assertEquals(0, sim.serverHost.stack().udp().badChecksum() + sim.serverHost.stack().udp().zeroChecksumIpv6());
        assertEquals(0, sim.serverHost.stack().udp().icmpErrors() + sim.clientHost.stack().udp().icmpErrors());
        // the server tells the client how it sees it: the same address, not translated
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).path().seenAsHost() != null, 10_000, "PEER_SEEN over IPv6");
        assertEquals(CLIENT, cli.client(sim.clock.nowNs()).path().seenAsHost());
        assertEquals(Boolean.FALSE, cli.client(sim.clock.nowNs()).path().translated());
        // hops from the hop limit sent (the link's, 64) and seen: one link, no router
        assertEquals(0, cli.client(sim.clock.nowNs()).path().hops());
    }

    @Test
    void survivesLossReorderingAndDuplicationOverIpv6()
    {
        final FaultConfig faults = FaultConfig.none().drop(0.03).duplicate(0.02).reorder(0.03, 3);
        final StackSim sim = sim(faults, 42, true);
        final StackSim.Node srv = sim.start(sim.serverHost, server());
        final StackSim.Node cli = sim.start(sim.clientHost, EngineConfig.builder("cli")
            .connect(toServer().withBandwidth(1200, 600_000, 0).withVerify(true)).build());

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 4, 120_000, "two rounds, lossy link");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertEquals(0, c.retries(), "the connection survived the faults");
        assertTrue(c.udpRetransmitted() + s.udpRetransmitted() > 0, "losses repaired by retransmission");
    }

    /** The NAT test and the path MTU probe are IPv4's: towards an IPv6 peer they end at once, saying so. */
    @Test
    void theNatTestAndPmtuProbeSayTheyRunOverIpv4Only()
    {
        final StackSim sim = sim(FaultConfig.none(), 7, true);
        sim.start(sim.serverHost, server());
        final StackSim.Node cli = sim.start(sim.clientHost, EngineConfig.builder("cli")
            .connect(ConnectSpec.parse("udp://[" + SERVER + "]:5000?nat-test&pmtu")).build());

        sim.runUntil(() -> !cli.events(EventType.NAT_TEST).isEmpty() && !cli.events(EventType.PATH_MTU).isEmpty()
            && !cli.events(EventType.CONNECTED).isEmpty(), 10_000, "both tests ended, the connection up");
        assertTrue(cli.events(EventType.NAT_TEST).get(0).natTest().error().contains("runs over IPv4 only"),
            cli.events(EventType.NAT_TEST).toString());
        assertTrue(cli.events(EventType.PATH_MTU).get(0).pathMtu().error().contains("runs over IPv4 only"),
            cli.events(EventType.PATH_MTU).toString());
    }

    @Test
    void nothingListeningIsRefusedByIcmpv6PortUnreachable()
    {
        final StackSim sim = sim(FaultConfig.none(), 3, true);
        sim.pollers.add(() -> sim.serverHost.poll(sim.clock.nowNs()));
        final StackSim.Node cli = sim.start(sim.clientHost, EngineConfig.builder("cli").connect(toServer()).build());

        sim.runUntil(() -> !cli.events(EventType.CONNECT_FAILED).isEmpty(), 10_000, "a refused attempt");
        assertEquals(FailureReason.REFUSED, cli.events(EventType.CONNECT_FAILED).get(0).reason());
        final String message = cli.events(EventType.CONNECT_FAILED).get(0).message();
        assertTrue(message.contains("udp [" + SERVER + "]:5000: port unreachable (ICMPv6 from " + SERVER + ")"),
            message);
    }

    @Test
    void withOnlyALinkLocalAddressThereIsNoSourceForAUniqueLocalPeer()
    {
        // RFC 6724 §5 rule 2: a unique-local destination never leaves from the link-local address
        final StackSim sim = sim(FaultConfig.none(), 4, false);
        final StackSim.Node srv = sim.start(sim.serverHost, server());
        final StackSim.Node cli = sim.start(sim.clientHost, EngineConfig.builder("cli").connect(toServer()).build());

        sim.runUntil(() -> !cli.events(EventType.CONNECT_FAILED).isEmpty(), 10_000, "a failed attempt");
        assertEquals(FailureReason.LOCAL, cli.events(EventType.CONNECT_FAILED).get(0).reason());
        assertEquals("udp [" + SERVER + "]:5000: " + StackTransport.NO_IPV6_ADDRESS,
            cli.events(EventType.CONNECT_FAILED).get(0).message());
        assertTrue(srv.servers(sim.clock.nowNs()).isEmpty());
    }

    @Test
    void beforeDadHasPassedTheAttemptFailsSayingThereIsNoAddressYet()
    {
        final StackSim sim = new StackSim(FaultConfig.none(), 5);
        final long[] c = Ipv6Address.parse(CLIENT);
        sim.clientHost.stack().iface().ipv6().addStaticAddress(c[0], c[1], 64);
        final StackTransport transport = sim.transport(sim.clientHost);
        final String[] failure = new String[1];
        // before the first poll every address is tentative: nothing to send from
        final io.conntest.core.transport.Connection connection = transport.connect(TransportProtocol.UDP, SERVER,
            5000, 1_000_000_000L, new io.conntest.core.transport.ConnectionHandler()
            {
                @Override
                public void onConnected(final io.conntest.core.transport.Connection c, final long nowNs)
                {
                }

                @Override
                public void onConnectFailed(final io.conntest.core.transport.Connection c,
                    final FailureReason reason, final String detail, final long nowNs)
                {
                    failure[0] = reason + " " + detail;
                }

                @Override
                public void onData(final io.conntest.core.transport.Connection c,
                    final org.agrona.DirectBuffer buffer, final int offset, final int length, final long nowNs)
                {
                }

                @Override
                public void onWritable(final io.conntest.core.transport.Connection c, final long nowNs)
                {
                }

                @Override
                public void onClosed(final io.conntest.core.transport.Connection c, final FailureReason reason,
                    final String detail, final long nowNs)
                {
                }
            });
        sim.pollers.add(() -> transport.poll(sim.clock.nowNs()));
        sim.runUntil(() -> failure[0] != null, 1_000, "the failure told");
        assertEquals("LOCAL udp [" + SERVER + "]:5000: " + StackTransport.NO_IPV6_ADDRESS, failure[0]);
        assertEquals(SERVER, connection.remoteHost());
        transport.close();
    }
}
