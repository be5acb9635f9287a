package io.conntest.stack.iface;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6ExtensionWalker;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.NdpMessage;

/**
 * The interface's first IPv6 (issue 13's first step): a link-local address formed from the MAC (the modified EUI-64
 * of RFC 4291 appendix A, {@code fe80::ff:fe00:2} for {@code 02:00:00:00:00:02}), the groups a node joins for it
 * (all-nodes {@code ff02::1} and its solicited-node group, RFC 4291 §2.8), answers to Neighbor Solicitations for it
 * (RFC 4861 §7.2.4: a solicited, override advertisement with the target link-layer address; to all nodes for a DAD
 * probe) and to echo requests (RFC 4443 §4.2: the request's identifier, sequence and data back). Replies go to the
 * link-layer source of the frame that asked: there is no neighbour cache yet. Anything else is counted and dropped.
 * The packets it sends are built in claimed frames: no allocation.
 */
final class Ipv6LinkLocal
{
    private static final int HOP_LIMIT = 64;
    private static final int NA_LENGTH = 24 + 8;
    private static final boolean[] KNOWN = new boolean[256];

    static
    {
        KNOWN[Ipv6Packet.NEXT_HEADER_ICMPV6] = true;
    }

    private final FrameDevice device;
    private final InterfaceCounters counters;
    private final long mac;
    private final long addressHi;
    private final long addressLo;
    private final long solicitedLo;
    private final Ipv6Packet ip = new Ipv6Packet();
    private final Ipv6Packet out = new Ipv6Packet();
    private final Icmpv6Packet icmp = new Icmpv6Packet();
    private final Icmpv6Packet icmpOut = new Icmpv6Packet();
    private final Ipv6ExtensionWalker walker = new Ipv6ExtensionWalker();
    private final NdpMessage ndp = new NdpMessage();
    private final EthernetFrame eth = new EthernetFrame();

    Ipv6LinkLocal(final FrameDevice device, final InterfaceCounters counters, final long mac)
    {
        this.device = device;
        this.counters = counters;
        this.mac = mac;
        this.addressHi = 0xFE80_0000_0000_0000L;
        this.addressLo = modifiedEui64(mac);
        this.solicitedLo = Ipv6Address.solicitedNodeLo(addressLo);
    }

    /** RFC 4291 appendix A: the MAC with {@code ff:fe} in its middle and the universal/local bit inverted. */
    static long modifiedEui64(final long mac)
    {
        final long oui = (mac >>> 24) & 0xFF_FFFFL;
        final long nic = mac & 0xFF_FFFFL;
        return ((oui ^ 0x02_0000L) << 40) | (0xFFFEL << 24) | nic;
    }

    long addressHi()
    {
        return addressHi;
    }

    long addressLo()
    {
        return addressLo;
    }

    /** Whether a frame to this Ethernet group is for this node: all nodes, or its solicited-node group. */
    boolean joined(final long dstMac)
    {
        return dstMac == Ipv6Address.multicastMac(1) || dstMac == Ipv6Address.multicastMac(solicitedLo);
    }

    /** One IPv6 packet of a frame from {@code srcMac}. */
    void process(final DirectBuffer buffer, final int offset, final int length, final long srcMac)
    {
        if (!ip.wrapChecked(buffer, offset, length))
        {
            counters.increment(InterfaceCounter.IPV6_MALFORMED);
            return;
        }
        final long dstHi = ip.destinationHi();
        final long dstLo = ip.destinationLo();
        final boolean toUs = dstHi == addressHi && dstLo == addressLo;
        final boolean multicast = dstHi == Ipv6Address.ALL_NODES_HI && (dstLo == 1 || dstLo == solicitedLo);
        if (!toUs && !multicast)
        {
            counters.increment(InterfaceCounter.IPV6_NOT_FOR_US);
            return;
        }
        counters.increment(InterfaceCounter.IPV6_RECEIVED);
        if (walker.walk(buffer, offset, ip.length(), KNOWN, multicast) != Ipv6ExtensionWalker.UPPER)
        {
            counters.increment(InterfaceCounter.IPV6_UNSUPPORTED);
            return;
        }
        final int at = walker.upperOffset();
        final int icmpLength = offset + ip.length() - at;
        if (!icmp.wrapChecked(buffer, at, icmpLength))
        {
            counters.increment(InterfaceCounter.IPV6_MALFORMED);
            return;
        }
        final long srcHi = ip.sourceHi();
        final long srcLo = ip.sourceLo();
        if (!icmp.verifyChecksum(srcHi, srcLo, dstHi, dstLo))
        {
            counters.increment(InterfaceCounter.ICMPV6_BAD_CHECKSUM);
            return;
        }
        switch (icmp.type())
        {
            case Icmpv6Packet.TYPE_ECHO_REQUEST:
                counters.increment(InterfaceCounter.ICMPV6_ECHO_REQUESTS_RECEIVED);
                if (toUs && icmp.code() == 0)
                {
                    echoReply(buffer, at, icmpLength, srcMac, srcHi, srcLo);
                }
                break;
            case Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION:
                if (!ndp.wrap(buffer, at, icmpLength, ip.hopLimit(), srcHi, srcLo, dstHi, dstLo))
                {
                    counters.increment(InterfaceCounter.NDP_INVALID);
                    return;
                }
                counters.increment(InterfaceCounter.NDP_NEIGHBOR_SOLICITATIONS_RECEIVED);
                if (ndp.targetHi() == addressHi && ndp.targetLo() == addressLo)
                {
                    advertise(srcMac, srcHi, srcLo);
                }
                break;
            default:
                counters.increment(InterfaceCounter.IPV6_UNSUPPORTED);
        }
    }

    /** RFC 4443 §4.2: the echo request's body back to its source. */
    private void echoReply(final DirectBuffer request, final int at, final int icmpLength, final long dstMac,
        final long dstHi, final long dstLo)
    {
        final MutableDirectBuffer frame = claim(icmpLength);
        if (frame == null)
        {
            return;
        }
        header(frame, dstMac, icmpLength, HOP_LIMIT, dstHi, dstLo);
        final int icmpAt = EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH;
        frame.putBytes(icmpAt, request, at, icmpLength);
        icmpOut.wrap(frame, icmpAt, icmpLength).finish(Icmpv6Packet.TYPE_ECHO_REPLY, 0, addressHi, addressLo, dstHi,
            dstLo);
        send(EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH + icmpLength,
            InterfaceCounter.ICMPV6_ECHO_REPLIES_SENT);
    }

    /**
     * RFC 4861 §7.2.4: a solicited advertisement of this node's address with its link-layer address, to the
     * solicitation's source; a DAD probe (from ::) gets an unsolicited one to all nodes.
     */
    private void advertise(final long dstMac, final long srcHi, final long srcLo)
    {
        final boolean dad = Ipv6Address.isUnspecified(srcHi, srcLo);
        final long toHi = dad ? Ipv6Address.ALL_NODES_HI : srcHi;
        final long toLo = dad ? 1 : srcLo;
        final MutableDirectBuffer frame = claim(NA_LENGTH);
        if (frame == null)
        {
            return;
        }
        header(frame, dad ? Ipv6Address.multicastMac(1) : dstMac, NA_LENGTH, 255, toHi, toLo);
        final int at = EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH;
        frame.putInt(at + 4, (NdpMessage.FLAG_OVERRIDE | (dad ? 0 : NdpMessage.FLAG_SOLICITED)) << 24,
            ByteOrder.BIG_ENDIAN);
        frame.putLong(at + 8, addressHi, ByteOrder.BIG_ENDIAN);
        frame.putLong(at + 16, addressLo, ByteOrder.BIG_ENDIAN);
        frame.putByte(at + 24, (byte)NdpMessage.OPTION_TARGET_LINK_LAYER);
        frame.putByte(at + 25, (byte)1);
        io.conntest.stack.wire.MacAddress.put(frame, at + 26, mac);
        icmpOut.wrap(frame, at, NA_LENGTH).finish(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT, 0, addressHi, addressLo,
            toHi, toLo);
        send(at + NA_LENGTH, InterfaceCounter.NDP_NEIGHBOR_ADVERTISEMENTS_SENT);
    }

    private MutableDirectBuffer claim(final int icmpLength)
    {
        final MutableDirectBuffer frame = device.claim(EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH
            + icmpLength);
        if (frame == null)
        {
            counters.increment(InterfaceCounter.IPV6_SEND_DROPPED);
        }
        return frame;
    }

    private void header(final MutableDirectBuffer frame, final long dstMac, final int payloadLength,
        final int hopLimit, final long dstHi, final long dstLo)
    {
        eth.wrap(frame, 0, EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH);
        eth.destination(dstMac).source(mac).etherType(EthernetFrame.ETHERTYPE_IPV6);
        out.wrap(frame, EthernetFrame.HEADER_LENGTH, Ipv6Packet.HEADER_LENGTH + payloadLength)
            .header(0, 0, payloadLength, Ipv6Packet.NEXT_HEADER_ICMPV6, hopLimit, addressHi, addressLo, dstHi, dstLo);
    }

    private void send(final int length, final InterfaceCounter what)
    {
        device.commit(length);
        counters.increment(InterfaceCounter.TX_FRAMES);
        counters.add(InterfaceCounter.TX_BYTES, length);
        counters.increment(what);
    }
}
