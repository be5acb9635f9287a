package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP segments ({@link TcpPacket}, {@link TcpRepr}, RFC 9293 §3.1, options of RFC 7323 and RFC 2018): wrapping
 * never throws or reads past the bytes given and accepts exactly a data offset in [20, bytes given]; parse never
 * reports "too short" for a wrapped view, and reports a bad checksum exactly when it does not verify; a segment it
 * accepts, once re-emitted (options in the repr's own layout), parses to the same fields, options and payload.
 * Input: {@code [segment][dst address][src address][fix checksum?][offset 0..7]}.
 */
class TcpSegmentFuzzTest
{
    @FuzzTest(maxDuration = "150s")
    void parseEmitRoundTrip(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final boolean fixChecksum = data.consumeBoolean();
        final int srcAddr = data.consumeInt();
        final int dstAddr = data.consumeInt();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = FuzzSupport.exact(bytes, offset);
        final int length = bytes.length;

        final int dataOffset = length > 12 ? ((bytes[12] & 0xF0) >>> 4) * 4 : 0;
        final boolean sound = length >= TcpPacket.HEADER_LENGTH && dataOffset >= TcpPacket.HEADER_LENGTH
            && dataOffset <= length;
        final TcpPacket view = new TcpPacket();
        assertEquals(sound, view.wrap(buffer, offset, length), "wrap accepts exactly a data offset in [20, length]");
        if (!sound)
        {
            return;
        }
        if (fixChecksum)
        {
            view.wrapForWrite(buffer, offset, length);
            view.fillChecksum(srcAddr, dstAddr);
        }
        final boolean checksumOk = view.checksumValid(srcAddr, dstAddr);
        final TcpRepr repr = new TcpRepr();
        final TcpRepr.ParseResult result = repr.parse(view, srcAddr, dstAddr, true);
        assertNotEquals(TcpRepr.ParseResult.TOO_SHORT, result, "a wrapped view is never too short");
        assertEquals(!checksumOk, result == TcpRepr.ParseResult.BAD_CHECKSUM, "bad checksum exactly when it fails");
        if (result != TcpRepr.ParseResult.OK)
        {
            return;
        }
        assertEquals(offset + dataOffset, repr.payloadOffset);
        assertEquals(length - dataOffset, repr.payloadLength);
        assertTrue(repr.sackBlockCount >= 0 && repr.sackBlockCount <= TcpRepr.MAX_SACK_BLOCKS);
        assertTrue(repr.windowScale >= -1 && repr.windowScale <= TcpRepr.MAX_WINDOW_SCALE);
        if (repr.headerLength() > TcpPacket.MAX_HEADER_LENGTH)
        {
            // 40 option bytes on the wire can hold more than the repr's padded layout does (e.g. SACK-permitted,
            // window scale and four SACK blocks): such a repr cannot be emitted as it stands.
            return;
        }

        final int segmentLength = repr.headerLength() + repr.payloadLength;
        final UnsafeBuffer out = new UnsafeBuffer(new byte[segmentLength]);
        out.putBytes(repr.headerLength(), buffer, repr.payloadOffset, repr.payloadLength);
        final TcpPacket emitted = new TcpPacket();
        assertEquals(repr.headerLength(), repr.emit(emitted, out, 0, segmentLength, srcAddr, dstAddr));

        final TcpPacket reread = new TcpPacket();
        assertTrue(reread.wrap(out, 0, segmentLength), "emitted segment wraps");
        final TcpRepr again = new TcpRepr();
        assertEquals(TcpRepr.ParseResult.OK, again.parse(reread, srcAddr, dstAddr, true), "emitted segment parses");
        assertEquals(repr.srcPort, again.srcPort);
        assertEquals(repr.dstPort, again.dstPort);
        assertEquals(repr.seq, again.seq);
        assertEquals(repr.ack, again.ack);
        assertEquals(repr.flags, again.flags);
        assertEquals(repr.window, again.window);
        assertEquals(repr.urgentPointer, again.urgentPointer);
        assertEquals(repr.mss, again.mss);
        assertEquals(repr.windowScale, again.windowScale);
        assertEquals(repr.sackPermitted, again.sackPermitted);
        assertEquals(repr.hasTimestamps, again.hasTimestamps);
        assertEquals(repr.tsVal, again.tsVal);
        assertEquals(repr.tsEcr, again.tsEcr);
        assertEquals(repr.sackBlockCount, again.sackBlockCount);
        for (int b = 0; b < repr.sackBlockCount; b++)
        {
            assertEquals(repr.sackLeft[b], again.sackLeft[b]);
            assertEquals(repr.sackRight[b], again.sackRight[b]);
        }
        assertEquals(repr.payloadLength, again.payloadLength);
        assertArrayEquals(FuzzSupport.copy(buffer, repr.payloadOffset, repr.payloadLength),
            FuzzSupport.copy(out, again.payloadOffset, again.payloadLength));
    }
}
