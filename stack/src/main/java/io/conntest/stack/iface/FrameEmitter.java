package io.conntest.stack.iface;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the Ethernet and IPv4 headers of outgoing frames and ARP packets into frames claimed from the device,
 * commits them and counts them. Owns the egress flyweights, so nothing is allocated per frame.
 */
final class FrameEmitter
{
    static final int FRAME_HEADERS = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;

    private final FrameDevice device;
    private final InterfaceCounters counters;
    private final long mac;
    private final Ipv4Assignment assignment;
    private final EthernetFrame eth = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv4Repr ipRepr = new Ipv4Repr();
    private final ArpPacket arp = new ArpPacket();
    private final ArpRepr arpRepr = new ArpRepr();

    FrameEmitter(final FrameDevice device, final InterfaceCounters counters, final long mac,
        final Ipv4Assignment assignment)
    {
        this.device = device;
        this.counters = counters;
        this.mac = mac;
        this.assignment = assignment;
    }

    /** Writes Ethernet + a 20-byte IPv4 header for {@code length} bytes of payload (of a fragment, maybe). */
    void writeIpv4Headers(
        final MutableDirectBuffer frame, final long dstMac, final int dst, final int protocol, final int length,
        final boolean dontFragment, final int id, final boolean moreFragments, final int fragmentOffset)
    {
        writeIpv4Headers(frame, dstMac, dst, protocol, length, dontFragment, id, moreFragments, fragmentOffset, 0);
    }

    /** As above, with {@code optionsLength} bytes of IPv4 options already in the frame after the fixed header. */
    void writeIpv4Headers(
        final MutableDirectBuffer frame, final long dstMac, final int dst, final int protocol, final int length,
        final boolean dontFragment, final int id, final boolean moreFragments, final int fragmentOffset,
        final int optionsLength)
    {
        eth.wrap(frame, 0, FRAME_HEADERS);
        eth.destination(dstMac).source(mac).etherType(EthernetFrame.ETHERTYPE_IPV4);
        ip.wrap(frame, EthernetFrame.HEADER_LENGTH, Ipv4Packet.MIN_HEADER_LENGTH + optionsLength);
        ipRepr.set(assignment.address(), dst, protocol, length, id, dontFragment)
            .fragment(moreFragments, fragmentOffset, length)
            .options(optionsLength);
        ipRepr.emit(ip);
    }

    /** Sends one ARP packet (RFC 826) from {@code senderIp}; false when the device had no room. */
    boolean dispatchArp(final int operation, final long dstMac, final int senderIp, final long targetMac,
        final int targetIp)
    {
        final MutableDirectBuffer frame = device.claim(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        if (frame == null)
        {
            counters.increment(InterfaceCounter.ARP_SEND_DROPPED);
            return false;
        }
        eth.wrap(frame, 0, EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        eth.destination(dstMac).source(mac).etherType(EthernetFrame.ETHERTYPE_ARP);
        arpRepr.set(operation, mac, senderIp, targetMac, targetIp)
            .emit(arp.wrap(frame, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH));
        send(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        return true;
    }

    /** Commits the open claim of {@code length} bytes. */
    void send(final int length)
    {
        device.commit(length);
        counters.increment(InterfaceCounter.TX_FRAMES);
        counters.add(InterfaceCounter.TX_BYTES, length);
    }

    /** Commits the open claim's first {@code headLength} bytes and the tail's runs as one offloaded frame. */
    void sendGather(final int headLength, final FrameMetadata metadata, final DirectBuffer tail, final int offset1,
        final int length1, final int offset2, final int length2)
    {
        device.commitGather(headLength, metadata, tail, offset1, length1, offset2, length2);
        countOffloaded(headLength + length1 + length2, metadata);
        counters.increment(InterfaceCounter.TX_GATHERED);
    }

    /** Commits the open claim of {@code length} bytes with offload work for the device. */
    void send(final int length, final FrameMetadata metadata)
    {
        device.commit(length, metadata);
        countOffloaded(length, metadata);
    }

    private void countOffloaded(final int length, final FrameMetadata metadata)
    {
        counters.increment(InterfaceCounter.TX_FRAMES);
        counters.add(InterfaceCounter.TX_BYTES, length);
        counters.increment(InterfaceCounter.TX_OFFLOADED);
        if (metadata.isSuperFrame())
        {
            counters.increment(InterfaceCounter.TX_SUPER_FRAMES);
        }
    }
}
