package io.conntest.stack.socket;

/**
 * Readiness of a {@link UdpSocket}, told to its owner on the interface's thread during a poll. Every method has a
 * no-op default so an owner overrides only what it uses.
 */
public interface UdpSocketListener
{
    /**
     * Datagrams are queued for {@link UdpSocket#receive}: called in the poll's delivery phase (after ingress, before
     * egress, so what the owner sends in reply leaves in the same poll), once per poll while datagrams remain.
     *
     * @param nowNs the time of the poll that received them
     */
    default void onReadable(final UdpSocket socket, final long nowNs)
    {
        onReadable(socket);
    }

    /** As {@link #onReadable(UdpSocket, long)}, for owners that need no time. */
    default void onReadable(final UdpSocket socket)
    {
    }

    /** {@link UdpSocket#sendTo} returned false earlier and the send queue has room again. */
    default void onWritable(final UdpSocket socket)
    {
    }

    /**
     * A datagram this socket sent to {@code remoteAddr:remotePort} failed: an ICMP error came back (e.g.
     * {@link Errno#ECONNREFUSED} for port unreachable) or it could not be sent ({@link Errno#EHOSTUNREACH} when ARP
     * got no answer, {@link Errno#ENETUNREACH} for no route, {@link Errno#EMSGSIZE}).
     */
    default void onError(final UdpSocket socket, final int errno, final int remoteAddr, final int remotePort)
    {
    }

    /**
     * The same failure when an ICMP error carried it, with the message's type and code (what Linux's
     * {@code IP_RECVERR} adds to the errno, e.g. to tell "administratively prohibited", type 3 code 13, from other
     * host-unreachable errors). By default it is {@link #onError}; an owner that overrides this gets only this call.
     */
    default void onIcmpError(final UdpSocket socket, final int errno, final int icmpType, final int icmpCode,
        final int remoteAddr, final int remotePort)
    {
        onError(socket, errno, remoteAddr, remotePort);
    }

    /**
     * A datagram this socket sent to the IPv6 peer {@code remoteHi, remoteLo} and {@code remotePort} failed without an
     * ICMPv6 message ({@link Errno#EHOSTUNREACH} when Neighbor Discovery got no answer, {@link Errno#ENETUNREACH}
     * for no route, {@link Errno#EADDRNOTAVAIL} for no source address yet, {@link Errno#EMSGSIZE}). The default
     * ignores it (the socket's {@link UdpSocket#takeError()} still has it).
     */
    default void onError6(final UdpSocket socket, final int errno, final long remoteHi, final long remoteLo,
        final int remotePort)
    {
    }

    /**
     * An ICMPv6 error (RFC 4443 §3) came back about a datagram to {@code remoteHi, remoteLo} and {@code remotePort},
     * with the errno Linux gives it ({@link Errno#fromIcmpv6}: port unreachable is {@link Errno#ECONNREFUSED}).
     * By default it is {@link #onError6}.
     */
    default void onIcmpv6Error(final UdpSocket socket, final int errno, final int icmpType, final int icmpCode,
        final long remoteHi, final long remoteLo, final int remotePort)
    {
        onError6(socket, errno, remoteHi, remoteLo, remotePort);
    }
}
