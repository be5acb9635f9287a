package io.conntest.stack.offload;

import java.lang.management.ManagementFactory;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.stack.ipv6.Ipv6Counter;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.InMemoryDevicePair.LinkOffload;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpState;
import io.conntest.stack.tcp.TcpStats;
import io.conntest.stack.tcp.TcpError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP over the stack's IPv6 (issue 13): two stacks with configured IPv6 addresses on an in-memory link, the client
 * connecting to the other's echo service by its IPv6 address. Every echoed byte is checked: on a clean link (with and
 * without device offloads, which IPv6 does not use: its segments leave plain, checksummed in Java), and under seeded
 * loss, duplication, corruption and reordering. The MSS is the IPv6 one (MTU - 60), the RST for a closed port
 * crosses IPv6 too, and the IPv6 path allocates nothing per segment.
 */
class TcpOverIpv6SimulationTest
{
    @ParameterizedTest
    @EnumSource(value = LinkOffload.class, names = {"NONE", "SEGMENTED"})
    void echoIsByteExactOverIpv6OnACleanLink(final LinkOffload offload)
    {
        final OffloadLink link = new OffloadLink(offload, FaultConfig.none(), 1, true);
        assertTrue(link.echo(4L << 20, 60_000_000_000L), "echoed " + link.received + " mismatch at "
            + link.mismatchAt);
        final TcpStats stats = link.client.stats(new TcpStats());
        assertTrue(link.client.isIpv6());
        assertEquals("fd00:c0:6::2", link.client.remoteAddressText());
        assertEquals("fd00:c0:6::1", link.client.localAddressText());
        // RFC 6691 §2: 1500 - 40 (IPv6) - 20 (TCP) = 1440, less the 12 bytes of timestamps every segment carries
        assertEquals(1428, stats.mss);
        assertEquals(0, stats.superSegmentsOut, "no TSO over IPv6");
        assertEquals(0, stats.retransmissions, stats.toString());
        assertEquals(0, link.tcpA.counters().badChecksum);
        assertEquals(0, link.tcpB.counters().badChecksum);
        assertTrue(link.a.ipv6().counters().get(Ipv6Counter.IPV6_RECEIVED) > 1_000);
        assertEquals(0, link.a.ipv6().counters().get(Ipv6Counter.IPV6_NO_TRANSPORT));
    }

    @Test
    void echoIsByteExactOverIpv6UnderLossReorderDuplicationAndCorruption()
    {
        final FaultConfig faults = FaultConfig.none().drop(0.01).duplicate(0.005).corrupt(0.002).reorder(0.02, 3)
            .delayMs(1, 0);
        for (long seed = 1; seed <= 3; seed++)
        {
            final OffloadLink link = new OffloadLink(LinkOffload.NONE, faults, seed, true);
            assertTrue(link.echo(2L << 20, 600_000_000_000L),
                "seed " + seed + ": echoed " + link.received + " mismatch at " + link.mismatchAt);
            final TcpStats stats = link.client.stats(new TcpStats());
            assertTrue(stats.retransmissions > 0, stats.toString());
        }
    }

    @Test
    void aClosedPortAnswersRstOverIpv6()
    {
        final OffloadLink link = new OffloadLink(LinkOffload.NONE, FaultConfig.none(), 4, true);
        final TcpSocket socket = link.tcpA.openSocket();
        assertTrue(socket.connect6(OffloadLink.B6[0], OffloadLink.B6[1], 9));
        for (int i = 0; i < 10_000 && socket.state() != TcpState.CLOSED; i++)
        {
            link.step();
        }
        assertEquals(TcpState.CLOSED, socket.state());
        assertEquals(TcpError.REFUSED, socket.error());
        assertEquals(1, link.tcpB.counters().resetsForClosedPort);
    }

    /**
     * RFC 8201 §4 (via RFC 4443 §3.2): a Packet Too Big about a segment in flight lowers the connection's MSS to the
     * reported MTU less 60 and the timestamps; one below 1280 is not believed, one quoting a sequence number not in
     * flight is ignored (RFC 5927 §4.1). The error is handed to the protocol directly, as the interface would.
     */
    @Test
    void rfc8201_aPacketTooBigLowersTheMssAndTheEchoGoesOn()
    {
        final OffloadLink link = new OffloadLink(LinkOffload.NONE, FaultConfig.none(), 5, true);
        final TcpSocket client = link.connectClient();
        for (int i = 0; i < 10_000 && !client.isEstablished(); i++)
        {
            link.step();
        }
        final UnsafeBuffer data = new UnsafeBuffer(new byte[60_000]);
        client.write(data, 0, data.capacity());
        final TcpStats before = client.stats(new TcpStats());
        final UnsafeBuffer quoted = new UnsafeBuffer(new byte[8]);
        quoted.putShort(0, (short)client.localPort(), java.nio.ByteOrder.BIG_ENDIAN);
        quoted.putShort(2, (short)7, java.nio.ByteOrder.BIG_ENDIAN);
        // not in flight yet (nothing sent): ignored
        quoted.putInt(4, 0x1234_5678, java.nio.ByteOrder.BIG_ENDIAN);
        link.tcpA.onIcmpv6Error(2, 0, OffloadLink.B6[0], OffloadLink.B6[1], OffloadLink.B6[0], OffloadLink.B6[1],
            quoted, 0, 8, 1280, link.clock.nowNs());
        assertEquals(1428, client.stats(new TcpStats()).mss);
        link.step(); // the data leaves
        final int inFlight = client.stats(new TcpStats()).bytesOut > 0 ? sndUna(client) : 0;
        quoted.putInt(4, inFlight, java.nio.ByteOrder.BIG_ENDIAN);
        link.tcpA.onIcmpv6Error(2, 0, OffloadLink.B6[0], OffloadLink.B6[1], OffloadLink.B6[0], OffloadLink.B6[1],
            quoted, 0, 8, 1000, link.clock.nowNs());
        assertEquals(1428, client.stats(new TcpStats()).mss, "below IPv6's minimum MTU: not believed");
        link.tcpA.onIcmpv6Error(2, 0, OffloadLink.B6[0], OffloadLink.B6[1], OffloadLink.B6[0], OffloadLink.B6[1],
            quoted, 0, 8, 1280, link.clock.nowNs());
        assertEquals(1280 - 60 - 12, client.stats(new TcpStats()).mss);
        assertEquals(1428, before.mss);
    }

    private static int sndUna(final TcpSocket client)
    {
        return client.sendUnacknowledged();
    }

    @Test
    void theIpv6PathAllocatesNothingPerSegment()
    {
        final OffloadLink link = new OffloadLink(LinkOffload.NONE, FaultConfig.none(), 1, true);
        final TcpSocket client = link.connectClient();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[65536]);
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long allocatedBefore = 0;
        long segmentsBefore = 0;
        long received = 0;
        long receivedBefore = 0;
        for (int round = 0; round < 30_000; round++)
        {
            if (round == 10_000)
            {
                allocatedBefore = mx.getThreadAllocatedBytes(threadId);
                segmentsBefore = client.stats(new TcpStats()).segmentsOut;
                receivedBefore = received;
            }
            if (client.isEstablished())
            {
                client.write(out, 0, out.capacity());
            }
            int n;
            while ((n = client.read(in, 0, in.capacity())) > 0)
            {
                received += n;
            }
            link.step();
        }
        final long allocated = mx.getThreadAllocatedBytes(threadId) - allocatedBefore;
        final long segments = client.stats(new TcpStats()).segmentsOut - segmentsBefore;
        System.out.println("tcp over ipv6 allocation: " + allocated + " B over " + segments + " segments, "
            + (received - receivedBefore) + " B echoed");
        assertTrue(segments > 10_000, "segments " + segments);
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + segments + " segments");
    }
}
