package io.conntest.stack.iface;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What the interface offers a transport protocol for sending one IPv4 datagram at a time, zero-copy: claim room
 * for the payload, write the transport header and data in place, commit. The interface fills in the IPv4 header
 * (identification per RFC 6864, TTL, checksum), routes (on-link or gateway), resolves the next hop by ARP
 * (holding a bounded number of datagrams while it does), and fragments datagrams larger than the MTU.
 */
public interface Ipv4Sender
{
    /**
     * Claims room for a datagram with a transport payload (transport header included) of exactly
     * {@code payloadLength} bytes.
     *
     * @param dstAddr       the destination address.
     * @param protocol      the IPv4 protocol number.
     * @param payloadLength bytes of transport header and data, at most 65,515 (65,535 minus the IPv4 header).
     * @param dontFragment  sets DF (RFC 791); TCP sets it, UDP usually does not.
     * @return the buffer to write the payload into at {@link #payloadOffset()}, or {@code null} when the datagram
     *         cannot be taken now (device backpressure, pending-ARP queue full, no route): the caller keeps its data
     *         and tries again on a later poll. Query {@link #lastRefusal()} for why.
     */
    MutableDirectBuffer claim(int dstAddr, int protocol, int payloadLength, boolean dontFragment);

    /** Where in the claimed buffer the payload starts. Valid between {@link #claim} and {@link #commit()}. */
    int payloadOffset();

    /** Sends the claimed datagram (or holds it until the next hop is resolved). */
    void commit();

    /** Drops the claimed datagram. */
    void abort();

    /** Why the last {@link #claim} returned null. */
    Refusal lastRefusal();

    /** Our address, the source of every datagram this sender emits (also needed for pseudo-header checksums). */
    int sourceAddress();

    /** The IPv4 MTU of the interface (e.g. 1500): transports derive their MSS from it (RFC 6691, RFC 9293 §3.7.1). */
    int mtu();

    /** Whether the device completes transport checksums: a transport may then use {@link #claimOffloaded}. */
    default boolean offloadsChecksum()
    {
        return false;
    }

    /** Whether the device also cuts TCP super-segments ({@link #claimOffloaded} with a segment size, TSO4). */
    default boolean offloadsTcpSegmentation()
    {
        return false;
    }

    /**
     * Whether the device also cuts UDP super-datagrams ({@link #claimOffloaded} with a segment size and protocol UDP,
     * USO4): each segment becomes a datagram of its own.
     */
    default boolean offloadsUdpSegmentation()
    {
        return false;
    }

    /**
     * Claims room for a datagram (DF set) that the device finishes: it completes the transport checksum at
     * {@code checksumOffset} of the payload (the caller writes the pseudo-header sum there, uncomplemented, over the
     * whole payload length), and, when {@code segmentSize} is above 0 and the data after the
     * {@code transportHeaderLength}-byte transport header is longer than it, cuts the datagram into segments of
     * {@code segmentSize} data bytes, each with a copy of the headers (TCP segmentation offload; for UDP, USO: each
     * segment a datagram with its own UDP length and checksum). The datagram may
     * then be up to 65,535 bytes long; each segment must fit the MTU.
     *
     * @return the buffer to write the payload into at {@link #payloadOffset()}, or {@code null}: DEVICE_BUSY as
     *         for {@link #claim}, TOO_BIG, or {@link Refusal#OFFLOAD_UNAVAILABLE} when it cannot go straight to the
     *         device now (next hop not resolved yet, ...): the caller then sends it plainly with {@link #claim}.
     * @throws UnsupportedOperationException when the device has no checksum offload (ask
     *         {@link #offloadsChecksum()}).
     */
    default MutableDirectBuffer claimOffloaded(int dstAddr, int protocol, int payloadLength,
        int transportHeaderLength, int segmentSize, int checksumOffset)
    {
        throw new UnsupportedOperationException("no offloads");
    }

    /**
     * Whether a datagram claimed with {@link #claimOffloaded} can be sent with {@link #commitGather}: its payload
     * then stays in the caller's native memory and the device writes it from there (a TAP's {@code writev(2)}).
     */
    default boolean gathers()
    {
        return false;
    }

    /**
     * Sends the datagram claimed with {@link #claimOffloaded} whose first {@code headLength} payload bytes (the
     * transport header) were written at {@link #payloadOffset()}: the rest of the payload is {@code length1} bytes
     * of {@code tail} from {@code offset1}, then {@code length2} from {@code offset2}, together the claimed length.
     * {@code tail} is native memory, read during the call only.
     *
     * @throws UnsupportedOperationException when the sender does not {@link #gathers()}.
     */
    default void commitGather(int headLength, DirectBuffer tail, int offset1, int length1, int offset2, int length2)
    {
        throw new UnsupportedOperationException("no gather");
    }

    /** Reasons a claim can be refused. */
    enum Refusal
    {
        NONE,
        /** The device has no room now; retry on a later poll. */
        DEVICE_BUSY,
        /** The next hop is being resolved and its queue of held datagrams is full; retry later. */
        NEIGHBOUR_PENDING,
        /** The next hop did not answer ARP: the destination is unreachable (report EHOSTUNREACH). */
        NEIGHBOUR_UNREACHABLE,
        /** Not on-link and no gateway configured (ENETUNREACH). */
        NO_ROUTE,
        /** Larger than IPv4 allows, or larger than the MTU with DF set. */
        TOO_BIG,
        /** {@link #claimOffloaded} cannot go straight to the device now: send the datagram plainly instead. */
        OFFLOAD_UNAVAILABLE
    }
}
