package io.conntest.stack.dhcp;

/**
 * The steps of a {@link DhcpClient}, told on the interface's thread as they happen, so the owner can print them.
 * Every method has a no-op default.
 */
public interface DhcpListener
{
    /** A server offered {@code address} (SELECTING → REQUESTING). */
    default void onOffer(final int address, final int server, final long nowNs)
    {
    }

    /** A lease is bound: the interface has its address, prefix and gateway from now on. */
    default void onBound(final DhcpLease lease, final long nowNs)
    {
    }

    /** T1 passed: renewing with the leasing server by unicast (BOUND → RENEWING). */
    default void onRenewing(final DhcpLease lease, final long nowNs)
    {
    }

    /** The server extended the lease (RENEWING or REBINDING → BOUND). */
    default void onRenewed(final DhcpLease lease, final long nowNs)
    {
    }

    /** T2 passed without a renewal: asking any server by broadcast (RENEWING → REBINDING). */
    default void onRebinding(final DhcpLease lease, final long nowNs)
    {
    }

    /** The lease ran out: the interface has no address until a new lease (→ INIT). */
    default void onExpired(final DhcpLease lease, final long nowNs)
    {
    }

    /** A server refused our request (NAK, RFC 2131 §3.1.4 / §4.4.5); any address was given up (→ INIT). */
    default void onNak(final int server, final long nowNs)
    {
    }

    /**
     * An ARP probe found {@code address} in use by {@code conflictMac} (RFC 5227 §2.1.1): declined to the server
     * (DHCPDECLINE) and the client restarts after a pause (RFC 2131 §3.1.5).
     */
    default void onDeclined(final int address, final long conflictMac, final long nowNs)
    {
    }
}
