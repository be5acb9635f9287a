/**
 * The interface: one MAC and IPv4 address on one {@link io.conntest.stack.phy.FrameDevice}. Owns the poll loop
 * (bounded ingress, full egress of every protocol with work, timers, next deadline), ARP and the neighbour cache
 * with held datagrams, IPv4 routing, fragmentation and reassembly, ICMP, and a counter for every reason a frame is
 * dropped ({@link io.conntest.stack.iface.InterfaceCounter}). Transport protocols plug in through
 * {@link io.conntest.stack.iface.IpProtocolHandler} and send through {@link io.conntest.stack.iface.Ipv4Sender} and
 * {@link io.conntest.stack.iface.Ipv6Sender}; IPv6 frames go to {@link io.conntest.stack.ipv6.Ipv6Host} (package
 * {@code ipv6}, below this one), whose TCP and UDP packets come back to the same handlers ({@code Ipv6Transports}):
 * one socket table serves both families. The interface
 * knows nothing of sockets and may use only {@code wire}, {@code phy}, {@code time} and {@code ipv6}.
 */
package io.conntest.stack.iface;
