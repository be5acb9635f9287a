/**
 * Sockets: UDP sockets demultiplexed by local port ({@link io.conntest.stack.socket.UdpSockets}, an
 * {@link io.conntest.stack.iface.IpProtocolHandler}), with bounded send and receive queues, a non-blocking API and
 * readiness told to the owner through {@link io.conntest.stack.socket.UdpSocketListener}. Sends only through
 * {@link io.conntest.stack.iface.Ipv4Sender}; never touches the device, ARP or IPv4 headers.
 */
package io.conntest.stack.socket;
