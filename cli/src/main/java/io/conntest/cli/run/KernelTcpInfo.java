package io.conntest.cli.run;

import java.nio.channels.SocketChannel;

import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TcpInfoSource;
import io.conntest.tap.libc.TcpInfoReader;

/**
 * The {@code kernel} transport's TCP figures from the kernel itself: {@code getsockopt(TCP_INFO)} through jnr-ffi
 * (the tap module's {@link TcpInfoReader}) on the file descriptor of the connection's {@link SocketChannel}
 * ({@link ChannelDescriptors}). Where the descriptor or the native library is out of reach, {@link #attachTo}
 * leaves the transport without a source and the figures stay unknown.
 */
public final class KernelTcpInfo implements TcpInfoSource
{
    private final ChannelDescriptors descriptors;
    private final TcpInfoReader reader;

    private KernelTcpInfo(final ChannelDescriptors descriptors, final TcpInfoReader reader)
    {
        this.descriptors = descriptors;
        this.reader = reader;
    }

    /** Gives {@code transport} this source when the platform allows it; returns the transport. */
    public static KernelTransport attachTo(final KernelTransport transport)
    {
        final ChannelDescriptors descriptors = ChannelDescriptors.available();
        if (descriptors == null)
        {
            return transport;
        }
        try
        {
            return transport.tcpInfo(new KernelTcpInfo(descriptors, new TcpInfoReader()));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return transport;
        }
    }

    @Override
    public boolean read(final SocketChannel channel, final TcpInfo out)
    {
        final int fd = descriptors.of(channel);
        if (fd < 0 || !reader.read(fd))
        {
            return false;
        }
        out.srttNs = reader.rttUs() * 1_000L;
        out.rttVarNs = reader.rttVarUs() * 1_000L;
        out.cwndBytes = reader.sendCwndSegments() * reader.sendMss();
        out.retransmissions = reader.totalRetransmissions();
        out.pmtuBytes = reader.pmtu();
        return true;
    }
}
