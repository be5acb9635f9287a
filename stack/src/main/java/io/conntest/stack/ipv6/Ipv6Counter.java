package io.conntest.stack.ipv6;

/**
 * Everything the IPv6 side counts. Entries marked as drops are reasons a received packet, a packet held for a
 * neighbour, or one the node wanted to send was thrown away.
 */
public enum Ipv6Counter
{
    /** IPv6 packets received for one of the node's addresses or groups. */
    IPV6_RECEIVED(false),
    /** Not a sound IPv6 header, or an ICMPv6 message too short. */
    IPV6_MALFORMED(true),
    /** To another unicast address, or a group not joined. */
    IPV6_NOT_FOR_US(true),
    /** A multicast source address (RFC 4291 §2.7: never a source). */
    IPV6_BAD_SOURCE(true),
    /** To an address still tentative (RFC 4862 §5.4: silently discarded until DAD ends). */
    IPV6_TO_TENTATIVE(true),
    /** Discarded while walking the extension headers (an option said so, a truncated or overlong chain). */
    IPV6_EXTENSION_DISCARDED(true),
    IPV6_FRAGMENTS_RECEIVED(false),
    IPV6_REASSEMBLED(false),
    /** A fragment of a reassembled packet (fragments within fragments are not taken). */
    IPV6_FRAGMENT_NESTED(true),
    /** A fragment whose length is not a multiple of 8 (more follow) or that ends beyond 65,535 (RFC 8200 §4.5). */
    IPV6_FRAGMENT_MALFORMED(true),
    /** A fragment that exactly repeats data already received (ignored, the reassembly goes on). */
    IPV6_FRAGMENT_DUPLICATE(true),
    /** A reassembly dropped because fragments overlapped (RFC 5722). */
    IPV6_REASSEMBLY_OVERLAP(true),
    /** A reassembly dropped because fragments disagreed about the packet's end. */
    IPV6_REASSEMBLY_INCONSISTENT(true),
    /** A reassembly not finished within 60 s (RFC 8200 §4.5). */
    IPV6_REASSEMBLY_TIMEOUT(true),
    /** A reassembly evicted because every slot was in use. */
    IPV6_REASSEMBLY_OVERFLOW(true),
    IPV6_FRAGMENTS_SENT(false),
    /** A packet above the link MTU for a neighbour still being resolved: too big to hold, dropped. */
    IPV6_FRAGMENTED_UNRESOLVED(true),
    /** UDP or TCP over IPv6: not on the stack yet, answered with a port unreachable. */
    IPV6_NO_TRANSPORT(true),
    /** An unknown next header or an option whose type asks for it: answered with a Parameter Problem. */
    IPV6_PARAMETER_PROBLEM(true),
    /** Outgoing packets with no route (off-link and no default router, or to our own address). */
    IPV6_NO_ROUTE(true),
    /** Outgoing packets above 65,535 bytes of payload. */
    IPV6_TOO_BIG(true),
    /** A packet the device had no room for. */
    IPV6_SEND_DROPPED(true),
    IPV6_SENT(false),

    ICMPV6_BAD_CHECKSUM(true),
    ICMPV6_ECHO_REQUESTS_RECEIVED(false),
    ICMPV6_ECHO_REPLIES_SENT(false),
    ICMPV6_ECHO_REQUESTS_SENT(false),
    /** Echo replies to {@code Ipv6Host#sendEchoRequest} (no ping client takes them yet: counted only). */
    ICMPV6_ECHO_REPLIES_RECEIVED(false),
    /** Informational types the node neither answers nor delivers (RFC 4443 §2.4 b). */
    ICMPV6_UNHANDLED_TYPE(true),
    /** ICMPv6 errors received: nothing above takes them yet. */
    ICMPV6_ERRORS_RECEIVED(true),
    ICMPV6_ERRORS_SENT(false),
    ICMPV6_PARAMETER_PROBLEMS_SENT(false),
    ICMPV6_PORT_UNREACHABLE_SENT(false),
    ICMPV6_TIME_EXCEEDED_SENT(false),
    /** An error not sent: its destination used its budget (RFC 4443 §2.4 f). */
    ICMPV6_ERRORS_RATE_LIMITED(true),
    /** An error RFC 4443 §2.4 e forbids (about an error, to or from a multicast or unspecified address). */
    ICMPV6_ERRORS_SUPPRESSED(false),

    /** A Neighbor Discovery message RFC 4861 §6.1/§7.1 says to discard. */
    NDP_INVALID(true),
    NDP_NEIGHBOR_SOLICITATIONS_RECEIVED(false),
    NDP_NEIGHBOR_SOLICITATIONS_SENT(false),
    NDP_NEIGHBOR_ADVERTISEMENTS_RECEIVED(false),
    NDP_NEIGHBOR_ADVERTISEMENTS_SENT(false),
    /** An advertisement for a neighbour not in the cache (RFC 4861 §7.2.5: silently discarded). */
    NDP_ADVERTISEMENT_UNSOLICITED_IGNORED(false),
    /** A solicitation for an address that is not ours (or is tentative and the source unicast). */
    NDP_SOLICITATION_NOT_FOR_US(false),
    NDP_ROUTER_SOLICITATIONS_SENT(false),
    NDP_ROUTER_ADVERTISEMENTS_RECEIVED(false),
    /** Router Advertisements heard without autoconfiguration ({@code Ipv6Host#autoconfigure}): not acted on. */
    NDP_ROUTER_ADVERTISEMENTS_IGNORED(false),
    /** Router Solicitations heard: a host ignores them (RFC 4861 §6.2.6). */
    NDP_ROUTER_SOLICITATIONS_IGNORED(false),
    /** Redirects: this host does not act on them (RFC 4861 §8.3 allows ignoring; counted). */
    NDP_REDIRECTS_IGNORED(true),
    /** An RA's MTU option outside 1280..the device's MTU (RFC 4861 §6.3.4). */
    NDP_MTU_OPTION_IGNORED(true),
    /** A Prefix Information option RFC 4862 §5.5.3 ignores (link-local, preferred above valid, not /64). */
    NDP_PREFIX_IGNORED(true),
    /** A neighbour that answered none of its solicitations (INCOMPLETE or PROBE gave up). */
    NDP_NEIGHBOUR_UNREACHABLE(false),
    /** A packet held for a neighbour that then did not answer. */
    NDP_HELD_DROPPED(true),
    /** A packet refused because its neighbour's (or the node's) queue of held packets was full. */
    NDP_QUEUE_FULL(true),
    NDP_CACHE_EVICTIONS(false),

    DAD_PROBES_SENT(false),
    /** Addresses that passed Duplicate Address Detection and became usable. */
    DAD_SUCCEEDED(false),
    /** Addresses found in use by another node (RFC 4862 §5.4.5): not used. */
    DAD_DUPLICATES(false),
    SLAAC_ADDRESSES_FORMED(false),
    SLAAC_ADDRESSES_EXPIRED(false),
    /** A prefix that ran out of stable identifiers after duplicates (RFC 7217 §6, IDGEN_RETRIES). */
    SLAAC_GAVE_UP(false),

    MLD_REPORTS_SENT(false),
    MLD_QUERIES_RECEIVED(false),
    /** A query not from a link-local source or too short (RFC 3810 §5.1.14, §6.2). */
    MLD_QUERIES_INVALID(true),
    /** MLDv1 queries: the host answers in MLDv1 for a while (RFC 3810 §8.2.1). */
    MLD_V1_QUERIES_RECEIVED(false),
    MLD_V1_REPORTS_SENT(false);

    private final boolean drop;

    Ipv6Counter(final boolean drop)
    {
        this.drop = drop;
    }

    /** Whether this counts something thrown away. */
    public boolean isDrop()
    {
        return drop;
    }
}
