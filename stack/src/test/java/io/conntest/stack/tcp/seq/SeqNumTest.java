package io.conntest.stack.tcp.seq;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqNumTest
{
    private static final int TOP = 0xFFFF_FFFF; // 2^32 - 1 as an int (-1)

    @Test
    void rfc9293_3_4_comparisonsAcrossTheWrap()
    {
        // 2^32 - 1 is followed by 0 modulo 2^32.
        assertTrue(SeqNum.lt(TOP, 0));
        assertTrue(SeqNum.le(TOP, 0));
        assertTrue(SeqNum.gt(0, TOP));
        assertTrue(SeqNum.ge(0, TOP));
        assertFalse(SeqNum.gt(TOP, 0));
        assertFalse(SeqNum.lt(0, TOP));
        assertTrue(SeqNum.lt(0xFFFF_FF00, 0x0000_0100));
        assertTrue(SeqNum.lt(Integer.MAX_VALUE, Integer.MIN_VALUE));
        assertTrue(SeqNum.gt(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void equalNumbersAreLeAndGeButNotLtOrGt()
    {
        for (final int a : new int[] {0, 1, TOP, Integer.MAX_VALUE, Integer.MIN_VALUE})
        {
            assertTrue(SeqNum.le(a, a));
            assertTrue(SeqNum.ge(a, a));
            assertFalse(SeqNum.lt(a, a));
            assertFalse(SeqNum.gt(a, a));
        }
    }

    @Test
    void addAndSubWrapModulo2To32()
    {
        assertEquals(4, SeqNum.add(TOP - 5, 10));
        assertEquals(4, SeqNum.add(-6, 10));
        assertEquals(TOP, SeqNum.add(0, -1));
        assertEquals(10, SeqNum.sub(4, -6));
        assertEquals(-10, SeqNum.sub(-6, 4));
        assertEquals(0x100, SeqNum.sub(0x80, 0xFFFF_FF80));
    }

    @Test
    void rfc1982_numbersHalfTheCircleApartAreConsistent()
    {
        // RFC 1982 §3.2 leaves a distance of exactly 2^(SERIAL_BITS-1) undefined; here each is before the other.
        final int a = 7;
        final int b = a + Integer.MIN_VALUE;
        assertEquals(Integer.MIN_VALUE, SeqNum.sub(b, a));
        assertEquals(Integer.MIN_VALUE, SeqNum.sub(a, b));
        assertTrue(SeqNum.lt(b, a));
        assertTrue(SeqNum.lt(a, b));
        // Just below half the circle: ordinary order.
        assertTrue(SeqNum.gt(a + Integer.MAX_VALUE, a));
    }

    @Test
    void maxAndMinAcrossTheWrap()
    {
        assertEquals(3, SeqNum.max(TOP, 3));
        assertEquals(3, SeqNum.max(3, TOP));
        assertEquals(TOP, SeqNum.min(TOP, 3));
        assertEquals(TOP, SeqNum.min(3, TOP));
        assertEquals(5, SeqNum.max(5, 5));
    }

    @Test
    void rfc9293_3_4_inRangeIsHalfOpen()
    {
        // RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND with the window straddling the wrap.
        final int start = 0xFFFF_FFF0;
        final int end = SeqNum.add(start, 0x20);
        assertTrue(SeqNum.inRange(start, start, end));
        assertTrue(SeqNum.inRange(TOP, start, end));
        assertTrue(SeqNum.inRange(0, start, end));
        assertTrue(SeqNum.inRange(0x0F, start, end));
        assertFalse(SeqNum.inRange(0x10, start, end));
        assertFalse(SeqNum.inRange(start - 1, start, end));
        // An empty window contains nothing, not even its start.
        assertFalse(SeqNum.inRange(start, start, start));
        assertTrue(SeqNum.inRangeInclusive(start, start, start));
        assertTrue(SeqNum.inRangeInclusive(0x10, start, end));
        assertFalse(SeqNum.inRangeInclusive(0x11, start, end));
    }

    @Test
    void inRangeHandlesWindowsLargerThanHalfTheCircle()
    {
        final int start = 100;
        final int end = start + 0xC000_0000; // a 3 GiB range: still exact because it is unsigned
        assertTrue(SeqNum.inRange(start + 0xB000_0000, start, end));
        assertFalse(SeqNum.inRange(start + 0xD000_0000, start, end));
    }

    @Test
    void toUnsignedShowsTheWireValue()
    {
        assertEquals(4_294_967_295L, SeqNum.toUnsigned(TOP));
        assertEquals(2_147_483_648L, SeqNum.toUnsigned(Integer.MIN_VALUE));
    }

    @Test
    void randomizedAgreementWithLongArithmetic()
    {
        final Random random = new Random(0x5E9);
        for (int i = 0; i < 100_000; i++)
        {
            final long base = random.nextLong() & 0xFFFF_FFFFL;
            final long delta = random.nextInt(1 << 30) - (1 << 29); // well inside half the circle
            final int a = (int) base;
            final int b = (int) (base + delta);
            assertEquals(delta > 0, SeqNum.gt(b, a));
            assertEquals(delta < 0, SeqNum.lt(b, a));
            assertEquals(delta, SeqNum.sub(b, a));
            assertEquals(delta >= 0 ? b : a, SeqNum.max(a, b));
            final int len = random.nextInt(1 << 30);
            assertEquals(delta >= 0 && delta < len, SeqNum.inRange(b, a, a + len));
        }
    }
}
