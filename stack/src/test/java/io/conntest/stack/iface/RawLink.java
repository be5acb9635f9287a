package io.conntest.stack.iface;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.socket.UdpSockets;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * One interface under test (10.0.0.2, MAC 02:00:00:00:00:02, with UDP) on an in-memory cable whose other end the
 * test drives by hand: it writes raw frames (well-formed or not) and reads what the interface sends back.
 */
public final class RawLink
{
    public static final int PEER = Ipv4Address.parse("10.0.0.1");
    public static final long PEER_MAC = 0x0200_0000_0001L;
    public static final int ADDR = Ipv4Address.parse("10.0.0.2");
    public static final long MAC = 0x0200_0000_0002L;

    public final ManualClock clock = new ManualClock(1_000_000_000L);
    public final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 256);
    public final FrameDevice peer = pair.a();
    public final Interface iface;
    public final UdpSockets udp = new UdpSockets(16, 1);

    public RawLink()
    {
        this(InterfaceConfig.builder(ADDR, 24).mac(MAC).seed(1).build());
    }

    public RawLink(final InterfaceConfig config)
    {
        iface = new Interface(pair.b(), config);
        iface.addProtocol(udp);
    }

    public void poll()
    {
        iface.poll(clock.nowNs());
    }

    /** Sends a raw frame to the interface and polls it once. */
    public void inject(final DirectBuffer frame, final int offset, final int length)
    {
        final MutableDirectBuffer slot = peer.claim(length);
        slot.putBytes(0, frame, offset, length);
        peer.commit(length);
        poll();
    }

    public void inject(final byte[] frame)
    {
        inject(new UnsafeBuffer(frame), 0, frame.length);
    }

    /** Teaches the interface our MAC the way RFC 826 does: an ARP request for its address. */
    public void introduce()
    {
        final byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        new EthernetFrame().wrap(buffer, 0, frame.length).destination(MacAddress.BROADCAST).source(PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_ARP);
        new ArpRepr().set(ArpPacket.OPERATION_REQUEST, PEER_MAC, PEER, 0, ADDR)
            .emit(new ArpPacket().wrap(buffer, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH));
        inject(frame);
    }

    /** A whole UDP datagram (header + payload, checksummed) from the peer to {@code dstPort}. */
    public static byte[] udpDatagram(final int srcPort, final int dstPort, final byte[] payload)
    {
        final byte[] bytes = new byte[UdpPacket.HEADER_LENGTH + payload.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        new UdpRepr().set(srcPort, dstPort, payload.length)
            .emit(new UdpPacket().wrap(buffer, 0, bytes.length), PEER, ADDR, new UnsafeBuffer(payload), 0);
        return bytes;
    }

    /** An Ethernet frame holding an IPv4 datagram or fragment from the peer carrying {@code data[from, to)}. */
    public static byte[] ipv4Frame(
        final int dst, final int protocol, final int id, final boolean moreFragments, final int fragmentOffset,
        final byte[] data, final int from, final int to)
    {
        final int length = to - from;
        final byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH + length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        new EthernetFrame().wrap(buffer, 0, frame.length)
            .destination(dst == Ipv4Address.BROADCAST ? MacAddress.BROADCAST : MAC).source(PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_IPV4);
        new Ipv4Repr().set(PEER, dst, protocol, length, id, false).fragment(moreFragments, fragmentOffset, length)
            .emit(new Ipv4Packet().wrap(buffer, EthernetFrame.HEADER_LENGTH, frame.length - EthernetFrame.HEADER_LENGTH));
        buffer.putBytes(EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH, data, from, length);
        return frame;
    }

    /** Every frame the interface sent since the last call. */
    public List<byte[]> sent()
    {
        final List<byte[]> frames = new ArrayList<>();
        peer.receive((buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            frames.add(copy);
        }, Integer.MAX_VALUE);
        return frames;
    }

    public long count(final InterfaceCounter counter)
    {
        return iface.counters().get(counter);
    }
}
