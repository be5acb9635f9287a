package io.conntest.stack.iface;

import org.agrona.DirectBuffer;

/**
 * A transport protocol above IPv4 and IPv6 (UDP, TCP) as the interface sees it. The interface demultiplexes ingress by
 * the IPv4 protocol field (and IPv6's upper-layer next header), gives each protocol a chance to send on every poll, and asks each for its next deadline.
 * All calls come from the interface's thread.
 */
public interface IpProtocolHandler
{
    /** The IPv4 protocol number this handler owns (RFC 790): 6 for TCP, 17 for UDP. */
    int protocol();

    /**
     * Ingress: one complete (reassembled if it was fragmented) IPv4 datagram addressed to this host.
     *
     * @param srcAddr the datagram's source address.
     * @param dstAddr the datagram's destination address (ours, or broadcast).
     * @param buffer  holding the transport header and payload, valid only during the call.
     * @param offset  of the transport header.
     * @param length  of transport header plus payload, from the IPv4 total length.
     * @return false when no socket wanted it (for UDP the interface then answers ICMP port unreachable).
     */
    boolean processDatagram(int srcAddr, int dstAddr, DirectBuffer buffer, int offset, int length, long nowNs);

    /**
     * Ingress as {@link #processDatagram(int, int, DirectBuffer, int, int, long)}, with {@code checksumTrusted} when
     * the device verified the transport checksum or the datagram comes from the local host with the checksum left to
     * fill (offloads: {@code io.conntest.stack.phy.FrameMetadata#checksumTrusted()}): the handler then skips its
     * own verification, as the field may hold a partial sum. The default ignores the flag and verifies.
     */
    default boolean processDatagram(int srcAddr, int dstAddr, DirectBuffer buffer, int offset, int length,
        boolean checksumTrusted, long nowNs)
    {
        return processDatagram(srcAddr, dstAddr, buffer, offset, length, nowNs);
    }

    /**
     * The TTL and TOS byte (DSCP and ECN, RFC 2474 / RFC 3168) of the datagram whose payload the next
     * {@code processDatagram} call carries, so a socket can tell its owner how the peer's packets arrive (hop count,
     * DSCP rewrites). Called just before it; the default ignores them.
     */
    default void onIpHeader(int ttl, int tos)
    {
    }

    /**
     * An ICMP error (RFC 792, RFC 1122 §3.2.2) arrived about a datagram this host sent with this protocol.
     *
     * @param icmpType     e.g. 3 destination unreachable, 11 time exceeded.
     * @param icmpCode     e.g. 3 port unreachable, 4 fragmentation needed.
     * @param reporter     the source address of the ICMP message: the host or router that sent the error.
     * @param srcAddr      the source address of the quoted (original) datagram: ours.
     * @param dstAddr      the destination address of the quoted datagram: the peer it was sent to.
     * @param quoted       holding the quoted transport header (at least 8 bytes: the ports are there).
     * @param offset       of the quoted transport header.
     * @param length       of the quoted bytes available.
     * @param nextHopMtu   the next-hop MTU for "fragmentation needed" (RFC 1191), otherwise 0.
     */
    void onIcmpError(
        int icmpType, int icmpCode, int reporter, int srcAddr, int dstAddr,
        DirectBuffer quoted, int offset, int length, int nextHopMtu, long nowNs);

    /**
     * Ingress over IPv6: one complete upper-layer packet (reassembled if it was fragmented) addressed to one of the
     * interface's IPv6 unicast addresses; {@link #onIpHeader} was told its hop limit and traffic class just before.
     * Its checksum covers the IPv6 pseudo-header (RFC 8200 §8.1), for the handler to verify.
     *
     * @return false when no socket wanted it (UDP: the interface then answers ICMPv6 port unreachable). The default
     *         takes nothing: a protocol that does not speak IPv6.
     */
    default boolean processIpv6Datagram(long srcHi, long srcLo, long dstHi, long dstLo, DirectBuffer buffer,
        int offset, int length, long nowNs)
    {
        return false;
    }

    /**
     * As {@link #processIpv6Datagram(long, long, long, long, DirectBuffer, int, int, long)}, with
     * {@code checksumTrusted} when the device verified the checksum or left it partial for the local host (offloads,
     * as for IPv4): the handler then skips its verification. The default ignores the flag and verifies.
     */
    default boolean processIpv6Datagram(long srcHi, long srcLo, long dstHi, long dstLo, DirectBuffer buffer,
        int offset, int length, boolean checksumTrusted, long nowNs)
    {
        return processIpv6Datagram(srcHi, srcLo, dstHi, dstLo, buffer, offset, length, nowNs);
    }

    /**
     * An ICMPv6 error (RFC 4443 §3) about a packet this protocol sent to {@code dstHi, dstLo}.
     *
     * @param icmpType 1 destination unreachable, 2 packet too big, 3 time exceeded, 4 parameter problem.
     * @param mtu      for packet too big, the MTU of the next link (RFC 8201), else 0.
     */
    default void onIcmpv6Error(int icmpType, int icmpCode, long reporterHi, long reporterLo, long dstHi, long dstLo,
        DirectBuffer quoted, int offset, int length, int mtu, long nowNs)
    {
    }

    /**
     * Called once when the handler is added to an interface: what it sends IPv6 packets through. The default keeps
     * nothing (a protocol that does not speak IPv6).
     */
    default void attachIpv6(Ipv6Sender sender)
    {
    }

    /**
     * Delivery: after the poll's ingress and before its egress, tells the sockets' owners what became ready
     * (readiness callbacks). Owners act on their sockets here, outside any segment's processing, and what they
     * write leaves in the same poll's egress. The default has nothing to tell.
     */
    default void deliver(long nowNs)
    {
    }

    /**
     * Egress: sends whatever this protocol has ready through {@code sender} until it has nothing more or the sender
     * refuses (backpressure). Called on every poll of the interface; must drain, not send one datagram per call.
     */
    void dispatch(Ipv4Sender sender, long nowNs);

    /**
     * The earliest time (nanoseconds, same clock as {@code nowNs}) this protocol needs a poll;
     * {@link io.conntest.stack.time.Deadline#NEVER} for none.
     */
    long pollAtNs(long nowNs);
}
