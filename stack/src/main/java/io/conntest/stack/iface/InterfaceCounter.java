package io.conntest.stack.iface;

/**
 * Everything the interface counts. Entries marked as drops are reasons a received frame, a datagram held or
 * being reassembled, or a reply the interface wanted to send was thrown away.
 */
public enum InterfaceCounter
{
    RX_FRAMES(false),
    RX_BYTES(false),
    TX_FRAMES(false),
    TX_BYTES(false),
    /** Frames handed to the device with offload work in them (a partial checksum, a super-frame to cut). */
    TX_OFFLOADED(false),
    /** Of those, super-frames (TSO): each leaves the device as several segments. */
    TX_SUPER_FRAMES(false),
    /** Of the offloaded frames, those whose payload the device wrote from the sender's memory (a TAP's writev). */
    TX_GATHERED(false),
    /** UDP super-datagrams received (USO/UDP GRO, {@code GSO_UDP_L4}), each split into its datagrams. */
    RX_UDP_SUPER_FRAMES(false),
    /** A UDP super-datagram whose headers do not match its offload metadata. */
    RX_UDP_SUPER_FRAME_MALFORMED(true),
    /**
     * IPv6 frames that came with a partial transport checksum (NEEDS_CSUM: the local kernel's TCP or UDP over IPv6
     * on a TAP with checksum offload), taken as trusted like IPv4's: the checksum is not verified in Java.
     */
    RX_IPV6_CHECKSUM_TRUSTED(false),

    /** Shorter than an Ethernet header. */
    ETHERNET_MALFORMED(true),
    /** Unicast to another MAC, or a multicast group we did not join. */
    ETHERNET_NOT_FOR_US(true),
    /** Our own frame reflected back (source MAC is ours). */
    ETHERNET_OWN_SOURCE(true),
    /** EtherType other than IPv4, ARP and IPv6 (e.g. LLDP). IPv6 counts its own: {@code Ipv6Counter}. */
    ETHERNET_UNKNOWN_TYPE(true),

    /** Too short, or not an Ethernet/IPv4 request/reply. */
    ARP_MALFORMED(true),
    /** ARP about other hosts, or an announcement (normal on a shared segment: learnt from, not a drop). */
    ARP_NOT_FOR_US(false),
    /** Someone else claims our IPv4 address (RFC 5227 conflict): ignored. */
    ARP_ADDRESS_CONFLICT(true),
    ARP_REQUESTS_RECEIVED(false),
    ARP_REPLIES_RECEIVED(false),
    ARP_REQUESTS_SENT(false),
    ARP_REPLIES_SENT(false),
    GRATUITOUS_ARP_SENT(false),
    /** ARP probes sent (sender address 0.0.0.0, RFC 5227 §2.1.1): a DHCP client checking an offered address. */
    ARP_PROBES_SENT(false),
    /** An ARP reply or request we wanted to send found the device busy. */
    ARP_SEND_DROPPED(true),

    /** A neighbour did not answer any of its ARP requests. */
    NEIGHBOUR_UNREACHABLE(false),
    /** A datagram held for a neighbour that then did not answer ARP. */
    NEIGHBOUR_HELD_DROPPED(true),
    /** A datagram refused because its neighbour's (or the interface's) queue of held datagrams was full. */
    NEIGHBOUR_QUEUE_FULL(true),
    /** A neighbour entry evicted to make room (the cache is bounded). */
    NEIGHBOUR_CACHE_EVICTIONS(false),

    IPV4_RECEIVED(false),
    IPV4_SENT(false),
    /** Bad version, IHL, total length, reserved flag, or a fragment beyond 65,535 bytes. */
    IPV4_MALFORMED(true),
    IPV4_BAD_CHECKSUM(true),
    /** A malformed IP option (RFC 791 §3.1): answered with Parameter Problem, dropped. */
    IPV4_BAD_OPTIONS(true),
    /** Destination neither our address nor a broadcast. */
    IPV4_NOT_FOR_US(true),
    /** Broadcast, multicast or otherwise invalid source address (RFC 1122 §3.2.1.3). */
    IPV4_BAD_SOURCE(true),
    /** No handler for the protocol number (answered by ICMP protocol unreachable). */
    IPV4_UNKNOWN_PROTOCOL(true),
    /** Outgoing datagrams refused for lack of a route (not on-link, no gateway). */
    IPV4_NO_ROUTE(false),
    /** Outgoing datagrams refused as too big (above 65,535 bytes, or above the MTU with DF). */
    IPV4_TOO_BIG(false),

    FRAGMENTS_RECEIVED(false),
    FRAGMENTS_SENT(false),
    DATAGRAMS_REASSEMBLED(false),
    /** A fragment other than the last whose length is not a multiple of 8, or an empty one. */
    FRAGMENT_MALFORMED(true),
    /** A fragment that exactly repeats data already received (ignored, the reassembly goes on). */
    FRAGMENT_DUPLICATE(true),
    /** A reassembly that did not complete in time (RFC 1122 §3.3.2). */
    REASSEMBLY_TIMEOUT(true),
    /** A reassembly dropped because fragments partly overlapped (RFC 5722's rule, applied to IPv4). */
    REASSEMBLY_OVERLAP(true),
    /** A reassembly dropped because fragments disagreed about the datagram's end. */
    REASSEMBLY_INCONSISTENT(true),
    /** A reassembly evicted because every reassembly slot was in use. */
    REASSEMBLY_OVERFLOW(true),

    ICMP_MALFORMED(true),
    ICMP_BAD_CHECKSUM(true),
    ICMP_ECHO_REQUESTS_RECEIVED(false),
    ICMP_ECHO_REPLIES_SENT(false),
    ICMP_ECHO_REQUESTS_SENT(false),
    ICMP_ECHO_REPLIES_RECEIVED(false),
    /** Echo requests to a broadcast address, ignored (RFC 1122 §3.2.2.6 allows it). */
    ICMP_ECHO_BROADCAST_IGNORED(true),
    ICMP_ERRORS_RECEIVED(false),
    /** An ICMP error whose quoted datagram is malformed, not ours, or of a protocol with no handler. */
    ICMP_ERROR_UNDELIVERABLE(true),
    ICMP_ERRORS_SENT(false),
    /** An ICMP error not sent: its destination had used its budget (RFC 1812 §4.3.2.8; see IcmpErrorRateLimiter). */
    ICMP_ERRORS_RATE_LIMITED(true),
    ICMP_PORT_UNREACHABLE_SENT(false),
    /** ICMP types we neither answer nor deliver (redirects, timestamps, ...). */
    ICMP_UNHANDLED_TYPE(true),
    /** A reply or error the interface wanted to send was refused (device busy, queue full, no route). */
    ICMP_SEND_DROPPED(true);

    private final boolean drop;

    InterfaceCounter(final boolean drop)
    {
        this.drop = drop;
    }

    /** Whether this counts something thrown away. */
    public boolean isDrop()
    {
        return drop;
    }
}
