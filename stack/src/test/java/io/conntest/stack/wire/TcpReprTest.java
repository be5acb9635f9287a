package io.conntest.stack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpReprTest
{
    private static final int SRC = 0x0A000001;
    private static final int DST = 0x0A000002;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final TcpPacket view = new TcpPacket();

    /** A SYN as Linux sends it: MSS 1460, SACK-permitted, timestamps, NOP, window scale 7 (options 20 bytes). */
    private static byte[] linuxSyn()
    {
        final int[] b = {
            0xc3, 0x50, 0x00, 0x07, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0,
            0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x01, 0x02, 0x03,
            0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};
        final byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++)
        {
            out[i] = (byte)b[i];
        }
        return out;
    }

    private int placeWithChecksum(final byte[] bytes)
    {
        buffer.putBytes(100, bytes);
        view.wrapForWrite(buffer, 100, bytes.length);
        view.fillChecksum(SRC, DST);
        return bytes.length;
    }

    @Test
    void parsesLinuxSynOptions()
    {
        final int len = placeWithChecksum(linuxSyn());
        assertTrue(view.wrap(buffer, 100, len));
        final TcpRepr repr = new TcpRepr();
        assertEquals(TcpRepr.ParseResult.OK, repr.parse(view, SRC, DST, true));
        assertEquals(50000, repr.srcPort);
        assertEquals(7, repr.dstPort);
        assertEquals(0x12345678, repr.seq);
        assertEquals(TcpPacket.FLAG_SYN, repr.flags);
        assertEquals(64240, repr.window);
        assertEquals(1460, repr.mss);
        assertTrue(repr.sackPermitted);
        assertTrue(repr.hasTimestamps);
        assertEquals(0x00010203, repr.tsVal);
        assertEquals(7, repr.windowScale);
        assertEquals(0, repr.payloadLength);
        assertEquals(1, repr.segmentLength());
    }

    @Test
    void emitThenParseRoundTripsEveryOptionAndPayload()
    {
        final TcpRepr out = new TcpRepr();
        out.srcPort = 1234;
        out.dstPort = 80;
        out.seq = 0xFFFF_FFF0;
        out.ack = 42;
        out.flags = TcpPacket.FLAG_ACK | TcpPacket.FLAG_PSH | TcpPacket.FLAG_FIN;
        out.window = 65535;
        out.hasTimestamps = true;
        out.tsVal = 7;
        out.tsEcr = 9;
        out.sackBlockCount = 3;
        for (int i = 0; i < 3; i++)
        {
            out.sackLeft[i] = 1000 * i;
            out.sackRight[i] = 1000 * i + 500;
        }
        assertEquals(40, out.optionsLength());
        assertEquals(3, out.sackBlocksThatFit());
        final int payload = 100;
        final int hl = out.headerLength();
        for (int i = 0; i < payload; i++)
        {
            buffer.putByte(hl + i, (byte)i);
        }
        out.emit(view, buffer, 0, hl + payload, SRC, DST);
        assertTrue(view.wrap(buffer, 0, hl + payload));
        final TcpRepr in = new TcpRepr();
        assertEquals(TcpRepr.ParseResult.OK, in.parse(view, SRC, DST, true));
        assertEquals(out.seq, in.seq);
        assertEquals(out.ack, in.ack);
        assertEquals(out.flags, in.flags);
        assertEquals(3, in.sackBlockCount);
        assertEquals(2500, in.sackRight[2]);
        assertEquals(9, in.tsEcr);
        assertEquals(payload, in.payloadLength);
        assertEquals(hl, in.payloadOffset);
        assertEquals(payload + 1, in.segmentLength());
        // Byte-compare: emitting the parsed repr again gives the same bytes.
        final UnsafeBuffer again = new UnsafeBuffer(new byte[2048]);
        again.putBytes(hl, buffer, hl, payload);
        in.emit(new TcpPacket(), again, 0, hl + payload, SRC, DST);
        for (int i = 0; i < hl + payload; i++)
        {
            assertEquals(buffer.getByte(i), again.getByte(i), "byte " + i);
        }
    }

    @Test
    void synOptionsWithoutTimestampsCarrySackPermittedAndFourSackBlocksFitWithoutTimestamps()
    {
        final TcpRepr out = new TcpRepr();
        out.flags = TcpPacket.FLAG_SYN;
        out.mss = 1460;
        out.sackPermitted = true;
        out.windowScale = 5;
        out.emit(view, buffer, 0, out.headerLength(), SRC, DST);
        final TcpRepr in = new TcpRepr();
        assertTrue(view.wrap(buffer, 0, out.headerLength()));
        assertEquals(TcpRepr.ParseResult.OK, in.parse(view, SRC, DST, true));
        assertEquals(1460, in.mss);
        assertTrue(in.sackPermitted);
        assertFalse(in.hasTimestamps);
        assertEquals(5, in.windowScale);
        assertEquals(4, new TcpRepr().sackBlocksThatFit());
    }

    @Test
    void rfc9293_3_2_unknownOptionIsSkippedByItsLength()
    {
        final byte[] seg = new byte[28];
        seg[12] = (byte)0x70; // data offset 7 words
        seg[13] = TcpPacket.FLAG_ACK;
        seg[20] = (byte)30; // unknown kind
        seg[21] = 4;
        seg[24] = TcpRepr.OPT_MSS;
        seg[25] = 4;
        seg[26] = 0x05;
        seg[27] = (byte)0xb4;
        final int len = placeWithChecksum(seg);
        assertTrue(view.wrap(buffer, 100, len));
        final TcpRepr repr = new TcpRepr();
        assertEquals(TcpRepr.ParseResult.OK, repr.parse(view, SRC, DST, true));
        assertEquals(1460, repr.mss);
    }

    @Test
    void rfc9293_3_2_zeroOptionLengthIsMalformed()
    {
        final byte[] seg = new byte[24];
        seg[12] = (byte)0x60;
        seg[20] = (byte)30;
        seg[21] = 0;
        final int len = placeWithChecksum(seg);
        assertTrue(view.wrap(buffer, 100, len));
        assertEquals(TcpRepr.ParseResult.BAD_OPTION, new TcpRepr().parse(view, SRC, DST, true));
    }

    @Test
    void optionRunningPastHeaderIsMalformed()
    {
        final byte[] seg = new byte[24];
        seg[12] = (byte)0x60;
        seg[20] = TcpRepr.OPT_TIMESTAMPS;
        seg[21] = 10;
        final int len = placeWithChecksum(seg);
        assertTrue(view.wrap(buffer, 100, len));
        assertEquals(TcpRepr.ParseResult.BAD_OPTION, new TcpRepr().parse(view, SRC, DST, true));
    }

    @Test
    void rfc7323_2_3_windowScaleAbove14IsUsedAs14()
    {
        final byte[] seg = new byte[24];
        seg[12] = (byte)0x60;
        seg[13] = TcpPacket.FLAG_SYN;
        seg[20] = TcpRepr.OPT_WSCALE;
        seg[21] = 3;
        seg[22] = 15;
        final int len = placeWithChecksum(seg);
        assertTrue(view.wrap(buffer, 100, len));
        final TcpRepr repr = new TcpRepr();
        assertEquals(TcpRepr.ParseResult.OK, repr.parse(view, SRC, DST, true));
        assertEquals(14, repr.windowScale);
    }

    @Test
    void truncatedAndBadDataOffsetAreRejectedBeforeAnyRead()
    {
        final int len = placeWithChecksum(linuxSyn());
        assertFalse(view.wrap(buffer, 100, 19));
        assertFalse(view.wrap(buffer, 100, 39)); // data offset 40 > 39
        buffer.putByte(112, (byte)0x40); // data offset 16 bytes < 20
        assertFalse(view.wrap(buffer, 100, len));
    }

    @Test
    void rfc9293_3_1_badChecksumIsReported()
    {
        final int len = placeWithChecksum(linuxSyn());
        buffer.putByte(110, (byte)(buffer.getByte(110) ^ 1));
        assertTrue(view.wrap(buffer, 100, len));
        assertEquals(TcpRepr.ParseResult.BAD_CHECKSUM, new TcpRepr().parse(view, SRC, DST, true));
    }

    @Test
    void randomBytesNeverThrow()
    {
        final Random random = new Random(7);
        final byte[] bytes = new byte[80];
        final TcpRepr repr = new TcpRepr();
        int wrapped = 0;
        int rejected = 0;
        for (int i = 0; i < 100_000; i++)
        {
            random.nextBytes(bytes);
            final int len = random.nextInt(81);
            buffer.putBytes(0, bytes);
            if (view.wrap(buffer, 0, len))
            {
                wrapped++;
                if (repr.parse(view, SRC, DST, random.nextBoolean()) != TcpRepr.ParseResult.OK)
                {
                    rejected++;
                }
            }
        }
        assertTrue(wrapped > 1000 && rejected > 0 && rejected < wrapped, wrapped + " " + rejected);
    }

    @Test
    void rfc9293_3_1_optionsAreParsedRegardlessOfWordAlignment()
    {
        final byte[] seg = new byte[28];
        seg[12] = (byte)0x70;
        seg[13] = TcpPacket.FLAG_SYN;
        seg[20] = (byte)30; // unknown option of 3 bytes: the MSS that follows starts at an odd offset
        seg[21] = 3;
        seg[23] = TcpRepr.OPT_MSS;
        seg[24] = 4;
        seg[25] = 0x02;
        seg[26] = 0x18;
        seg[27] = TcpRepr.OPT_END;
        final int len = placeWithChecksum(seg);
        assertTrue(view.wrap(buffer, 100, len));
        final TcpRepr repr = new TcpRepr();
        assertEquals(TcpRepr.ParseResult.OK, repr.parse(view, SRC, DST, true));
        assertEquals(536, repr.mss);
    }
}
