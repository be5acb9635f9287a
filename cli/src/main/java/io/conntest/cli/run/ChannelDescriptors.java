package io.conntest.cli.run;

import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/**
 * The file descriptor behind a JDK socket channel, for the system calls the JDK does not offer ({@code TCP_INFO},
 * {@code UDP_SEGMENT}/{@code UDP_GRO}). The JDK has no public way to it: it is read through
 * {@code sun.nio.ch.SelChImpl.getFDVal()}, which the runnable jar's manifest exports to conntest
 * ({@code Add-Exports: java.base/sun.nio.ch}; tests: the same flag on the command line).
 */
final class ChannelDescriptors
{
    private final Method fdOf;

    private ChannelDescriptors(final Method fdOf)
    {
        this.fdOf = fdOf;
    }

    /** The lookup, or null where {@code sun.nio.ch} is not exported to conntest. */
    static ChannelDescriptors available()
    {
        try
        {
            final Method fdOf = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            try (SocketChannel probe = SocketChannel.open())
            {
                fdOf.invoke(probe); // fails here, once, when sun.nio.ch is not exported to us
            }
            return new ChannelDescriptors(fdOf);
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError | java.io.IOException ex)
        {
            return null;
        }
    }

    /** The channel's descriptor, or -1. */
    int of(final Channel channel)
    {
        try
        {
            return (Integer)fdOf.invoke(channel);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return -1;
        }
    }
}
