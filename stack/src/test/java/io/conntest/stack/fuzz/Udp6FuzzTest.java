package io.conntest.stack.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.socket.UdpSockets;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;

/**
 * UDP over IPv6 on a socket table ({@code UdpSockets.processIpv6Datagram}, RFC 8200 §8.1): any bytes from any
 * addresses never throw; a datagram is delivered exactly when its length field is sound, its checksum is non-zero and
 * verifies over the IPv6 pseudo-header and a socket has its port (then with its payload, byte for byte); otherwise it
 * is counted once as malformed, zero checksum, bad checksum or no socket (only that one answered "not taken");
 * {@code UdpRepr.emitIpv6} of an accepted datagram gives the same bytes with a checksum that verifies and is never 0.
 * Input: {@code [checksum mode][offset 0..7][four longs: src, dst][datagram]}, mode 0 leaves the checksum, 1 fixes
 * it, 2 zeroes it.
 */
class Udp6FuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void processIpv6DatagramIsTotalAndCountsEveryDrop(final FuzzedDataProvider data)
    {
        final int checksumMode = data.consumeInt(0, 2);
        final int offset = data.consumeInt(0, 7);
        final long srcHi = data.consumeLong();
        final long srcLo = data.consumeLong();
        final long dstHi = data.consumeLong();
        final long dstLo = data.consumeLong();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = FuzzSupport.exact(bytes, offset);
        final int length = bytes.length;
        final int udpLength = length >= 6 ? buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0;
        final boolean sound = length >= UdpPacket.HEADER_LENGTH && udpLength >= UdpPacket.HEADER_LENGTH
            && udpLength <= length;
        if (sound && checksumMode == 1)
        {
            buffer.putShort(offset + 6, (short)0, ByteOrder.BIG_ENDIAN);
            final int value = Checksum.finish(Checksum.add(Checksum.addIpv6PseudoHeader(0, srcHi, srcLo, dstHi,
                dstLo, udpLength, Ipv6Packet.NEXT_HEADER_UDP), buffer, offset, udpLength));
            buffer.putShort(offset + 6, (short)(value == 0 ? 0xFFFF : value), ByteOrder.BIG_ENDIAN);
        }
        else if (sound && checksumMode == 2)
        {
            buffer.putShort(offset + 6, (short)0, ByteOrder.BIG_ENDIAN);
        }

        final UdpSockets udp = new UdpSockets(4, 1);
        final byte[][] got = new byte[1][];
        final UdpDatagramHandler handler = new UdpDatagramHandler()
        {
            @Override
            public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer b, final int o,
                final int l)
            {
                throw new AssertionError("an IPv6 datagram handed over as IPv4");
            }

            @Override
            public void onDatagram6(final long hi, final long lo, final int srcPort, final DirectBuffer b,
                final int o, final int l)
            {
                assertEquals(srcHi, hi);
                assertEquals(srcLo, lo);
                got[0] = new byte[l];
                b.getBytes(o, got[0]);
            }
        };
        final UdpSocket socket = udp.open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s)
            {
                s.receive(handler, 10);
            }
        });
        final int port = sound ? buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0;
        final boolean bound = port != 0 && (port & 1) == 0; // every other port has a socket
        if (bound)
        {
            socket.bind(port);
        }
        final boolean taken = udp.processIpv6Datagram(srcHi, srcLo, dstHi, dstLo, buffer, offset, length, 0);
        udp.deliver(0);
        final long drops = udp.malformed() + udp.zeroChecksumIpv6() + udp.badChecksum() + udp.noSocket();
        final int checksum = sound ? buffer.getShort(offset + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0;
        final boolean verifies = sound && checksum != 0 && Checksum.verifies(Checksum.add(
            Checksum.addIpv6PseudoHeader(0, srcHi, srcLo, dstHi, dstLo, udpLength, Ipv6Packet.NEXT_HEADER_UDP),
            buffer, offset, udpLength));
        if (!verifies)
        {
            assertTrue(taken, "a bad datagram is dropped, never answered");
            assertEquals(1, drops);
            assertEquals(null, got[0]);
            return;
        }
        assertEquals(bound, taken, "not taken exactly when no socket has the port");
        assertEquals(bound ? 0 : 1, drops);
        if (!bound)
        {
            return;
        }
        final byte[] payload = new byte[udpLength - UdpPacket.HEADER_LENGTH];
        buffer.getBytes(offset + UdpPacket.HEADER_LENGTH, payload);
        assertArrayEquals(payload, got[0]);

        final UdpRepr repr = new UdpRepr().set(buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF, port,
            payload.length);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[repr.bufferLength()]);
        final UdpPacket emitted = new UdpPacket().wrap(out, 0, repr.bufferLength());
        repr.emitIpv6(emitted, srcHi, srcLo, dstHi, dstLo, buffer, offset + UdpPacket.HEADER_LENGTH);
        FuzzSupport.assertSameBytesExceptChecksum(buffer, offset, out, 0, udpLength, 6, "UDP over IPv6");
        assertNotEquals(0, emitted.checksum(), "a computed 0 is sent as 0xFFFF (RFC 8200 §8.1)");
        assertTrue(emitted.verifyChecksumIpv6(srcHi, srcLo, dstHi, dstLo));
    }
}
