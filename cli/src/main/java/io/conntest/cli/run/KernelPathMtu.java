package io.conntest.cli.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.PathMtuControl;
import io.conntest.tap.libc.PathMtuCalls;

/**
 * Path MTU probing on the {@code kernel} transport: {@code IP_PMTUDISC_PROBE} and {@code IP_MTU} through jnr-ffi (the
 * tap module's {@link PathMtuCalls}) on the descriptors of the JDK's channels ({@link ChannelDescriptors}). Where
 * those are out of reach the transport cannot probe, and a {@code ?pmtu} test says so.
 */
final class KernelPathMtu implements PathMtuControl
{
    private final ChannelDescriptors descriptors;
    private final PathMtuCalls calls;

    private KernelPathMtu(final ChannelDescriptors descriptors, final PathMtuCalls calls)
    {
        this.descriptors = descriptors;
        this.calls = calls;
    }

    /** Gives {@code transport} path MTU probing when the platform allows it; returns the transport. */
    static KernelTransport attachTo(final KernelTransport transport)
    {
        final ChannelDescriptors descriptors = ChannelDescriptors.available();
        if (descriptors == null)
        {
            return transport;
        }
        try
        {
            return transport.pathMtuControl(new KernelPathMtu(descriptors, new PathMtuCalls()));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return transport;
        }
    }

    @Override
    public boolean probeMode(final DatagramChannel channel)
    {
        final int fd = descriptors.of(channel);
        return fd >= 0 && calls.probeMode(fd);
    }

    @Override
    public int routeMtu(final int dstAddr, final int dstPort)
    {
        // a connected UDP socket is the one way to ask for a destination's path MTU; connecting sends nothing
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET))
        {
            channel.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte)(dstAddr >>> 24),
                (byte)(dstAddr >>> 16), (byte)(dstAddr >>> 8), (byte)dstAddr}), dstPort));
            final int fd = descriptors.of(channel);
            final int mtu = fd < 0 ? 0 : calls.pathMtu(fd);
            return Math.max(0, mtu);
        }
        catch (final IOException ex)
        {
            return 0; // no route to it, for instance
        }
    }
}
