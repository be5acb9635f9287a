package io.conntest.stack.ipv6;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.MacAddress;

/**
 * Sends IPv6 packets that need a neighbour's link-layer address (RFC 4861 §5.2 "conceptual sending algorithm"): the
 * next hop is the destination when it is on-link (link-local, or in a prefix an advertisement said is on-link),
 * else the default router; a multicast destination maps straight to its Ethernet group (RFC 2464 §7). A next hop
 * whose address is known is written straight into a device frame; one being resolved gets the packet held
 * ({@link HeldPackets}, bounded) and sent by {@link #flush} once the neighbour answers. A packet above the link MTU
 * is written into a staging buffer and sent as fragments (RFC 8200 §4.5: each fragment's data a multiple of 8 bytes,
 * an unpredictable identification, RFC 7739); its next hop must be resolved already (a 64 KiB packet is not held).
 * Use: {@link #claim}, write the payload at {@link Ipv6FrameWriter#PAYLOAD_AT}, {@link #commit}.
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

    private static final int FRAGMENT_HEADER = 8;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    /** A packet above the MTU before it is cut; made at the first such packet (64 KiB an instance may never need). */
    private UnsafeBuffer staging;
    private MutableDirectBuffer claimed;
    private boolean staged;
    private long stagedMac;
    private int claimedLength;
    private int heldSlot = -1;
    private int heldNeighbour;
    /** Why the last {@link #claim} returned null: one of {@link Ipv6Host}'s {@code REFUSED_} codes. */
    private int refusal;

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
        refusal = Ipv6Host.REFUSED_NONE;
        if (payloadLength > Ipv6Packet.MAX_PAYLOAD)
        {
            counters.increment(Ipv6Counter.IPV6_TOO_BIG);
            refusal = Ipv6Host.REFUSED_TOO_BIG;
            return null;
        }
        final boolean fragment = Ipv6Packet.HEADER_LENGTH + payloadLength > link.mtu();
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
            final int own = addresses.find(dstHi, dstLo);
            // a DUPLICATE one is another node's (RFC 4862 §5.4.5: ours no longer): reachable like any neighbour
            if ((own >= 0 && addresses.state(own) != Ipv6AddressTable.DUPLICATE)
                || Ipv6Address.isUnspecified(dstHi, dstLo))
            {
                counters.increment(Ipv6Counter.IPV6_NO_ROUTE);
                refusal = Ipv6Host.REFUSED_NO_ROUTE;
                return null;
            }
            if (!routers.isOnLink(dstHi, dstLo))
            {
                final int router = routers.defaultRouter();
                if (router < 0)
                {
                    counters.increment(Ipv6Counter.IPV6_NO_ROUTE);
                    refusal = Ipv6Host.REFUSED_NO_ROUTE;
                    return null;
                }
                hopHi = routers.routerHi(router);
                hopLo = routers.routerLo(router);
            }
            final int n = neighbours.forSending(hopHi, hopLo, nowNs);
            if (fragment && neighbours.cache().state(n) == Ipv6NeighbourCache.INCOMPLETE)
            {
                counters.increment(Ipv6Counter.IPV6_FRAGMENTED_UNRESOLVED);
                refusal = Ipv6Host.REFUSED_NEIGHBOUR_PENDING;
                return null;
            }
            if (neighbours.cache().state(n) == Ipv6NeighbourCache.INCOMPLETE)
            {
                final int slot = EthernetFrame.HEADER_LENGTH + 40 + payloadLength <= held.slotSize()
                    ? held.claim(n) : -1;
                if (slot < 0)
                {
                    counters.increment(Ipv6Counter.NDP_QUEUE_FULL);
                    refusal = Ipv6Host.REFUSED_NEIGHBOUR_PENDING;
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
        if (fragment)
        {
            if (staging == null)
            {
                staging = new UnsafeBuffer(ByteBuffer.allocateDirect(Ipv6FrameWriter.PAYLOAD_AT
                    + Ipv6Packet.MAX_PAYLOAD));
            }
            frame = staging;
            staged = true;
            stagedMac = dstMac;
        }
        if (frame == null)
        {
            frame = writer.claim(payloadLength);
            if (frame == null)
            {
                refusal = Ipv6Host.REFUSED_DEVICE_BUSY;
                return null;
            }
        }
        writer.headers(frame, dstMac, payloadLength, nextHeader, hopLimit, srcHi, srcLo, dstHi, dstLo);
        claimed = frame;
        claimedLength = Ipv6FrameWriter.PAYLOAD_AT + payloadLength;
        return frame;
    }

    int refusal()
    {
        return refusal;
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
        else if (staged)
        {
            staged = false;
            sendFragments(claimedLength - Ipv6FrameWriter.PAYLOAD_AT);
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
        if (claimed != null && heldSlot < 0 && !staged)
        {
            writer.abort();
        }
        heldSlot = -1;
        staged = false;
        claimed = null;
    }

    /** RFC 8200 §4.5: the staged packet's payload in fragments that each fit the link MTU. */
    private void sendFragments(final int payloadLength)
    {
        final int nextHeader = staging.getByte(Ipv6FrameWriter.IP_AT + Ipv6Packet.NEXT_HEADER_OFFSET) & 0xFF;
        final int most = (link.mtu() - Ipv6Packet.HEADER_LENGTH - FRAGMENT_HEADER) & ~7;
        final int identification = link.fragmentId();
        for (int offset = 0; offset < payloadLength; offset += most)
        {
            final int length = Math.min(most, payloadLength - offset);
            final MutableDirectBuffer frame = writer.claim(FRAGMENT_HEADER + length);
            if (frame == null)
            {
                return; // the rest cannot help the receiver: it times the packet out
            }
            frame.putBytes(0, staging, 0, Ipv6FrameWriter.PAYLOAD_AT);
            MacAddress.put(frame, 0, stagedMac);
            frame.putShort(Ipv6FrameWriter.IP_AT + 4, (short)(FRAGMENT_HEADER + length), BE);
            frame.putByte(Ipv6FrameWriter.IP_AT + Ipv6Packet.NEXT_HEADER_OFFSET,
                (byte)Ipv6Packet.NEXT_HEADER_FRAGMENT);
            final int at = Ipv6FrameWriter.PAYLOAD_AT;
            frame.putByte(at, (byte)nextHeader);
            frame.putByte(at + 1, (byte)0);
            frame.putShort(at + 2, (short)(offset | (offset + length < payloadLength ? 1 : 0)), BE);
            frame.putInt(at + 4, identification, BE);
            frame.putBytes(at + FRAGMENT_HEADER, staging, Ipv6FrameWriter.PAYLOAD_AT + offset, length);
            writer.send(at + FRAGMENT_HEADER + length);
            counters.increment(Ipv6Counter.IPV6_FRAGMENTS_SENT);
        }
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
