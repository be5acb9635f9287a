package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IPv4 ({@link Ipv4Packet}, {@link Ipv4Repr}, RFC 791): wrapping never throws or reads past the bytes given and
 * accepts exactly a structurally sound header (checked here against an independent reading of RFC 791); parse
 * accepts exactly a verified checksum, a clear reserved flag and a fragment that ends within 65,535 bytes; an
 * accepted datagram emits (with a 20-byte header) to a datagram that parses to the same fields, byte for byte the
 * same when the original had no options. Input: {@code [datagram bytes][fix checksum?][offset 0..7]}; the
 * checksum fix-up lets half the inputs past the checksum.
 */
class Ipv4FuzzTest
{
    @FuzzTest(maxDuration = "150s")
    void parseEmitRoundTrip(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final boolean fixChecksum = data.consumeBoolean();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = FuzzSupport.exact(bytes, offset);
        final int length = bytes.length;
        if (fixChecksum)
        {
            FuzzSupport.fixIpv4HeaderChecksum(buffer, offset, length);
        }

        final Ipv4Packet packet = new Ipv4Packet();
        final Ipv4Repr repr = new Ipv4Repr();
        final boolean wrapped = packet.wrapChecked(buffer, offset, length);
        boolean sound = false;
        int headerLength = 0;
        int totalLength = 0;
        if (length >= Ipv4Packet.MIN_HEADER_LENGTH)
        {
            headerLength = (buffer.getByte(offset) & 0x0F) * 4;
            totalLength = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            sound = (buffer.getByte(offset) & 0xF0) == 0x40 && headerLength >= Ipv4Packet.MIN_HEADER_LENGTH
                && totalLength >= headerLength && totalLength <= length;
        }
        assertEquals(sound, wrapped, "wrapChecked accepts exactly a structurally sound header");
        if (!wrapped)
        {
            assertFalse(repr.parse(packet), "a view that failed to wrap must not parse");
            return;
        }
        assertEquals(totalLength, packet.length(), "the view is trimmed to the total length");
        assertEquals(totalLength - headerLength, packet.payloadLength());

        final boolean checksumOk = Checksum.verifies(Checksum.add(0, buffer, offset, headerLength));
        final int flags = buffer.getShort(offset + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int fragmentOffset = (flags & 0x1FFF) * 8;
        final boolean expectAccepted = checksumOk && (flags & 0x8000) == 0
            && fragmentOffset + totalLength <= Ipv4Packet.MAX_LENGTH;
        final boolean accepted = repr.parse(packet);
        assertEquals(expectAccepted, accepted, "parse: checksum, reserved flag, end within 65,535 bytes");
        if (!accepted)
        {
            return;
        }
        assertEquals(headerLength, repr.headerLength());
        assertEquals(totalLength - headerLength, repr.payloadLength());
        assertEquals(fragmentOffset, repr.fragmentOffset());
        assertEquals((flags & 0x2000) != 0, repr.moreFragments());
        assertEquals((flags & 0x4000) != 0, repr.dontFragment());

        final int emittedLength = repr.bufferLength();
        assertEquals(Ipv4Packet.MIN_HEADER_LENGTH + repr.payloadLength(), emittedLength);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[emittedLength]);
        out.putBytes(Ipv4Packet.MIN_HEADER_LENGTH, buffer, offset + headerLength, repr.payloadLength());
        repr.emit(new Ipv4Packet().wrap(out, 0, emittedLength));

        final Ipv4Packet reread = new Ipv4Packet();
        assertTrue(reread.wrapChecked(out, 0, emittedLength), "emitted datagram wraps");
        final Ipv4Repr again = new Ipv4Repr();
        assertTrue(again.parse(reread), "emitted datagram parses");
        assertEquals(Ipv4Packet.MIN_HEADER_LENGTH, again.headerLength());
        assertEquals(repr.sourceAddress(), again.sourceAddress());
        assertEquals(repr.destinationAddress(), again.destinationAddress());
        assertEquals(repr.protocol(), again.protocol());
        assertEquals(repr.ttl(), again.ttl());
        assertEquals(repr.dscpEcn(), again.dscpEcn());
        assertEquals(repr.identification(), again.identification());
        assertEquals(repr.dontFragment(), again.dontFragment());
        assertEquals(repr.moreFragments(), again.moreFragments());
        assertEquals(repr.fragmentOffset(), again.fragmentOffset());
        assertEquals(repr.payloadLength(), again.payloadLength());
        if (headerLength == Ipv4Packet.MIN_HEADER_LENGTH)
        {
            FuzzSupport.assertSameBytesExceptChecksum(buffer, offset, out, 0, totalLength, 10, "IPv4");
        }
        else
        {
            FuzzSupport.assertSameBytesExceptChecksum(buffer, offset + headerLength, out,
                Ipv4Packet.MIN_HEADER_LENGTH, totalLength - headerLength, -2, "IPv4 payload");
        }
    }
}
