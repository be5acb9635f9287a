package io.conntest.stack;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.UnclaimedArrivals;
import io.conntest.stack.iface.IpProtocolHandler;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.socket.UdpSockets;

/**
 * A whole stack on one device: an {@link Interface} with UDP plugged in. The caller owns the loop and the clock:
 *
 * <pre>{@code
 * NetworkStack stack = new NetworkStack(device, InterfaceConfig.builder("10.0.0.2/24").build());
 * new UdpEchoService(stack.udp(), 7);
 * while (running) {
 *     long now = System.nanoTime();
 *     if (!stack.poll(now)) device.awaitReceive(stack.pollAtNs(now) - now);
 * }
 * }</pre>
 */
public final class NetworkStack implements AutoCloseable
{
    private final Interface iface;
    private final UdpSockets udp;
    private final UnclaimedArrivals unclaimed = new UnclaimedArrivals();

    public NetworkStack(final FrameDevice device, final InterfaceConfig config)
    {
        this(device, config, UdpSockets.DEFAULT_MAX_SOCKETS);
    }

    public NetworkStack(final FrameDevice device, final InterfaceConfig config, final int maxUdpSockets)
    {
        this.iface = new Interface(device, config);
        this.udp = new UdpSockets(maxUdpSockets, config.seed() ^ 0x5DEECE66DL);
        udp.unclaimedArrivals(unclaimed);
        iface.addProtocol(udp);
    }

    /**
     * The segments and datagrams that found no socket lately, by source and port: UDP's are noted here; give it to
     * TCP too ({@code TcpProtocol.unclaimedArrivals}).
     */
    public UnclaimedArrivals unclaimedArrivals()
    {
        return unclaimed;
    }

    /** One turn of the loop; see {@link Interface#poll(long)}. Returns whether anything happened. */
    public boolean poll(final long nowNs)
    {
        return iface.poll(nowNs);
    }

    /** When the next poll is due if no frame arrives; see {@link Interface#pollAtNs(long)}. */
    public long pollAtNs(final long nowNs)
    {
        return iface.pollAtNs(nowNs);
    }

    public UdpSockets udp()
    {
        return udp;
    }

    public Interface iface()
    {
        return iface;
    }

    /** Plugs in another transport protocol (TCP). */
    public void addProtocol(final IpProtocolHandler handler)
    {
        iface.addProtocol(handler);
    }

    /** Closes the device. */
    @Override
    public void close()
    {
        iface.device().close();
    }
}
