/**
 * The stack's IPv6 host side on one Ethernet link (issue 13): the node's addresses (a link-local one and stateless
 * autoconfigured ones, RFC 4862, with stable interface identifiers, RFC 7217) each checked by Duplicate Address
 * Detection, Neighbor Discovery (RFC 4861: the neighbour cache with its reachability states, router discovery,
 * prefixes, MTU), MLDv2 reports for the solicited-node groups (RFC 3810), echo and ICMPv6 errors (RFC 4443) with a
 * rate limit, and a counter for every reason a packet is dropped ({@link io.conntest.stack.ipv6.Ipv6Counter}).
 *
 * <p>Owns: everything IPv6 above the Ethernet frame and below the transports. {@link io.conntest.stack.ipv6.Ipv6Host}
 * is its front: the interface hands it IPv6 frames and polls its timers; TCP and UDP packets and the ICMPv6 errors
 * about them go up through {@link io.conntest.stack.ipv6.Ipv6Transport}, and come down through
 * {@code Ipv6Host.claimTransport}. Configured addresses and a configured gateway sit beside the autoconfigured ones. May use only {@code wire}, {@code phy} and
 * {@code time}; the interface ({@code iface}) sits above it. Single-threaded, no allocation per packet.
 */
package io.conntest.stack.ipv6;
