/**
 * The DHCPv4 client (RFC 2131, options RFC 2132): {@link io.conntest.stack.dhcp.DhcpClient} gets, renews and
 * rebinds a lease on a UDP socket (port 68), checks the offered address with ARP probes (RFC 5227) and declines it
 * when another host holds it, and sets the interface's {@link io.conntest.stack.iface.Ipv4Assignment}. The wire
 * view is {@link io.conntest.stack.dhcp.DhcpMessage}; a server's reply is parsed into a
 * {@link io.conntest.stack.dhcp.DhcpReply} (bounded, every malformation counted by a
 * {@link io.conntest.stack.dhcp.DhcpCounter}, never thrown). Time-driven like the interface: the owner polls it
 * ({@link io.conntest.stack.NetworkStack} does). Uses {@code iface}, {@code socket}, {@code wire} and {@code time}.
 */
package io.conntest.stack.dhcp;
