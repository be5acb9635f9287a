package io.conntest.stack;

import io.conntest.stack.dhcp.DhcpClient;
import io.conntest.stack.dhcp.DhcpConfig;
import io.conntest.stack.dhcp.DhcpListener;
import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.UnclaimedArrivals;
import io.conntest.stack.iface.IpProtocolHandler;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.socket.UdpSockets;
import io.conntest.stack.time.Deadline;

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
 *
 * <p>With {@link #startDhcp} (on an interface built with {@link InterfaceConfig#unassigned()}) the stack gets its
 * address from a DHCP server: the poll drives the client too.
 */
public final class NetworkStack implements AutoCloseable
{
    private final Interface iface;
    private final UdpSockets udp;
    private final UnclaimedArrivals unclaimed = new UnclaimedArrivals();
    private DhcpClient dhcp;

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
        // the DHCP client's timers first, so what they send leaves in this poll's egress
        final boolean dhcpWorked = dhcp != null && dhcp.poll(nowNs);
        return iface.poll(nowNs) | dhcpWorked;
    }

    /** When the next poll is due if no frame arrives; see {@link Interface#pollAtNs(long)}. */
    public long pollAtNs(final long nowNs)
    {
        final long at = iface.pollAtNs(nowNs);
        return dhcp == null ? at : Deadline.earliest(at, dhcp.pollAtNs(nowNs));
    }

    /**
     * Starts a DHCP client (RFC 2131) on UDP port 68 that assigns the interface's address when it gets a lease; it
     * sends its first DISCOVER at the next poll.
     *
     * @throws IllegalStateException when one is running already, or port 68 is taken.
     */
    public DhcpClient startDhcp(final DhcpConfig config, final DhcpListener listener)
    {
        if (dhcp != null)
        {
            throw new IllegalStateException("DHCP client already started");
        }
        dhcp = new DhcpClient(iface, udp, config, listener);
        return dhcp;
    }

    /** The DHCP client, or null when the address is static. */
    public DhcpClient dhcp()
    {
        return dhcp;
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
