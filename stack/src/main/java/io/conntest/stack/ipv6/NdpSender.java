package io.conntest.stack.ipv6;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.NdpMessage;

/**
 * Writes the Neighbor Discovery messages this host sends (RFC 4861 §4): Router Solicitations, Neighbor Solicitations
 * (address resolution, unreachability probes and DAD probes) and Neighbor Advertisements, each with hop limit 255
 * (§6.1/§7.1 make receivers check it) and the link-layer option when the source is not the unspecified address.
 * Straight into a claimed frame; a full device drops the message (counted) and the caller's timer sends the next.
 */
final class NdpSender
{
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int NDP_HOP_LIMIT = 255;
    private static final int LINK_LAYER_OPTION = 8;

    private final Ipv6FrameWriter writer;
    private final Ipv6Counters counters;
    private final Icmpv6Packet icmp = new Icmpv6Packet();

    NdpSender(final Ipv6FrameWriter writer, final Ipv6Counters counters)
    {
        this.writer = writer;
        this.counters = counters;
    }

    /** §4.3: a solicitation for {@code target}; from {@code ::} (a DAD probe, §7.2.2) without the option. */
    boolean solicitNeighbour(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final long dstMac, final long targetHi, final long targetLo)
    {
        final boolean unspecified = Ipv6Address.isUnspecified(srcHi, srcLo);
        final int length = 24 + (unspecified ? 0 : LINK_LAYER_OPTION);
        final MutableDirectBuffer frame = writer.claim(length);
        if (frame == null)
        {
            return false;
        }
        final int at = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putInt(at + 4, 0, BE);
        frame.putLong(at + 8, targetHi, BE);
        frame.putLong(at + 16, targetLo, BE);
        if (!unspecified)
        {
            linkLayerOption(frame, at + 24, NdpMessage.OPTION_SOURCE_LINK_LAYER);
        }
        finish(frame, Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, length, dstMac, srcHi, srcLo, dstHi, dstLo);
        counters.increment(Ipv6Counter.NDP_NEIGHBOR_SOLICITATIONS_SENT);
        return true;
    }

    /** §4.4 / §7.2.4: an advertisement of {@code target} with its link-layer address. */
    boolean advertise(final long srcHi, final long srcLo, final long dstHi, final long dstLo, final long dstMac,
        final int flags)
    {
        final int length = 24 + LINK_LAYER_OPTION;
        final MutableDirectBuffer frame = writer.claim(length);
        if (frame == null)
        {
            return false;
        }
        final int at = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putInt(at + 4, flags << 24, BE);
        frame.putLong(at + 8, srcHi, BE);
        frame.putLong(at + 16, srcLo, BE);
        linkLayerOption(frame, at + 24, NdpMessage.OPTION_TARGET_LINK_LAYER);
        finish(frame, Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT, length, dstMac, srcHi, srcLo, dstHi, dstLo);
        counters.increment(Ipv6Counter.NDP_NEIGHBOR_ADVERTISEMENTS_SENT);
        return true;
    }

    /** §4.1 / §6.3.7: a solicitation to all routers ({@code ff02::2}); from {@code ::} without the option. */
    boolean solicitRouters(final long srcHi, final long srcLo)
    {
        final boolean unspecified = Ipv6Address.isUnspecified(srcHi, srcLo);
        final int length = 8 + (unspecified ? 0 : LINK_LAYER_OPTION);
        final MutableDirectBuffer frame = writer.claim(length);
        if (frame == null)
        {
            return false;
        }
        final int at = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putInt(at + 4, 0, BE);
        if (!unspecified)
        {
            linkLayerOption(frame, at + 8, NdpMessage.OPTION_SOURCE_LINK_LAYER);
        }
        finish(frame, Icmpv6Packet.TYPE_ROUTER_SOLICITATION, length, Ipv6Address.multicastMac(2), srcHi, srcLo,
            Ipv6Address.ALL_NODES_HI, 2);
        counters.increment(Ipv6Counter.NDP_ROUTER_SOLICITATIONS_SENT);
        return true;
    }

    private void linkLayerOption(final MutableDirectBuffer frame, final int at, final int type)
    {
        frame.putByte(at, (byte)type);
        frame.putByte(at + 1, (byte)1);
        MacAddress.put(frame, at + 2, writer.mac());
    }

    private void finish(final MutableDirectBuffer frame, final int type, final int length, final long dstMac,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        writer.headers(frame, dstMac, length, Ipv6Packet.NEXT_HEADER_ICMPV6, NDP_HOP_LIMIT, srcHi, srcLo, dstHi,
            dstLo);
        icmp.wrap(frame, Ipv6FrameWriter.PAYLOAD_AT, length).finish(type, 0, srcHi, srcLo, dstHi, dstLo);
        writer.send(Ipv6FrameWriter.PAYLOAD_AT + length);
    }
}
