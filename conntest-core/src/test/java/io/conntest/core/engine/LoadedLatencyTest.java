package io.conntest.core.engine;

import static io.conntest.core.engine.SimHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.protocol.FrameHandler;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.protocol.ProtocolError;
import io.conntest.core.protocol.ProtocolLimits;
import io.conntest.core.protocol.StreamFrameDecoder;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.LinkFaults;
import io.conntest.core.transport.TransportProtocol;

/**
 * Latency under load (issue 10): probes go on while a bandwidth test runs, on the same connection and behind its
 * data; their samples are kept apart from the idle ones on both ends; a probe waits behind at most one DATA frame
 * of the sender's own queue; and both ends of a link with a fixed delay report the same RTT/2.
 */
class LoadedLatencyTest
{
    private final SimHarness sim = new SimHarness();

    private static EngineConfig server(final TransportProtocol protocol)
    {
        return EngineConfig.builder("srv").listen(new ListenSpec(protocol, 1234)).build();
    }

    private static EngineConfig client(final ConnectSpec spec)
    {
        return EngineConfig.builder("cli").connect(spec).build();
    }

    private void assertLoadedAndIdleKeptApart(final SimHarness.Node cli, final SimHarness.Node srv,
        final long minLoaded)
    {
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 4, 30_000, "two rounds of tests");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        // each test runs 500 ms with a probe every 10 ms (fewer when a probe queues behind the data longer)
        assertTrue(c.latencyLoadedSamples() >= minLoaded, "client loaded samples " + c.latencyLoadedSamples());
        assertTrue(s.latencyLoadedSamples() >= minLoaded, "server loaded samples " + s.latencyLoadedSamples());
        // idle rounds: 5 probes before each test, counted apart
        assertTrue(c.latencySamples() >= 10, "client idle samples " + c.latencySamples());
        assertTrue(c.latencyLoadedP50Ns() >= 1 && c.latencyLoadedP50Ns() <= c.latencyLoadedP99Ns() &&
            c.latencyLoadedP99Ns() <= c.latencyLoadedMaxNs());
        // the server answered every probe of the client (and measured its own echo of each)
        final long clientProbes = c.latencySamples() + c.latencyLoadedSamples();
        assertTrue(s.probesAnswered() >= clientProbes && s.probesAnswered() <= clientProbes + 1,
            "server answered " + s.probesAnswered() + " of the client's " + clientProbes + " probes");
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void probesGoOnDuringATestAndAreKeptApartFromIdleOnes(final TransportProtocol protocol)
    {
        final SimHarness.Node srv = sim.start("10.0.0.2", server(protocol));
        final int packet = protocol == TransportProtocol.TCP ? 256 * 1024 : 1400;
        final SimHarness.Node cli = sim.start("10.0.0.1", client(ConnectSpec.of(protocol, "10.0.0.2", 1234)
            .withBandwidth(packet, 0, 500 * MS).withVerify(true).withLatencyInterval(10 * MS)));
        assertLoadedAndIdleKeptApart(cli, srv, 100);
    }

    @Test
    void overReliableUdpWithLossToo()
    {
        sim.network.withReliableUdp(ReliableUdpConfig.defaults(), LinkFaults.random(7, 2, 0, 2));
        final SimHarness.Node srv = sim.start("10.0.0.2", server(TransportProtocol.UDP));
        final SimHarness.Node cli = sim.start("10.0.0.1", client(ConnectSpec.of(TransportProtocol.UDP, "10.0.0.2",
            1234).withBandwidth(1200, 0, 500 * MS).withVerify(true).withLatencyInterval(10 * MS)));
        // a probe behind a full send window waits for retransmissions: fewer of them fit in a test
        assertLoadedAndIdleKeptApart(cli, srv, 20);
    }

    /**
     * The server sends 5 MB packets (a test down); every probe of the client reaches it during the test. From the
     * moment the ping is read to the start of the pong on the wire, the server writes at most the rest of one DATA
     * frame (plus a few control frames read in the same batch): a 5 MB packet is cut into frames of at most
     * {@link ProtocolLimits#MAX_DATA_FRAME_PAYLOAD}.
     */
    @Test
    void aProbeWaitsBehindAtMostOneDataFrame()
    {
        final List<Long> pingReadAt = new ArrayList<>();
        final DecoratedTransport[] server = new DecoratedTransport[1];
        final SimHarness.Node srv = sim.start("10.0.0.2", server(TransportProtocol.TCP), t ->
        {
            server[0] = new DecoratedTransport(t, 0);
            server[0].record = true;
            return server[0];
        });
        final StreamFrameDecoder pingFinder = new StreamFrameDecoder();
        server[0].hook = (connection, buffer, offset, length) -> pingFinder.onBytes(buffer, offset, length,
            new FrameHandler()
            {
                @Override
                public void onFrame(final FrameHeader header, final DirectBuffer b, final int bodyOffset,
                    final int bodyLength)
                {
                    if (header.type() == MessageType.LATENCY_PING)
                    {
                        pingReadAt.add((long)connection.written.size());
                    }
                }

                @Override
                public void onDataStart(final FrameHeader header)
                {
                }

                @Override
                public void onDataPayload(final DirectBuffer b, final int o, final int l)
                {
                }

                @Override
                public void onDataEnd()
                {
                }

                @Override
                public void onProtocolError(final ProtocolError error, final long detail)
                {
                    throw new AssertionError(error.toString());
                }
            });
        final SimHarness.Node cli = sim.start("10.0.0.1", client(ConnectSpec.parse("tcp://10.0.0.2:1234?" +
            "monitor-bandwidth&packet-size=5mb&bandwidth-bytes=40mb&bandwidth=down&latency-interval=0")));
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 1, 60_000, "one test down");

        // walk the server's byte stream frame by frame
        final byte[] stream = server[0].connections.get(0).written.toByteArray();
        final UnsafeBuffer wire = new UnsafeBuffer(stream);
        final List<Long> pongAt = new ArrayList<>();
        long dataFrames = 0;
        long morePackets = 0;
        int position = 0;
        while (position + FrameHeader.LENGTH <= stream.length)
        {
            assertEquals(FrameHeader.MAGIC, wire.getInt(position, ByteOrder.BIG_ENDIAN), "frame at " + position);
            final int type = wire.getByte(position + FrameHeader.TYPE_OFFSET);
            final int flags = wire.getShort(position + FrameHeader.FLAGS_OFFSET, ByteOrder.BIG_ENDIAN);
            final int body = wire.getInt(position + FrameHeader.BODY_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
            if (type == MessageType.LATENCY_PONG)
            {
                pongAt.add((long)position);
            }
            if (type == MessageType.DATA)
            {
                assertTrue(body <= ProtocolLimits.MAX_DATA_FRAME_PAYLOAD, "DATA frame of " + body + " bytes");
                dataFrames++;
                morePackets += (flags & FrameHeader.FLAG_MORE) != 0 ? 1 : 0;
            }
            position += FrameHeader.LENGTH + body;
        }
        assertEquals(40 * 1024 * 1024 / ProtocolLimits.MAX_DATA_FRAME_PAYLOAD, dataFrames);
        assertEquals(dataFrames - 8, morePackets, "eight 5 MB packets, each cut into frames");
        assertEquals(pingReadAt.size(), pongAt.size(), "every ping answered by one pong");
        long waitedBehindData = 0;
        long longestWait = 0;
        final long bound = FrameHeader.LENGTH + ProtocolLimits.MAX_DATA_FRAME_PAYLOAD + 4 * 128;
        for (int i = 0; i < pongAt.size(); i++)
        {
            final long wait = pongAt.get(i) - pingReadAt.get(i);
            assertTrue(wait >= 0 && wait <= bound, "probe " + i + " waited behind " + wait + " bytes");
            waitedBehindData += wait > 4 * 128 ? 1 : 0;
            longestWait = Math.max(longestWait, wait);
        }
        assertTrue(pongAt.size() >= 20, "probes during the test: " + pongAt.size());
        assertTrue(waitedBehindData > 0, "some probes arrived while a frame was being written");
        System.out.println("probes " + pongAt.size() + ", behind data " + waitedBehindData + ", longest wait " +
            longestWait + " bytes");
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        assertTrue(c.latencyLoadedSamples() >= 20);
    }

    /**
     * A link with a fixed one-way delay of 20 ms: the client measures its pings, the server its echo-requesting
     * pongs; both report RTT/2 = 20 ms within 10 %.
     */
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void bothEndsReportTheSameRttOverAFixedDelay(final TransportProtocol protocol)
    {
        final long delayNs = 20 * MS;
        final SimHarness.Node srv = sim.start("10.0.0.2", server(protocol), t -> new DecoratedTransport(t, delayNs));
        final SimHarness.Node cli = sim.start("10.0.0.1", client(ConnectSpec.of(protocol, "10.0.0.2", 1234)
            .withLatencyInterval(10 * MS)), t -> new DecoratedTransport(t, delayNs));
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).latencySamples() >= 20 &&
            !srv.servers(sim.clock.nowNs()).isEmpty() && srv.servers(sim.clock.nowNs()).get(0).latencySamples() >= 20,
            20_000, "twenty samples on each end");
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        final ConnectionSnapshot s = srv.servers(sim.clock.nowNs()).get(0);
        for (final ConnectionSnapshot end : List.of(c, s))
        {
            assertTrue(Math.abs(end.latencyP50Ns() - delayNs) <= delayNs / 10, end.side() + " p50 " +
                end.latencyP50Ns());
            assertTrue(Math.abs(end.latencyMaxNs() - delayNs) <= delayNs / 10, end.side() + " max " +
                end.latencyMaxNs());
        }
        assertTrue(Math.abs(c.latencyP50Ns() - s.latencyP50Ns()) <= c.latencyP50Ns() / 10);
        assertEquals(0, c.latencyLoadedSamples());
    }

    /**
     * The receive timestamp hook: a transport that says when it read the bytes has probes measured against that
     * time, not against when the engine got round to them. Here the client's side holds every read 20 ms before
     * handing it on (as a busy engine would): with the timestamp the RTT/2 is the link's (zero here), without it the
     * 20 ms of holding count.
     */
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void probesAreMeasuredAtTheReceiveTimestamp(final TransportProtocol protocol)
    {
        final long holdNs = 20 * MS;
        final SimHarness.Node srv = sim.start("10.0.0.2", server(protocol));
        final SimHarness.Node stamped = sim.start("10.0.0.1", client(ConnectSpec.of(protocol, "10.0.0.2", 1234)
            .withLatencyInterval(10 * MS)), t ->
        {
            final DecoratedTransport d = new DecoratedTransport(t, holdNs);
            d.stampAtArrival = true;
            return d;
        });
        final SimHarness.Node unstamped = sim.start("10.0.0.3", client(ConnectSpec.of(protocol, "10.0.0.2", 1234)
            .withLatencyInterval(10 * MS)), t -> new DecoratedTransport(t, holdNs));
        // receive timestamps are used only on the real (latency) clock
        for (final SimHarness.Node n : List.of(srv, stamped, unstamped))
        {
            n.core.useLatencyClock(sim.clock::nowNs);
        }
        sim.runUntil(() -> stamped.client(sim.clock.nowNs()).latencySamples() >= 10 &&
            unstamped.client(sim.clock.nowNs()).latencySamples() >= 10, 20_000, "ten samples each");
        assertTrue(stamped.client(sim.clock.nowNs()).latencyMaxNs() < MS,
            "stamped " + stamped.client(sim.clock.nowNs()).latencyMaxNs());
        assertEquals(holdNs / 2, unstamped.client(sim.clock.nowNs()).latencyP50Ns(), holdNs / 20,
            "unstamped " + unstamped.client(sim.clock.nowNs()).latencyP50Ns());
    }
}
