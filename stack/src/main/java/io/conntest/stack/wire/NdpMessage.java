package io.conntest.stack.wire;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * A Neighbor Discovery message (RFC 4861 §4) inside an ICMPv6 message, validated as §6.1.1, §6.1.2, §7.1.1 and §7.1.2
 * ask before anything acts on it: hop limit 255 (so it came from the link), code 0, long enough for its type, every
 * option of a non-zero length within the message, a Router Advertisement from a link-local source, a solicitation or
 * advertisement whose target is not multicast, a solicitation from the unspecified address sent to a solicited-node
 * group without a source link-layer option, an advertisement to a multicast group without the Solicited flag. The
 * options are read in place: the source and target link-layer addresses, the MTU, and Prefix Information options one
 * at a time. No allocation.
 */
public final class NdpMessage
{
    public static final int OPTION_SOURCE_LINK_LAYER = 1;
    public static final int OPTION_TARGET_LINK_LAYER = 2;
    public static final int OPTION_PREFIX_INFORMATION = 3;
    public static final int OPTION_REDIRECTED_HEADER = 4;
    public static final int OPTION_MTU = 5;
    public static final int FLAG_ROUTER = 0x80;
    public static final int FLAG_SOLICITED = 0x40;
    public static final int FLAG_OVERRIDE = 0x20;
    public static final int FLAG_MANAGED = 0x80;
    public static final int FLAG_OTHER = 0x40;
    public static final int PREFIX_FLAG_ON_LINK = 0x80;
    public static final int PREFIX_FLAG_AUTONOMOUS = 0x40;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int type;
    private int optionsOffset;
    private int prefixCursor;
    private int prefixAt;

    /**
     * Wraps and validates the ICMPv6 message at {@code offset} ({@code length} bytes) of a packet with this hop limit
     * and addresses; false when RFC 4861's validity checks fail (then nothing of it may be used).
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length, final int hopLimit,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        this.buffer = null;
        if (length < 8 || hopLimit != 255 || (buffer.getByte(offset + 1) & 0xFF) != 0)
        {
            return false;
        }
        type = buffer.getByte(offset) & 0xFF;
        final int fixed;
        switch (type)
        {
            case Icmpv6Packet.TYPE_ROUTER_SOLICITATION:
                fixed = 8;
                break;
            case Icmpv6Packet.TYPE_ROUTER_ADVERTISEMENT:
                fixed = 16;
                if (!Ipv6Address.isLinkLocal(srcHi))
                {
                    return false; // §6.1.2: from a router's link-local address
                }
                break;
            case Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION:
            case Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT:
                fixed = 24;
                break;
            case Icmpv6Packet.TYPE_REDIRECT:
                fixed = 40;
                break;
            default:
                return false;
        }
        if (length < fixed)
        {
            return false;
        }
        // §6.1 / §7.1: every option's length is non-zero and the options fill the message exactly
        boolean sourceLinkLayer = false;
        int at = fixed;
        while (at < length)
        {
            if (length - at < 2)
            {
                return false;
            }
            final int optionLength = (buffer.getByte(offset + at + 1) & 0xFF) * 8;
            if (optionLength == 0 || length - at < optionLength)
            {
                return false;
            }
            sourceLinkLayer |= (buffer.getByte(offset + at) & 0xFF) == OPTION_SOURCE_LINK_LAYER;
            at += optionLength;
        }
        if (type == Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION || type == Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT)
        {
            if (Ipv6Address.isMulticast(buffer.getLong(offset + 8, BE)))
            {
                return false; // §7.1.1 / §7.1.2: the target is not a multicast address
            }
        }
        if (type == Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION && Ipv6Address.isUnspecified(srcHi, srcLo)
            && (sourceLinkLayer || dstHi != Ipv6Address.SOLICITED_NODE_HI
                || (dstLo & 0xFFFF_FFFF_FF00_0000L) != 0x0000_0001_FF00_0000L))
        {
            return false; // §7.1.1: a DAD probe goes to a solicited-node group and names no link-layer address
        }
        if (type == Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT && Ipv6Address.isMulticast(dstHi)
            && (buffer.getByte(offset + 4) & FLAG_SOLICITED) != 0)
        {
            return false; // §7.1.2: a solicited advertisement is unicast
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.optionsOffset = fixed;
        this.prefixCursor = fixed;
        return true;
    }

    public int type()
    {
        return type;
    }

    /** Whether the message names a target address (NS, NA, Redirect). */
    public boolean hasTarget()
    {
        return type >= Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION;
    }

    /** The NS/NA/Redirect target's first half; 0 for a message without a target. */
    public long targetHi()
    {
        return hasTarget() ? buffer.getLong(offset + 8, BE) : 0;
    }

    public long targetLo()
    {
        return hasTarget() ? buffer.getLong(offset + 16, BE) : 0;
    }

    /** NA flags (Router, Solicited, Override) or RA flags (Managed, Other): the byte after the checksum. */
    public int flags()
    {
        return buffer.getByte(offset + (type == Icmpv6Packet.TYPE_ROUTER_ADVERTISEMENT ? 5 : 4)) & 0xFF;
    }

    private boolean isAdvertisement()
    {
        return type == Icmpv6Packet.TYPE_ROUTER_ADVERTISEMENT;
    }

    /** RA: the hop limit to use, 0 unspecified (and for any other message). */
    public int currentHopLimit()
    {
        return isAdvertisement() ? buffer.getByte(offset + 4) & 0xFF : 0;
    }

    /** RA: how long the sender is a default router, seconds (0: it is not one). */
    public int routerLifetime()
    {
        return isAdvertisement() ? buffer.getShort(offset + 6, BE) & 0xFFFF : 0;
    }

    /** RA: reachable time, ms (0 unspecified). */
    public long reachableTime()
    {
        return isAdvertisement() ? buffer.getInt(offset + 8, BE) & 0xFFFF_FFFFL : 0;
    }

    /** RA: retransmission timer, ms (0 unspecified). */
    public long retransTimer()
    {
        return isAdvertisement() ? buffer.getInt(offset + 12, BE) & 0xFFFF_FFFFL : 0;
    }

    /** The Source (or Target) Link-Layer Address option's Ethernet address, or -1 without one (§4.6.1). */
    public long linkLayerAddress(final int optionType)
    {
        final int at = find(optionType);
        return at < 0 || (buffer.getByte(offset + at + 1) & 0xFF) != 1 ? -1 : MacAddress.get(buffer, offset + at + 2);
    }

    /** The MTU option's value, or -1 without one (§4.6.4). */
    public long mtu()
    {
        final int at = find(OPTION_MTU);
        return at < 0 || (buffer.getByte(offset + at + 1) & 0xFF) != 1 ? -1
            : buffer.getInt(offset + at + 4, BE) & 0xFFFF_FFFFL;
    }

    /** Moves to the next Prefix Information option (§4.6.2); false when there is none left. */
    public boolean nextPrefix()
    {
        while (prefixCursor < length)
        {
            final int at = prefixCursor;
            prefixCursor += (buffer.getByte(offset + at + 1) & 0xFF) * 8;
            if ((buffer.getByte(offset + at) & 0xFF) == OPTION_PREFIX_INFORMATION
                && (buffer.getByte(offset + at + 1) & 0xFF) == 4)
            {
                prefixAt = at;
                return true;
            }
        }
        return false;
    }

    public int prefixLength()
    {
        return buffer.getByte(offset + prefixAt + 2) & 0xFF;
    }

    /** The prefix option's L (on-link) and A (autonomous) flags. */
    public int prefixFlags()
    {
        return buffer.getByte(offset + prefixAt + 3) & 0xFF;
    }

    public long prefixValidLifetime()
    {
        return buffer.getInt(offset + prefixAt + 4, BE) & 0xFFFF_FFFFL;
    }

    public long prefixPreferredLifetime()
    {
        return buffer.getInt(offset + prefixAt + 8, BE) & 0xFFFF_FFFFL;
    }

    public long prefixHi()
    {
        return buffer.getLong(offset + prefixAt + 16, BE);
    }

    public long prefixLo()
    {
        return buffer.getLong(offset + prefixAt + 24, BE);
    }

    private int find(final int optionType)
    {
        int at = optionsOffset;
        while (at < length)
        {
            if ((buffer.getByte(offset + at) & 0xFF) == optionType)
            {
                return at;
            }
            at += (buffer.getByte(offset + at + 1) & 0xFF) * 8;
        }
        return -1;
    }
}
