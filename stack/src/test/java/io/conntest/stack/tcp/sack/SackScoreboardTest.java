package io.conntest.stack.tcp.sack;

import io.conntest.stack.tcp.seq.SeqNum;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SackScoreboardTest
{
    private static final int MSS = 100;
    /** Just below the 2^32 wrap, so every test crosses it. */
    private static final int BASE = 0xFFFF_FE00;

    private static int seq(final int offset)
    {
        return BASE + offset;
    }

    private static SackScoreboard board()
    {
        final SackScoreboard sb = new SackScoreboard();
        sb.reset(BASE);
        return sb;
    }

    @Test
    void rfc2018_3_blocksAreRecordedAndMerged()
    {
        final SackScoreboard sb = board();
        assertTrue(sb.isEmpty());
        assertEquals(100, sb.addSackBlock(seq(200), seq(300)));
        assertEquals(100, sb.addSackBlock(seq(400), seq(500)));
        assertEquals(2, sb.rangeCount());
        // Adjacent on the left and overlapping on the right: all three become one range.
        assertEquals(100, sb.addSackBlock(seq(300), seq(420)));
        assertEquals(1, sb.rangeCount());
        assertEquals(seq(200), sb.rangeStart(0));
        assertEquals(seq(500), sb.rangeEnd(0));
        assertEquals(300, sb.sackedBytes());
        assertEquals(seq(500), sb.highestSacked());
        assertTrue(sb.isSacked(seq(200)));
        assertTrue(sb.isSacked(seq(499)));
        assertFalse(sb.isSacked(seq(500)));
        assertFalse(sb.isSacked(seq(199)));
    }

    @Test
    void rfc2883_dsackBlocksAndRepeatsCarryNoNewInformation()
    {
        final SackScoreboard sb = board();
        sb.addSackBlock(seq(200), seq(400));
        sb.onAck(seq(100));
        // D-SACK of data below SND.UNA (RFC 2883 §4 case: duplicate of acknowledged data).
        assertEquals(0, sb.addSackBlock(seq(0), seq(100)));
        // D-SACK inside an already SACKed range, and a plain repeat.
        assertEquals(0, sb.addSackBlock(seq(250), seq(300)));
        assertEquals(0, sb.addSackBlock(seq(200), seq(400)));
        assertEquals(200, sb.sackedBytes());
        assertEquals(1, sb.rangeCount());
    }

    @Test
    void invalidBlocksAreIgnored()
    {
        final SackScoreboard sb = board();
        assertEquals(0, sb.addSackBlock(seq(300), seq(300)), "empty");
        assertEquals(0, sb.addSackBlock(seq(300), seq(200)), "inverted");
        assertEquals(0, sb.addSackBlock(seq(0), seq(0) + SackScoreboard.MAX_BLOCK + 1), "longer than any window");
        assertEquals(0, sb.addSackBlock(seq(100), seq(200), seq(150)), "beyond SND.NXT");
        assertEquals(50, sb.addSackBlock(seq(100), seq(150), seq(150)));
        assertTrue(new SackScoreboard().addSackBlock(1, 2) == 0, "no SND.UNA yet");
        assertThrows(IllegalArgumentException.class, () -> new SackScoreboard(0));
    }

    @Test
    void blockReachingBelowSndUnaIsTrimmed()
    {
        final SackScoreboard sb = board();
        sb.onAck(seq(100));
        assertEquals(100, sb.addSackBlock(seq(50), seq(200)));
        assertEquals(seq(100), sb.rangeStart(0));
    }

    @Test
    void cumulativeAckDropsAndTrimsRanges()
    {
        final SackScoreboard sb = board();
        sb.addSackBlock(seq(100), seq(200));
        sb.addSackBlock(seq(300), seq(400));
        sb.onAck(seq(350));
        assertEquals(1, sb.rangeCount());
        assertEquals(seq(350), sb.rangeStart(0));
        assertEquals(50, sb.sackedBytes());
        sb.onAck(seq(0)); // older ACK: ignored
        assertEquals(seq(350), sb.sndUna());
        sb.onAck(seq(400));
        assertTrue(sb.isEmpty());
        assertEquals(0, sb.sackedBytes());
    }

    @Test
    void boundKeepsTheLowestRangesAndCountsOverflow()
    {
        final SackScoreboard sb = new SackScoreboard(3);
        sb.reset(BASE);
        sb.addSackBlock(seq(100), seq(110));
        sb.addSackBlock(seq(300), seq(310));
        sb.addSackBlock(seq(500), seq(510));
        // A fourth, highest range is the one forgotten.
        assertEquals(0, sb.addSackBlock(seq(700), seq(710)));
        assertEquals(1, sb.overflows());
        // A fourth, lower range displaces the highest.
        assertEquals(10, sb.addSackBlock(seq(200), seq(210)));
        assertEquals(2, sb.overflows());
        assertEquals(3, sb.rangeCount());
        assertEquals(seq(310), sb.rangeEnd(2));
        assertEquals(30, sb.sackedBytes());
        // Merging needs no new slot.
        assertEquals(10, sb.addSackBlock(seq(110), seq(120)));
        assertEquals(2, sb.overflows());
    }

    @Test
    void rfc6675_4_isLostAfterThreeDiscontiguousSackedRanges()
    {
        final SackScoreboard sb = board();
        // Three one-byte ranges: few bytes, but DupThresh discontiguous sequences above.
        sb.addSackBlock(seq(200), seq(201));
        sb.addSackBlock(seq(300), seq(301));
        assertFalse(sb.isLost(seq(0), MSS));
        sb.addSackBlock(seq(400), seq(401));
        assertTrue(sb.isLost(seq(0), MSS));
        assertTrue(sb.isLost(seq(199), MSS));
        assertFalse(sb.isLost(seq(201), MSS), "only two ranges above");
        assertFalse(sb.isLost(seq(200), MSS), "SACKed is not lost");
        assertFalse(sb.isLost(seq(-1), MSS), "acknowledged is not lost");
    }

    @Test
    void rfc6675_4_isLostWhenMoreThanDupThreshMinusOneSegmentsAreSackedAbove()
    {
        final SackScoreboard sb = board();
        sb.addSackBlock(seq(100), seq(300));
        assertFalse(sb.isLost(seq(0), MSS), "exactly (DupThresh - 1) * SMSS is not more than it");
        sb.addSackBlock(seq(300), seq(301));
        assertTrue(sb.isLost(seq(0), MSS));
        assertTrue(sb.isLost(seq(99), MSS));
        assertFalse(sb.isLost(seq(301), MSS));
    }

    @Test
    void rfc6675_4_pipeCountsUnsackedNotLostAndRetransmittedBytes()
    {
        final SackScoreboard sb = board();
        // Sent 1000 bytes; 100..400 SACKed (3 segments): [0,100) is lost; [400,1000) is in flight.
        sb.addSackBlock(seq(100), seq(400));
        assertEquals(600, sb.pipe(seq(0), seq(1000), seq(0), MSS));
        // After retransmitting [0,100): its retransmission is in flight.
        assertEquals(700, sb.pipe(seq(0), seq(1000), seq(100), MSS));
        // Nothing SACKed: the whole flight.
        final SackScoreboard empty = board();
        assertEquals(1000, empty.pipe(seq(0), seq(1000), seq(0), MSS));
        assertEquals(0, empty.pipe(seq(0), seq(0), seq(0), MSS));
    }

    @Test
    void rfc6675_4_nextSegRule1RetransmitsTheFirstLostHole()
    {
        final SackScoreboard sb = board();
        sb.addSackBlock(seq(250), seq(550));
        assertEquals(SeqNum.toUnsigned(seq(0)), sb.nextSeg(seq(0), seq(1000), seq(0), MSS, true));
        assertEquals(MSS, sb.nextSegLength());
        // After [0,100) was retransmitted (HighRxt): [100,200), then [200,250) which stops at the SACKed data.
        assertEquals(SeqNum.toUnsigned(seq(100)), sb.nextSeg(seq(0), seq(1000), seq(100), MSS, true));
        assertEquals(SeqNum.toUnsigned(seq(200)), sb.nextSeg(seq(0), seq(1000), seq(200), MSS, true));
        assertEquals(50, sb.nextSegLength());
    }

    @Test
    void rfc6675_4_nextSegRule2SendsNewDataWhenNothingIsLost()
    {
        final SackScoreboard sb = board();
        sb.addSackBlock(seq(100), seq(200)); // one segment SACKed: [0,100) not yet lost
        assertEquals(SeqNum.toUnsigned(seq(1000)), sb.nextSeg(seq(0), seq(1000), seq(0), MSS, true));
        assertEquals(MSS, sb.nextSegLength());
    }

    @Test
    void rfc6675_4_nextSegRule3RetransmitsAnUnsackedHoleWhenNoNewDataCanBeSent()
    {
        final SackScoreboard sb = board();
        sb.addSackBlock(seq(100), seq(200));
        assertEquals(SeqNum.toUnsigned(seq(0)), sb.nextSeg(seq(0), seq(1000), seq(0), MSS, false));
        // Nothing below the highest SACKed byte is left after HighRxt: nothing to send.
        assertEquals(SackScoreboard.NO_SEGMENT, sb.nextSeg(seq(0), seq(1000), seq(100), MSS, false));
        assertEquals(0, sb.nextSegLength());
        assertEquals(SackScoreboard.NO_SEGMENT, board().nextSeg(seq(0), seq(1000), seq(0), MSS, false));
    }

    @Test
    void rfc6675_5_1_clearAfterTimeoutForgetsSacks()
    {
        final SackScoreboard sb = board();
        sb.addSackBlock(seq(100), seq(500));
        sb.clear();
        assertTrue(sb.isEmpty());
        assertEquals(0, sb.sackedBytes());
        assertEquals(BASE, sb.sndUna());
    }

    // ---- randomized comparison with a BitSet model ----

    private static final int WINDOW = 2000;

    @Test
    void randomizedAgainstBitSetModel()
    {
        final Random random = new Random(6675);
        for (int trial = 0; trial < 200; trial++)
        {
            final SackScoreboard sb = new SackScoreboard(4096);
            final int base = random.nextBoolean() ? BASE : random.nextInt();
            sb.reset(base);
            final BitSet sacked = new BitSet(WINDOW);
            int una = 0;
            final int nxt = WINDOW;
            final int mss = 1 + random.nextInt(120);
            for (int step = 0; step < 60; step++)
            {
                if (random.nextInt(5) == 0)
                {
                    una = Math.min(nxt, una + random.nextInt(150));
                    sb.onAck(base + una);
                    sacked.clear(0, una);
                }
                else
                {
                    final int s = una - 200 + random.nextInt(WINDOW - una + 200);
                    final int e = Math.min(nxt, s + 1 + random.nextInt(300));
                    final int before = sacked.cardinality();
                    if (e > una)
                    {
                        sacked.set(Math.max(s, una), e);
                    }
                    final int added = sb.addSackBlock(base + s, base + e);
                    assertEquals(sacked.cardinality() - before, added, "newly SACKed bytes");
                }
                check(sb, sacked, base, una, nxt, mss, random);
            }
        }
    }

    private static void check(final SackScoreboard sb, final BitSet sacked, final int base, final int una,
        final int nxt, final int mss, final Random random)
    {
        assertEquals(sacked.cardinality(), sb.sackedBytes());
        for (int i = 0; i + 1 < sb.rangeCount(); i++)
        {
            assertTrue(SeqNum.lt(sb.rangeEnd(i), sb.rangeStart(i + 1)), "sorted, disjoint, not adjacent");
        }
        final boolean[] lost = modelIsLost(sacked, nxt, mss);
        for (int off = una; off < nxt; off++)
        {
            assertEquals(sacked.get(off), sb.isSacked(base + off), "isSacked " + off);
            assertEquals(lost[off], sb.isLost(base + off, mss), "isLost " + off);
        }
        final int highRxt = una + random.nextInt(nxt - una + 1);
        assertEquals(modelPipe(sacked, lost, una, nxt, highRxt), sb.pipe(base + una, base + nxt, base + highRxt, mss),
            "pipe with HighRxt+1 at " + highRxt);
        final boolean canSendNew = random.nextBoolean();
        final long expected = modelNextSeg(sacked, lost, una, nxt, highRxt, mss, canSendNew);
        final long actual = sb.nextSeg(base + una, base + nxt, base + highRxt, mss, canSendNew);
        if (expected < 0)
        {
            assertEquals(SackScoreboard.NO_SEGMENT, actual);
        }
        else
        {
            final int expectedOffset = (int) (expected >>> 32);
            assertEquals(SeqNum.toUnsigned(base + expectedOffset), actual, "nextSeg");
            assertEquals((int) expected, sb.nextSegLength(), "nextSeg length");
        }
    }

    /**
     * RFC 6675 IsLost() for every byte: DupThresh (3) discontiguous SACKed runs above it, or more than
     * (DupThresh - 1) * SMSS SACKed bytes above it; a SACKed byte is not lost.
     */
    private static boolean[] modelIsLost(final BitSet sacked, final int nxt, final int mss)
    {
        final boolean[] lost = new boolean[nxt];
        int runs = 0;
        int bytes = 0;
        for (int off = nxt - 1; off >= 0; off--)
        {
            lost[off] = !sacked.get(off) && (runs >= 3 || bytes > 2 * mss);
            if (sacked.get(off))
            {
                bytes++;
                if (off == 0 || !sacked.get(off - 1))
                {
                    runs++;
                }
            }
        }
        return lost;
    }

    /** RFC 6675 SetPipe() read literally: a loop over every octet. */
    private static int modelPipe(final BitSet sacked, final boolean[] lost, final int una, final int nxt,
        final int highRxt)
    {
        int pipe = 0;
        for (int s1 = una; s1 < nxt; s1++)
        {
            if (sacked.get(s1))
            {
                continue;
            }
            if (!lost[s1])
            {
                pipe++;
            }
            if (s1 < highRxt)
            {
                pipe++;
            }
        }
        return pipe;
    }

    /** RFC 6675 NextSeg() rules (1) to (3) read literally; returns offset << 32 | length, or -1. */
    private static long modelNextSeg(final BitSet sacked, final boolean[] lost, final int una, final int nxt,
        final int highRxt, final int mss, final boolean canSendNew)
    {
        final int highestSacked = sacked.previousSetBit(nxt - 1);
        int rule3 = -1;
        for (int s2 = Math.max(una, highRxt); s2 < highestSacked; s2++)
        {
            if (sacked.get(s2))
            {
                continue;
            }
            if (lost[s2])
            {
                return segment(sacked, s2, nxt, mss);
            }
            if (rule3 < 0)
            {
                rule3 = s2;
            }
        }
        if (canSendNew)
        {
            return ((long) nxt << 32) | mss;
        }
        return rule3 < 0 ? -1 : segment(sacked, rule3, nxt, mss);
    }

    private static long segment(final BitSet sacked, final int from, final int nxt, final int mss)
    {
        final int nextSacked = sacked.nextSetBit(from);
        final int holeEnd = nextSacked < 0 ? nxt : Math.min(nxt, nextSacked);
        return ((long) from << 32) | Math.min(mss, holeEnd - from);
    }

    @Test
    void randomizedBoundedScoreboardNeverClaimsUnsackedData()
    {
        final Random random = new Random(2018);
        for (int trial = 0; trial < 200; trial++)
        {
            final int max = 1 + random.nextInt(6);
            final SackScoreboard sb = new SackScoreboard(max);
            sb.reset(BASE);
            final BitSet sacked = new BitSet(WINDOW);
            int una = 0;
            for (int step = 0; step < 80; step++)
            {
                if (random.nextInt(6) == 0)
                {
                    una = Math.min(WINDOW, una + random.nextInt(200));
                    sb.onAck(seq(una));
                    sacked.clear(0, una);
                }
                else
                {
                    final int s = una + random.nextInt(WINDOW - una + 1);
                    final int e = Math.min(WINDOW, s + 1 + random.nextInt(60));
                    if (e > s)
                    {
                        sacked.set(s, e);
                        sb.addSackBlock(seq(s), seq(e));
                    }
                }
                assertTrue(sb.rangeCount() <= max);
                int total = 0;
                for (int i = 0; i < sb.rangeCount(); i++)
                {
                    final int from = SeqNum.sub(sb.rangeStart(i), BASE);
                    final int to = SeqNum.sub(sb.rangeEnd(i), BASE);
                    assertTrue(from >= una && to > from);
                    assertEquals(to - from, sacked.get(from, to).cardinality(), "only truly SACKed bytes");
                    total += to - from;
                    if (i > 0)
                    {
                        assertTrue(SeqNum.lt(sb.rangeEnd(i - 1), sb.rangeStart(i)));
                    }
                }
                assertEquals(total, sb.sackedBytes());
            }
        }
    }
}
