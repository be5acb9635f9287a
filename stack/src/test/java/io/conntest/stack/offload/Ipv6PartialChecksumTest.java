package io.conntest.stack.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;

/**
 * A device with checksum offload hands up the local kernel's UDP over IPv6 with the checksum only partly computed
 * (virtio NEEDS_CSUM: the pseudo-header sum in the field, what a TAP with {@code TUN_F_CSUM} gives, issue 13): the
 * interface takes it as trusted, as IPv4's, so the datagram arrives unverified (counted
 * {@code RX_IPV6_CHECKSUM_TRUSTED}); the same bytes on a frame without the flag fail the checksum and are dropped.
 */
class Ipv6PartialChecksumTest
{
    private static final long[] PEER = Ipv6Address.parse("fd00:c0:6::1");
    private static final long[] US = Ipv6Address.parse("fd00:c0:6::2");
    private static final long PEER_MAC = 0x0200_0000_0001L;
    private static final long OUR_MAC = 0x0200_0000_0002L;
    private static final int PAYLOAD_AT = 14 + 40 + 8;

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final InMemoryDevicePair pair =
        new InMemoryDevicePair(1500, 64, InMemoryDevicePair.LinkOffload.SUPER_FRAMES);
    private final NetworkStack stack = new NetworkStack(pair.b(), InterfaceConfig.builder("10.0.0.2/24")
        .mac(OUR_MAC).seed(2).build());
    private final List<String> received = new ArrayList<>();

    private void addressed()
    {
        stack.iface().ipv6().addStaticAddress(US[0], US[1], 64);
        for (int i = 0; i < 5_000 && !stack.iface().ipv6().isOwnAddress(US[0], US[1]); i++)
        {
            stack.poll(clock.nowNs());
            pair.a().receive((b, o, l) -> { }, 64); // the peer's side hears DAD and MLD, answers nothing
            clock.advanceNs(1_000_000L);
        }
        assertTrue(stack.iface().ipv6().isOwnAddress(US[0], US[1]));
        final UdpSocket socket = stack.udp().open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s)
            {
                s.receive(new UdpDatagramHandler()
                {
                    @Override
                    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer,
                        final int offset, final int length)
                    {
                    }

                    @Override
                    public void onDatagram6(final long srcHi, final long srcLo, final int srcPort,
                        final DirectBuffer buffer, final int offset, final int length)
                    {
                        final byte[] bytes = new byte[length];
                        buffer.getBytes(offset, bytes);
                        received.add(Ipv6Address.format(srcHi, srcLo) + " " + srcPort + " " + new String(bytes));
                    }
                }, 10);
            }
        });
        socket.bind(7);
    }

    /** Sends from the peer's end a UDP datagram with only the pseudo-header sum in its checksum field. */
    private void sendPartial(final String text, final int flags)
    {
        final byte[] payload = text.getBytes();
        final int udpLength = 8 + payload.length;
        final FrameDevice peer = pair.a();
        final MutableDirectBuffer f = peer.claim(PAYLOAD_AT + payload.length);
        f.putLong(0, (OUR_MAC << 16) | (PEER_MAC >>> 32), ByteOrder.BIG_ENDIAN); // dst MAC, src MAC's first two bytes
        f.putInt(8, (int)PEER_MAC, ByteOrder.BIG_ENDIAN);
        f.putShort(12, (short)0x86DD, ByteOrder.BIG_ENDIAN);
        f.putInt(14, 0x6000_0000, ByteOrder.BIG_ENDIAN);
        f.putShort(18, (short)udpLength, ByteOrder.BIG_ENDIAN);
        f.putByte(20, (byte)Ipv6Packet.NEXT_HEADER_UDP);
        f.putByte(21, (byte)64);
        f.putLong(22, PEER[0], ByteOrder.BIG_ENDIAN);
        f.putLong(30, PEER[1], ByteOrder.BIG_ENDIAN);
        f.putLong(38, US[0], ByteOrder.BIG_ENDIAN);
        f.putLong(46, US[1], ByteOrder.BIG_ENDIAN);
        f.putShort(54, (short)5000, ByteOrder.BIG_ENDIAN);
        f.putShort(56, (short)7, ByteOrder.BIG_ENDIAN);
        f.putShort(58, (short)udpLength, ByteOrder.BIG_ENDIAN);
        f.putBytes(62, payload);
        // Linux's CHECKSUM_PARTIAL: the folded pseudo-header sum, not complemented, in the field
        final long pseudo = Checksum.addIpv6PseudoHeader(0, PEER[0], PEER[1], US[0], US[1], udpLength,
            Ipv6Packet.NEXT_HEADER_UDP);
        f.putShort(60, (short)(~Checksum.finish(pseudo) & 0xFFFF), ByteOrder.BIG_ENDIAN);
        peer.commit(PAYLOAD_AT + payload.length,
            new FrameMetadata().set(flags, FrameMetadata.GSO_NONE, 0, 0, flags == 0 ? 0 : 54, flags == 0 ? 0 : 6));
        for (int i = 0; i < 3; i++)
        {
            stack.poll(clock.nowNs());
        }
    }

    @Test
    void aPartialChecksumOfTheLocalKernelIsTrustedAndTheDatagramArrives()
    {
        addressed();
        sendPartial("partial", FrameMetadata.NEEDS_CSUM);
        assertEquals(List.of("fd00:c0:6::1 5000 partial"), received);
        assertEquals(1, stack.iface().counters().get(InterfaceCounter.RX_IPV6_CHECKSUM_TRUSTED));
        assertEquals(0, stack.udp().badChecksum());
    }

    @Test
    void theSameBytesWithoutTheFlagFailTheChecksum()
    {
        addressed();
        sendPartial("no flag", 0);
        assertTrue(received.isEmpty());
        assertEquals(1, stack.udp().badChecksum());
        assertEquals(0, stack.iface().counters().get(InterfaceCounter.RX_IPV6_CHECKSUM_TRUSTED));
    }
}
