package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Icmpv4Repr;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ICMPv4 ({@link Icmpv4Packet}, {@link Icmpv4Repr}, RFC 792): wrapping never throws and accepts exactly 8 bytes
 * or more; parse accepts exactly a verified checksum; an accepted message emits to the same bytes both into a
 * fresh buffer and in place (the way an echo reply is built), and parses to the same repr. Input:
 * {@code [message bytes][fix checksum?][offset 0..7]}.
 */
class Icmpv4FuzzTest
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
            FuzzSupport.fixChecksum(buffer, offset, length, offset + 2);
        }

        final Icmpv4Packet packet = new Icmpv4Packet();
        final Icmpv4Repr repr = new Icmpv4Repr();
        final boolean wrapped = packet.wrapChecked(buffer, offset, length);
        assertEquals(length >= Icmpv4Packet.HEADER_LENGTH, wrapped, "wrapChecked accepts exactly 8 bytes or more");
        if (!wrapped)
        {
            assertFalse(repr.parse(packet), "a view that failed to wrap must not parse");
            return;
        }
        // Every accessor of the view stays within it, whatever the type says.
        packet.type();
        packet.code();
        packet.identifier();
        packet.sequence();
        packet.nextHopMtu();
        Icmpv4Packet.isError(packet.type());

        final boolean checksumOk = Checksum.verifies(Checksum.add(0, buffer, offset, length));
        final boolean accepted = repr.parse(packet);
        assertEquals(checksumOk, accepted, "parse accepts exactly a verified checksum");
        if (!accepted)
        {
            return;
        }
        assertEquals(length, repr.bufferLength());
        assertEquals(length - Icmpv4Packet.HEADER_LENGTH, repr.dataLength());

        final UnsafeBuffer out = new UnsafeBuffer(new byte[repr.bufferLength()]);
        final Icmpv4Packet emitted = new Icmpv4Packet().wrap(out, 0, repr.bufferLength());
        repr.emit(emitted);
        FuzzSupport.assertSameBytesExceptChecksum(buffer, offset, out, 0, length, 2, "ICMP");
        assertTrue(emitted.verifyChecksum(), "emitted checksum verifies");

        final Icmpv4Repr again = new Icmpv4Repr();
        assertTrue(again.parse(emitted));
        assertEquals(repr.type(), again.type());
        assertEquals(repr.code(), again.code());
        assertEquals(repr.restOfHeader(), again.restOfHeader());
        assertEquals(repr.dataLength(), again.dataLength());

        // In place: the data already sits where emit would copy it.
        final byte[] before = FuzzSupport.copy(buffer, offset, length);
        repr.emit(packet);
        FuzzSupport.assertSameBytesExceptChecksum(FuzzSupport.exact(before, 0), 0, buffer, offset, length, 2,
            "ICMP in place");
        assertTrue(packet.verifyChecksum(), "checksum emitted in place verifies");
    }
}
