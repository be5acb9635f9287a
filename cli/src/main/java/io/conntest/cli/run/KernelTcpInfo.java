package io.conntest.cli.run;

import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TcpInfoSource;
import io.conntest.tap.libc.TcpInfoReader;

/**
 * The {@code kernel} transport's TCP figures from the kernel itself: {@code getsockopt(TCP_INFO)} through jnr-ffi
 * (the tap module's {@link TcpInfoReader}) on the file descriptor of the connection's {@link SocketChannel}. The JDK
 * has no public way to that descriptor: it is read through {@code sun.nio.ch.SelChImpl.getFDVal()}, which the
 * runnable jar's manifest exports to conntest ({@code Add-Exports: java.base/sun.nio.ch}; tests: the same flag on
 * the command line). Where that export or the native library is missing, {@link #attachTo} leaves the transport
 * without a source and the figures stay unknown.
 */
public final class KernelTcpInfo implements TcpInfoSource
{
    private final Method fdOf;
    private final TcpInfoReader reader;

    private KernelTcpInfo(final Method fdOf, final TcpInfoReader reader)
    {
        this.fdOf = fdOf;
        this.reader = reader;
    }

    /** Gives {@code transport} this source when the platform allows it; returns the transport. */
    public static KernelTransport attachTo(final KernelTransport transport)
    {
        try
        {
            final Method fdOf = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            try (SocketChannel probe = SocketChannel.open())
            {
                fdOf.invoke(probe); // fails here, once, when sun.nio.ch is not exported to us
            }
            return transport.tcpInfo(new KernelTcpInfo(fdOf, new TcpInfoReader()));
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError | java.io.IOException ex)
        {
            return transport;
        }
    }

    @Override
    public boolean read(final SocketChannel channel, final TcpInfo out)
    {
        final int fd;
        try
        {
            fd = (Integer)fdOf.invoke(channel);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return false;
        }
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
