package io.conntest.stack.tcp;

import io.conntest.stack.tcp.TcpHarness.Seg;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.conntest.stack.tcp.TcpPacketFlags.ACK;
import static io.conntest.stack.tcp.TcpPacketFlags.FIN;
import static io.conntest.stack.tcp.TcpPacketFlags.PSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP over a device with checksum and segmentation offload (issue 9), segment by segment on a manual clock:
 * super-segments of whole MSS pieces bounded by cwnd and the peer's window, gso_size = the effective MSS, only the
 * pseudo-header checksum filled; and the receive side's handling of segments larger than the MSS.
 */
class TcpOffloadTest
{
    private final TcpHarness h = new TcpHarness();
    private final UnsafeBuffer buf = new UnsafeBuffer(new byte[1 << 20]);

    @BeforeEach
    void offloads()
    {
        h.sender.checksumOffload = true;
        h.sender.segmentationOffload = true;
    }

    private int write(final TcpHarness.Established e, final int n)
    {
        buf.putBytes(0, TcpHarness.bytes(n, 3));
        return e.socket.write(buf, 0, n);
    }

    private static byte[] concat(final List<Seg> segs)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (final Seg s : segs)
        {
            out.writeBytes(s.payload);
        }
        return out.toByteArray();
    }

    @Test
    void rfc6928_theInitialWindowLeavesAsOneSuperSegmentOfTenMssPieces()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        assertEquals(100_000, write(e, 100_000));
        final List<Seg> out = h.poll();
        assertEquals(1, out.size(), out.toString());
        final Seg s = out.get(0);
        assertEquals(10 * 1448, s.payload.length, "cwnd: ten segments of MSS 1460 less 12 bytes of timestamps");
        assertEquals(1448, s.segmentSize, "gso_size is the effective MSS");
        assertTrue(s.partialChecksum, "only the pseudo-header sum: the device completes it");
        assertEquals(ACK, s.repr.flags, "no PSH: more data follows");
        assertTrue(s.repr.hasTimestamps, "each piece carries the timestamps");
        assertEquals(e.ourNxt, s.repr.seq);
        final byte[] expected = TcpHarness.bytes(100_000, 3);
        assertArrayEquals(java.util.Arrays.copyOf(expected, 14480), s.payload);
        final TcpStats stats = e.socket.stats(new TcpStats());
        assertEquals(10, stats.segmentsOut - 1, "segments counted per piece (after the SYN,ACK)");
        assertEquals(1, stats.superSegmentsOut);
    }

    @Test
    void rfc5681_slowStartGrowsTheSuperSegmentUpToThePeersWindow()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        write(e, 200_000);
        Seg s = h.poll().get(0);
        e.ourNxt += s.payload.length;
        h.clock.advanceMs(1);
        h.send(e.peer(ACK));
        // One ACK for ten segments: cwnd grows by L = 2 MSS (RFC 3465 §2.2), to 12; the peer's window allows more.
        s = h.poll().get(0);
        assertEquals(12 * 1448, s.payload.length);
        e.ourNxt += s.payload.length;
        h.clock.advanceMs(1);
        final TcpRepr small = e.peer(ACK);
        small.window = 40; // 40 << 7 = 5120 bytes: three whole pieces and a bit
        h.send(small);
        final List<Seg> out = h.poll();
        assertEquals(1, out.size(), out.toString());
        assertEquals(3 * 1448, out.get(0).payload.length, "the peer's window bounds it, in whole MSS pieces");
        assertEquals(1448, out.get(0).segmentSize);
    }

    @Test
    void rfc896_theShortTailOfASuperSegmentWaitsForNagleAsWithoutOffload()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        write(e, 5000);
        List<Seg> out = h.poll();
        assertEquals(1, out.size(), out.toString());
        assertEquals(3 * 1448, out.get(0).payload.length, "the 656-byte tail is held: data is unacknowledged");
        e.ourNxt += 3 * 1448;
        h.send(e.peer(ACK));
        out = h.poll();
        assertEquals(1, out.size());
        assertEquals(5000 - 3 * 1448, out.get(0).payload.length);
        assertEquals(0, out.get(0).segmentSize, "a short segment is not a super-segment");
        assertTrue(out.get(0).partialChecksum, "its checksum is offloaded all the same");
        assertEquals(ACK | PSH, out.get(0).repr.flags);
    }

    @Test
    void rfc9293_3_7_4_withNoDelayAndAFinTheTailAndFinRideOnTheSuperSegment()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        e.socket.setNoDelay(true);
        write(e, 5000);
        e.socket.shutdownOutput();
        final List<Seg> out = h.poll();
        assertEquals(1, out.size(), out.toString());
        assertEquals(5000, out.get(0).payload.length);
        assertEquals(ACK | PSH | FIN, out.get(0).repr.flags, "FIN and PSH for the device to put on the last piece");
        assertEquals(1448, out.get(0).segmentSize);
    }

    @Test
    void rfc6298_5_4_afterAnRtoTheGoBackRetransmissionGrowsIntoSuperSegments()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        write(e, 100_000);
        final Seg first = h.poll().get(0);
        assertEquals(14480, first.payload.length);
        final List<Seg> rto = h.advanceToDeadline();
        // The tail loss probe may come first (RFC 8985): wait for the RTO's one-segment retransmission.
        Seg again = rto.get(rto.size() - 1);
        while (again.payload.length != 1448 || again.repr.seq != e.ourNxt)
        {
            final List<Seg> more = h.advanceToDeadline();
            again = more.get(more.size() - 1);
        }
        assertEquals(0, again.segmentSize, "cwnd is one segment after an RTO");
        h.clock.advanceMs(1);
        final TcpRepr ack = e.peer(ACK);
        ack.ack = e.ourNxt + 1448;
        h.send(ack);
        final List<Seg> out = h.poll();
        assertEquals(1, out.size(), out.toString());
        assertEquals(2 * 1448, out.get(0).payload.length, "a retransmission as one super-segment of two pieces");
        assertEquals(e.ourNxt + 1448, out.get(0).repr.seq);
        assertEquals(1448, out.get(0).segmentSize);
        final TcpStats stats = e.socket.stats(new TcpStats());
        assertTrue(stats.retransmissions >= 2, stats.toString());
    }

    @Test
    void withoutSegmentationOffloadSegmentsStayOneMssWithTheirChecksumOffloaded()
    {
        h.sender.segmentationOffload = false;
        final TcpHarness.Established e = h.establishPassive(true);
        write(e, 100_000);
        final List<Seg> out = h.poll();
        assertEquals(10, out.size());
        for (final Seg s : out)
        {
            assertEquals(1448, s.payload.length);
            assertTrue(s.partialChecksum);
            assertEquals(0, s.segmentSize);
        }
    }

    @Test
    void whenTheNextHopCannotTakeASuperSegmentOneMssGoesPlainly()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        h.sender.offloadUnavailable = true;
        write(e, 100_000);
        final List<Seg> out = h.poll();
        assertEquals(10, out.size(), "one plain MSS segment at a time, as without offload");
        for (final Seg s : out)
        {
            assertEquals(1448, s.payload.length);
            assertFalse(s.partialChecksum);
        }
        assertArrayEquals(java.util.Arrays.copyOf(TcpHarness.bytes(100_000, 3), 14480), concat(out));
    }

    // ---- receive ---------------------------------------------------------------------------------------

    @Test
    void rfc5681_4_2_aCoalescedSegmentOfManyMssIsAcceptedAndAckedAtOnce()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        final byte[] data = TcpHarness.bytes(30_000, 9);
        h.sendOffloaded(e.peer(ACK | PSH), data, true, false);
        e.peerNxt += data.length;
        final Seg ack = h.expectOne();
        assertEquals(e.peerNxt, ack.repr.ack, "ACK at once: at least 2 MSS of bytes arrived (RFC 5681 §4.2)");
        final UnsafeBuffer in = new UnsafeBuffer(new byte[40_000]);
        assertEquals(30_000, e.socket.read(in, 0, in.capacity()));
        assertArrayEquals(data, java.util.Arrays.copyOf(in.byteArray(), 30_000));
        assertEquals(1, e.socket.stats(new TcpStats()).superSegmentsIn);
    }

    @Test
    void rfc2018_anOutOfOrderSuperSegmentIsSackedAndFillsInWhenTheGapCloses()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        final byte[] data = TcpHarness.bytes(40_000, 5);
        final TcpRepr late = e.peer(ACK);
        late.seq = e.peerNxt + 10_000;
        h.sendOffloaded(late, java.util.Arrays.copyOfRange(data, 10_000, 40_000), true, false);
        final Seg dup = h.expectOne();
        assertEquals(e.peerNxt, dup.repr.ack);
        assertEquals(1, dup.repr.sackBlockCount);
        assertEquals(e.peerNxt + 10_000, dup.repr.sackLeft[0]);
        assertEquals(e.peerNxt + 40_000, dup.repr.sackRight[0]);
        h.sendOffloaded(e.peer(ACK), java.util.Arrays.copyOf(data, 10_000), true, false);
        e.peerNxt += 40_000;
        assertEquals(e.peerNxt, h.expectOne().repr.ack);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[50_000]);
        assertEquals(40_000, e.socket.read(in, 0, in.capacity()));
        assertArrayEquals(data, java.util.Arrays.copyOf(in.byteArray(), 40_000));
    }

    @Test
    void aTrustedChecksumIsNotVerifiedAgainAndAnUntrustedBadOneIsDropped()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        h.sendOffloaded(e.peer(ACK | PSH), new byte[100], false, true);
        assertEquals(1, h.tcp.counters().badChecksum);
        assertEquals(0, e.socket.readableBytes());
        h.sendOffloaded(e.peer(ACK | PSH), new byte[100], true, true);
        assertEquals(1, h.tcp.counters().badChecksum, "DATA_VALID / NEEDS_CSUM: the field is not checked");
        assertEquals(100, e.socket.readableBytes());
    }
}
