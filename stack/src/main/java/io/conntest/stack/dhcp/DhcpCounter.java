package io.conntest.stack.dhcp;

/**
 * Everything the DHCP client counts. Entries marked as drops are reasons a datagram received on port 68 was thrown
 * away, each once.
 */
public enum DhcpCounter
{
    DISCOVERS_SENT(false),
    REQUESTS_SENT(false),
    DECLINES_SENT(false),
    /** Retransmissions of DISCOVER or REQUEST (RFC 2131 §4.1 back-off). */
    RETRANSMISSIONS(false),
    /** A message could not be sent now (the socket's queue or the device was full); the timer tries again. */
    SEND_FAILED(false),
    OFFERS_RECEIVED(false),
    ACKS_RECEIVED(false),
    NAKS_RECEIVED(false),
    ARP_PROBES_SENT(false),
    /** An ARP probe found the offered address in use (RFC 5227 §2.1.1). */
    CONFLICTS(false),
    LEASES_EXPIRED(false),

    /** Shorter than the fixed part plus the cookie. */
    MALFORMED_SHORT(true),
    /** op is not BOOTREPLY, or htype/hlen are not Ethernet's. */
    MALFORMED_HEADER(true),
    /** The magic cookie is not 99.130.83.99. */
    MALFORMED_COOKIE(true),
    /** An option runs past the message, or there is no end option. */
    MALFORMED_OPTIONS(true),
    /** An option we use has the wrong length (e.g. a 3-byte subnet mask) or a bad value (a non-contiguous mask). */
    MALFORMED_OPTION_VALUE(true),
    /** No message type (option 53): a BOOTP reply, not DHCP. */
    NO_MESSAGE_TYPE(true),
    /** Not our transaction: another xid or another client's hardware address. */
    NOT_OUR_TRANSACTION(true),
    /** A message type not expected in the current state (an OFFER while bound, an ACK while selecting). */
    UNEXPECTED_TYPE(true),
    /** An OFFER or ACK without a server identifier or with no usable address (0, broadcast, multicast, loopback). */
    UNUSABLE_REPLY(true),
    /** An ACK without a lease time (RFC 2131 §4.3.1: the server MUST give one). */
    NO_LEASE_TIME(true),
    /** A reply from another server than the one we chose (RFC 2131 §4.4.1). */
    OTHER_SERVER(true),
    /** A router option naming a gateway that is not on the leased subnet: the lease is taken without it. */
    ROUTER_NOT_ON_LINK(false);

    private final boolean drop;

    DhcpCounter(final boolean drop)
    {
        this.drop = drop;
    }

    /** Whether this counts a dropped datagram. */
    public boolean isDrop()
    {
        return drop;
    }
}
