package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.InMemoryDevicePair;

/** Two engines over two userspace stacks on an in-memory cable: the whole cycle, TCP and UDP, clean and lossy. */
class StackEngineSimulationTest
{
    private static EngineConfig server(final TransportProtocol protocol)
    {
        return EngineConfig.builder("srv").listen(new ListenSpec(protocol, 5000)).build();
    }

    private static EngineConfig client(final ConnectSpec spec)
    {
        return EngineConfig.builder("cli").connect(spec).build();
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void helloLatencyAndBandwidthBothWays(final TransportProtocol protocol)
    {
        final StackSim sim = new StackSim(FaultConfig.none(), 7);
        final StackSim.Node srv = sim.start(sim.serverHost, server(protocol));
        final int size = protocol == TransportProtocol.TCP ? 16 * 1024 : 1400;
        final StackSim.Node cli = sim.start(sim.clientHost, client(ConnectSpec.of(protocol, StackSim.SERVER_IP, 5000)
            .withBandwidth(size, 2_000_000, 0).withVerify(true)));

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 2, 30_000, "one round up and down");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        assertEquals("srv", c.peerName());
        assertEquals("cli", s.peerName());
        assertTrue(c.latencySamples() > 0, "latency probes answered");
        assertTrue(c.bandwidthUpLastBps() > 0 && c.bandwidthDownLastBps() > 0, "both directions measured");
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertEquals(0, c.retries());
        assertTrue(c.bytesSent() >= 2_000_000 && c.bytesReceived() >= 2_000_000);
        if (protocol == TransportProtocol.TCP)
        {
            assertEquals(0, c.tcpRetransmissions(), "a clean cable needs no retransmission");
            assertTrue(c.tcpCwndBytes() > 0 && c.tcpSrttNs() >= 0, "the stack's TCP figures reach the snapshot");
        }
        else
        {
            assertEquals(0, c.udpRetransmitted());
            assertEquals(-1, c.tcpRetransmissions());
        }
        assertTrue(cli.events(EventType.ERROR).isEmpty());
        assertTrue(srv.events(EventType.ERROR).isEmpty());
    }

    /**
     * Reliable UDP on devices that cut UDP (USO, issue 9): each connection's datagrams of a turn leave as one
     * super-datagram; the peer gets them cut in software (as a TAP's kernel does) or whole (and its interface splits
     * them). Every byte verified both ways, nothing retransmitted, many datagrams per send.
     */
    @ParameterizedTest
    @EnumSource(value = InMemoryDevicePair.LinkOffload.class, names = {"SEGMENTED", "SUPER_FRAMES"})
    void reliableUdpSendsSuperDatagramsWhereTheDeviceCutsThem(final InMemoryDevicePair.LinkOffload offload)
    {
        final StackSim sim = new StackSim(FaultConfig.none(), 7, offload);
        final StackSim.Node srv = sim.start(sim.serverHost, server(TransportProtocol.UDP));
        final StackSim.Node cli = sim.start(sim.clientHost, client(ConnectSpec.of(TransportProtocol.UDP,
            StackSim.SERVER_IP, 5000).withBandwidth(1400, 2_000_000, 0).withVerify(true)));

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 2, 30_000, "one round up and down");
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        assertEquals(0, c.verificationErrors());
        assertEquals(0, srv.servers(sim.clock.nowNs()).get(0).verificationErrors());
        assertEquals(0, c.udpRetransmitted());
        assertTrue(c.bytesSent() >= 2_000_000 && c.bytesReceived() >= 2_000_000);
        for (final StackSim.Node node : new StackSim.Node[] {cli, srv})
        {
            final long calls = node.transport.segmentedSendCalls();
            final long datagrams = node.transport.segmentedDatagramsSent();
            System.out.printf("%s %s: %d datagrams in %d segmented sends%n", offload, node == cli ? "client"
                : "server", datagrams, calls);
            assertTrue(calls > 0 && datagrams >= 4 * calls, datagrams + " datagrams in " + calls + " sends");
        }
    }

    @Test
    void udpSurvivesLossReorderingAndDuplication()
    {
        final FaultConfig faults = FaultConfig.none().drop(0.03).duplicate(0.02).reorder(0.03, 3);
        final StackSim sim = new StackSim(faults, 42);
        final StackSim.Node srv = sim.start(sim.serverHost, server(TransportProtocol.UDP));
        final StackSim.Node cli = sim.start(sim.clientHost, client(ConnectSpec.of(TransportProtocol.UDP,
            StackSim.SERVER_IP, 5000).withBandwidth(1200, 600_000, 0).withVerify(true)));

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 4, 120_000, "two rounds, lossy link");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertEquals(0, c.retries(), "the connection survived the faults");
        assertTrue(sim.faulty.rxCounters().dropped() + sim.faulty.txCounters().dropped() > 0);
        assertTrue(c.udpRetransmitted() + s.udpRetransmitted() > 0, "losses repaired by retransmission");
        assertTrue(c.udpDuplicate() + s.udpDuplicate() > 0, "duplicates counted");
        assertTrue(c.udpOutOfOrder() + s.udpOutOfOrder() > 0, "reordering counted");
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void nothingListeningIsRefusedAndRetried(final TransportProtocol protocol)
    {
        final StackSim sim = new StackSim(FaultConfig.none(), 3);
        // the server host has a stack but no engine: its stack answers RST / ICMP port unreachable
        sim.pollers.add(() -> sim.serverHost.poll(sim.clock.nowNs()));
        final StackSim.Node cli = sim.start(sim.clientHost, client(ConnectSpec.of(protocol, StackSim.SERVER_IP,
            5000)));

        sim.runUntil(() -> cli.events(EventType.CONNECT_FAILED).size() >= 2, 10_000, "two refused attempts");
        assertEquals(FailureReason.REFUSED, cli.events(EventType.CONNECT_FAILED).get(0).reason());
        final String message = cli.events(EventType.CONNECT_FAILED).get(0).message();
        // over UDP an ICMP port unreachable refused it, and the text says who sent it; over TCP a RST did
        assertEquals(protocol == TransportProtocol.UDP, message.contains("(ICMP from " + StackSim.SERVER_IP + ")"),
            message);
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void restartedServerIsReconnected(final TransportProtocol protocol)
    {
        final StackSim sim = new StackSim(FaultConfig.none(), 11);
        final StackSim.Node srv = sim.start(sim.serverHost, server(protocol));
        final StackSim.Node cli = sim.start(sim.clientHost, client(ConnectSpec.of(protocol, StackSim.SERVER_IP,
            5000)));
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).latencySamples() >= 2, 10_000, "first connection");

        srv.core.stop(sim.clock.nowNs());
        sim.nodes.remove(srv);
        srv.transport.close();
        sim.pollers.add(() -> sim.serverHost.poll(sim.clock.nowNs()));
        sim.runUntil(() -> !cli.events(EventType.CLOSED).isEmpty(), 10_000, "the client notices");
        sim.pollers.clear();
        final StackSim.Node again = sim.start(sim.serverHost, server(protocol));
        sim.runUntil(() -> !again.servers(sim.clock.nowNs()).isEmpty() &&
            again.servers(sim.clock.nowNs()).get(0).latencySamples() >= 1, 20_000, "reconnected to the new server");
        assertTrue(cli.client(sim.clock.nowNs()).retries() >= 1);
    }

    /**
     * PEER_SEEN on two stacks on one link: each end learns how its packets arrive, from its own address and port
     * (not translated), after no router (TTL 64 sent, 64 seen: 0 hops), with the DSCP and ECN they left with.
     */
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void eachEndLearnsHowThePeerSeesItsPackets(final TransportProtocol protocol)
    {
        final StackSim sim = new StackSim(FaultConfig.none(), 5);
        final StackSim.Node srv = sim.start(sim.serverHost, server(protocol));
        final StackSim.Node cli = sim.start(sim.clientHost, client(ConnectSpec.of(protocol, StackSim.SERVER_IP,
            5000)));
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).path().seenAsHost() != null
            && !srv.servers(sim.clock.nowNs()).isEmpty()
            && srv.servers(sim.clock.nowNs()).get(0).path().seenAsHost() != null, 10_000, "both told");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final io.conntest.core.stats.PathView cp = c.path();
        assertEquals(StackSim.CLIENT_IP, cp.seenAsHost());
        assertEquals(c.localPort(), cp.seenAsPort());
        assertEquals(Boolean.FALSE, cp.translated());
        assertEquals(0, cp.hops(), cp.describe());
        assertEquals(0, cp.dscpSent());
        assertEquals(0, cp.dscpSeen());
        assertEquals(0, cp.ecnSeen());
        final io.conntest.core.stats.PathView sp = srv.servers(now).get(0).path();
        assertEquals(StackSim.SERVER_IP, sp.seenAsHost());
        assertEquals(5000, sp.seenAsPort());
        assertEquals(Boolean.FALSE, sp.translated());
        assertEquals(0, sp.hops());
        assertTrue(cli.events(EventType.PATH).get(0).message().startsWith("seen as " + StackSim.CLIENT_IP + ":"
            + c.localPort() + " (not translated), 0 hops, dscp 0 -> 0, ecn 0"), cli.events(EventType.PATH).toString());
        // the same view again is no news: one PATH event per end while nothing changes
        sim.runFor(12_000);
        assertEquals(1, cli.events(EventType.PATH).size(), cli.events(EventType.PATH).toString());
        assertEquals(1, srv.events(EventType.PATH).size());
    }
}
