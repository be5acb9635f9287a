package io.conntest.stack.ipv6;

import org.agrona.MutableDirectBuffer;

import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.MacAddress;

/**
 * Sends IPv6 packets that need a neighbour's link-layer address (RFC 4861 §5.2 "conceptual sending algorithm"): the
 * next hop is the destination when it is on-link (link-local, or in a prefix an advertisement said is on-link),
 * else the default router; a multicast destination maps straight to its Ethernet group (RFC 2464 §7). A next hop
 * whose address is known is written straight into a device frame; one being resolved gets the packet held
 * ({@link HeldPackets}, bounded) and sent by {@link #flush} once the neighbour answers. Use: {@link #claim}, write the
 * payload at {@link Ipv6FrameWriter#PAYLOAD_AT}, {@link #commit}.
 */
final class Ipv6Egress
{
    private final Ipv6FrameWriter writer;
    private final NeighbourDiscovery neighbours;
    private final RouterDiscovery routers;
    private final HeldPackets held;
    private final LinkParameters link;
    private final Ipv6Counters counters;
    private final Ipv6AddressTable addresses;

    private MutableDirectBuffer claimed;
    private int claimedLength;
    private int heldSlot = -1;
    private int heldNeighbour;

    Ipv6Egress(final Ipv6FrameWriter writer, final NeighbourDiscovery neighbours, final RouterDiscovery routers,
        final HeldPackets held, final LinkParameters link, final Ipv6Counters counters,
        final Ipv6AddressTable addresses)
    {
        this.writer = writer;
        this.neighbours = neighbours;
        this.routers = routers;
        this.held = held;
        this.link = link;
        this.counters = counters;
        this.addresses = addresses;
    }

    /**
     * A frame with the Ethernet and IPv6 headers written for a payload of {@code payloadLength} bytes; null (counted)
     * when there is no route, it is above the link MTU, the device is full or the neighbour's queue is.
     */
    MutableDirectBuffer claim(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int nextHeader, final int hopLimit, final int payloadLength, final long nowNs)
    {
        if (claimed != null)
        {
            throw new IllegalStateException("an IPv6 claim is already open");
        }
        if (40 + payloadLength > link.mtu())
        {
            counters.increment(Ipv6Counter.IPV6_TOO_BIG);
            return null;
        }
        final long dstMac;
        MutableDirectBuffer frame = null;
        if (Ipv6Address.isMulticast(dstHi))
        {
            dstMac = Ipv6Address.multicastMac(dstLo);
        }
        else
        {
            long hopHi = dstHi;
            long hopLo = dstLo;
            if (addresses.find(dstHi, dstLo) >= 0 || Ipv6Address.isUnspecified(dstHi, dstLo))
            {
                counters.increment(Ipv6Counter.IPV6_NO_ROUTE);
                return null;
            }
            if (!routers.isOnLink(dstHi, dstLo))
            {
                final int router = routers.defaultRouter();
                if (router < 0)
                {
                    counters.increment(Ipv6Counter.IPV6_NO_ROUTE);
                    return null;
                }
                hopHi = routers.routerHi(router);
                hopLo = routers.routerLo(router);
            }
            final int n = neighbours.forSending(hopHi, hopLo, nowNs);
            if (neighbours.cache().state(n) == Ipv6NeighbourCache.INCOMPLETE)
            {
                final int slot = EthernetFrame.HEADER_LENGTH + 40 + payloadLength <= held.slotSize()
                    ? held.claim(n) : -1;
                if (slot < 0)
                {
                    counters.increment(Ipv6Counter.NDP_QUEUE_FULL);
                    return null;
                }
                heldSlot = slot;
                heldNeighbour = n;
                frame = held.frame(slot);
                dstMac = MacAddress.ZERO;
            }
            else
            {
                dstMac = neighbours.cache().mac(n);
            }
        }
        if (frame == null)
        {
            frame = writer.claim(payloadLength);
            if (frame == null)
            {
                return null;
            }
        }
        writer.headers(frame, dstMac, payloadLength, nextHeader, hopLimit, srcHi, srcLo, dstHi, dstLo);
        claimed = frame;
        claimedLength = Ipv6FrameWriter.PAYLOAD_AT + payloadLength;
        return frame;
    }

    /** Sends (or holds) the claimed packet, its payload written. */
    void commit()
    {
        if (claimed == null)
        {
            throw new IllegalStateException("no IPv6 claim open");
        }
        if (heldSlot >= 0)
        {
            held.hold(heldSlot, heldNeighbour, claimedLength);
            heldSlot = -1;
        }
        else
        {
            writer.send(claimedLength);
        }
        claimed = null;
    }

    /** Gives the claim up. */
    void abort()
    {
        if (claimed != null && heldSlot < 0)
        {
            writer.abort();
        }
        heldSlot = -1;
        claimed = null;
    }

    /** Sends the held packets whose neighbour has answered; returns whether it sent any. */
    boolean flush()
    {
        if (held.count() == 0)
        {
            return false;
        }
        boolean worked = false;
        final Ipv6NeighbourCache cache = neighbours.cache();
        for (int slot = 0; slot < held.slots(); slot++)
        {
            final int n = held.neighbour(slot);
            if (n < 0 || cache.state(n) == Ipv6NeighbourCache.INCOMPLETE || cache.state(n) == Ipv6NeighbourCache.FREE)
            {
                continue;
            }
            final int length = held.length(slot);
            final MutableDirectBuffer frame = writer.claim(length - Ipv6FrameWriter.PAYLOAD_AT);
            if (frame == null)
            {
                return worked;
            }
            frame.putBytes(0, held.frame(slot), 0, length);
            MacAddress.put(frame, 0, cache.mac(n));
            writer.send(length);
            held.release(slot);
            worked = true;
        }
        return worked;
    }

    /** Whether a held packet can leave now. */
    boolean canFlush()
    {
        if (held.count() == 0)
        {
            return false;
        }
        final Ipv6NeighbourCache cache = neighbours.cache();
        for (int slot = 0; slot < held.slots(); slot++)
        {
            final int n = held.neighbour(slot);
            if (n >= 0 && cache.state(n) != Ipv6NeighbourCache.INCOMPLETE && cache.state(n) != Ipv6NeighbourCache.FREE)
            {
                return true;
            }
        }
        return false;
    }
}
