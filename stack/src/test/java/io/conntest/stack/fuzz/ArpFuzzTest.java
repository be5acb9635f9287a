package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARP ({@link ArpPacket}, {@link ArpRepr}, RFC 826): wrapping never throws or reads past the bytes given, and
 * accepts exactly what holds the fixed part plus the addresses it declares; parse accepts exactly Ethernet/IPv4
 * requests and replies, which emit back to the same 28 bytes and parse to the same repr. Input:
 * {@code [ARP bytes][offset 0..7]}.
 */
class ArpFuzzTest
{
    @FuzzTest(maxDuration = "150s")
    void parseEmitRoundTrip(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = FuzzSupport.exact(bytes, offset);
        final int length = bytes.length;

        final ArpPacket packet = new ArpPacket();
        final ArpRepr repr = new ArpRepr();
        final boolean wrapped = packet.wrapChecked(buffer, offset, length);
        final boolean expectWrapped = length >= ArpPacket.FIXED_LENGTH
            && length >= ArpPacket.FIXED_LENGTH + 2 * ((bytes[4] & 0xFF) + (bytes[5] & 0xFF));
        assertEquals(expectWrapped, wrapped, "wrapChecked accepts exactly the fixed part plus declared addresses");
        if (!wrapped)
        {
            assertFalse(repr.parse(packet), "a view that failed to wrap must not parse");
            return;
        }
        final boolean ethernetIpv4 = packet.hardwareType() == ArpPacket.HARDWARE_ETHERNET
            && packet.protocolType() == EthernetFrame.ETHERTYPE_IPV4
            && packet.hardwareLength() == 6 && packet.protocolLength() == 4;
        assertEquals(ethernetIpv4, packet.isEthernetIpv4());
        final int operation = packet.operation();
        final boolean accepted = repr.parse(packet);
        assertEquals(ethernetIpv4 && (operation == ArpPacket.OPERATION_REQUEST
            || operation == ArpPacket.OPERATION_REPLY), accepted, "parse accepts Ethernet/IPv4 requests and replies");
        if (!accepted)
        {
            return;
        }
        assertEquals(buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN), repr.senderIp());
        assertEquals(buffer.getInt(offset + 24, ByteOrder.BIG_ENDIAN), repr.targetIp());

        final UnsafeBuffer out = new UnsafeBuffer(new byte[repr.bufferLength()]);
        final ArpPacket emitted = new ArpPacket().wrap(out, 0, repr.bufferLength());
        repr.emit(emitted);
        FuzzSupport.assertSameBytesExceptChecksum(buffer, offset, out, 0, ArpPacket.LENGTH, -2, "ARP");

        final ArpPacket reread = new ArpPacket();
        assertTrue(reread.wrapChecked(out, 0, ArpPacket.LENGTH));
        final ArpRepr again = new ArpRepr();
        assertTrue(again.parse(reread));
        assertEquals(repr.operation(), again.operation());
        assertEquals(repr.senderMac(), again.senderMac());
        assertEquals(repr.senderIp(), again.senderIp());
        assertEquals(repr.targetMac(), again.targetMac());
        assertEquals(repr.targetIp(), again.targetIp());
    }
}
