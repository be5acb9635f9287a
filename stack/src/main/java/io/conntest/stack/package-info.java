/**
 * conntest's own TCP/IP stack. {@link io.conntest.stack.NetworkStack} is the entry point: it builds an
 * {@link io.conntest.stack.iface.Interface} over a {@link io.conntest.stack.phy.FrameDevice} and plugs UDP in (TCP
 * plugs in through {@code addProtocol}). Layers: {@code wire} (formats), {@code phy} (devices), {@code iface}
 * (Ethernet/ARP/IPv4/ICMP and the poll loop), {@code socket} (UDP sockets), {@code tcp}, {@code service}, and
 * {@code time} (the one "no deadline" value and wrap-safe deadline comparisons) below them all. No
 * threads, no native code, no logging framework: the caller owns the loop.
 */
package io.conntest.stack;
