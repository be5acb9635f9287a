package io.conntest.stack.iface;

import org.agrona.MutableDirectBuffer;

/**
 * What the interface offers a transport protocol for sending one IPv6 packet at a time, zero-copy, as
 * {@link Ipv4Sender} does for IPv4: claim room for the payload, write the transport header and data in place, commit.
 * The interface writes the IPv6 header (hop limit from the link, RFC 4861 §6.3.4), picks the next hop (on-link or a
 * default router, RFC 4861 §5.2), resolves it by Neighbor Discovery (holding a bounded number of packets while it
 * does) and sends packets above the link MTU as fragments (RFC 8200 §4.5). Addresses are two longs each, the high
 * and low 64 bits in network order. No offloads: every packet leaves as plain frames with its checksum complete.
 */
public interface Ipv6Sender
{
    /**
     * Chooses the source address for a destination (RFC 6724, in the small: link-local for link-local, else a
     * preferred address of the destination's /64, else any preferred global one, never a link-local one): true when
     * there is one, then read by {@link #sourceHi()} and {@link #sourceLo()}.
     */
    boolean selectSource(long dstHi, long dstLo);

    long sourceHi();

    long sourceLo();

    /** Whether {@code hi, lo} is one of this interface's IPv6 addresses, in use. */
    boolean isLocalAddress(long hi, long lo);

    /**
     * Claims room for a packet with {@code payloadLength} bytes of transport header and data.
     *
     * @return the buffer to write the payload into at {@link #payloadOffset()}, or {@code null} when it cannot be
     *         taken now; {@link #lastRefusal()} says why (DEVICE_BUSY, NEIGHBOUR_PENDING, NO_ROUTE, TOO_BIG).
     */
    MutableDirectBuffer claim(long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int payloadLength);

    int payloadOffset();

    void commit();

    void abort();

    Ipv4Sender.Refusal lastRefusal();

    /** The IPv6 link MTU (the device's, or a Router Advertisement's smaller one; at least 1280, RFC 8200 §5). */
    int mtu();
}
