package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP ({@link UdpPacket}, {@link UdpRepr}, RFC 768): wrapping never throws and accepts exactly a length field of
 * 8 or more within the bytes given; parse accepts exactly a checksum that verifies over the pseudo-header or is
 * zero (RFC 1122 §4.1.3.4); an accepted datagram emits to the same bytes with a non-zero checksum that verifies,
 * and parses to the same repr. Input: {@code [datagram][dst address][src address][checksum mode][offset 0..7]},
 * checksum mode 0 leaves it, 1 fixes it, 2 zeroes it.
 */
class UdpFuzzTest
{
    @FuzzTest(maxDuration = "150s")
    void parseEmitRoundTrip(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final int checksumMode = data.consumeInt(0, 2);
        final int srcAddr = data.consumeInt();
        final int dstAddr = data.consumeInt();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = FuzzSupport.exact(bytes, offset);
        final int length = bytes.length;

        final int udpLength = length >= 6 ? buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0;
        final boolean sound = length >= UdpPacket.HEADER_LENGTH && udpLength >= UdpPacket.HEADER_LENGTH
            && udpLength <= length;
        if (sound && checksumMode == 1)
        {
            FuzzSupport.fixUdpChecksum(buffer, offset, udpLength, srcAddr, dstAddr);
        }
        else if (sound && checksumMode == 2)
        {
            buffer.putShort(offset + 6, (short)0, ByteOrder.BIG_ENDIAN);
        }

        final UdpPacket packet = new UdpPacket();
        final UdpRepr repr = new UdpRepr();
        final boolean wrapped = packet.wrapChecked(buffer, offset, length);
        assertEquals(sound, wrapped, "wrapChecked accepts exactly a length field in [8, bytes given]");
        if (!wrapped)
        {
            assertFalse(repr.parse(packet, srcAddr, dstAddr), "a view that failed to wrap must not parse");
            return;
        }
        assertEquals(udpLength, packet.length(), "the view is trimmed to the length field");

        final int checksum = buffer.getShort(offset + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final long sum = Checksum.add(
            Checksum.addPseudoHeader(0, srcAddr, dstAddr, Ipv4Packet.PROTOCOL_UDP, udpLength), buffer, offset,
            udpLength);
        final boolean expectAccepted = checksum == 0 || Checksum.verifies(sum);
        final boolean accepted = repr.parse(packet, srcAddr, dstAddr);
        assertEquals(expectAccepted, accepted, "parse accepts exactly a verified or absent checksum");
        if (!accepted)
        {
            return;
        }
        assertEquals(udpLength - UdpPacket.HEADER_LENGTH, repr.payloadLength());

        final UnsafeBuffer out = new UnsafeBuffer(new byte[repr.bufferLength()]);
        final UdpPacket emitted = new UdpPacket().wrap(out, 0, repr.bufferLength());
        repr.emit(emitted, srcAddr, dstAddr, buffer, offset + UdpPacket.HEADER_LENGTH);
        FuzzSupport.assertSameBytesExceptChecksum(buffer, offset, out, 0, udpLength, 6, "UDP");
        assertNotEquals(0, emitted.checksum(), "a computed checksum of 0 is sent as 0xFFFF (RFC 768)");
        assertTrue(emitted.verifyChecksum(srcAddr, dstAddr), "emitted checksum verifies");

        final UdpPacket reread = new UdpPacket();
        assertTrue(reread.wrapChecked(out, 0, repr.bufferLength()));
        final UdpRepr again = new UdpRepr();
        assertTrue(again.parse(reread, srcAddr, dstAddr));
        assertEquals(repr.sourcePort(), again.sourcePort());
        assertEquals(repr.destinationPort(), again.destinationPort());
        assertEquals(repr.payloadLength(), again.payloadLength());
    }
}
