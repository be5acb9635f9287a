package io.conntest.cli.run;

import java.nio.channels.DatagramChannel;

import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.UdpSegmentation;
import io.conntest.tap.libc.Native;
import io.conntest.tap.libc.UdpSegmentCalls;

/**
 * The {@code kernel} transport's reliable UDP with many datagrams per system call: {@code sendmsg} with
 * {@code UDP_SEGMENT} and {@code recvmsg} with {@code UDP_GRO} through jnr-ffi (the tap module's
 * {@link UdpSegmentCalls}) on the descriptor of the JDK's channel ({@link ChannelDescriptors}). Where either is out
 * of reach, or {@code --offload none} asks for the plain position, {@link #attachTo} leaves the transport plain.
 */
public final class KernelUdpSegmentation implements UdpSegmentation
{
    private final ChannelDescriptors descriptors;
    private final UdpSegmentCalls calls;

    private KernelUdpSegmentation(final ChannelDescriptors descriptors, final UdpSegmentCalls calls)
    {
        this.descriptors = descriptors;
        this.calls = calls;
    }

    /** Gives {@code transport} segmentation when the platform allows it; returns the transport. */
    public static KernelTransport attachTo(final KernelTransport transport)
    {
        final ChannelDescriptors descriptors = ChannelDescriptors.available();
        if (descriptors == null)
        {
            return transport;
        }
        try
        {
            return transport.udpSegmentation(new KernelUdpSegmentation(descriptors, new UdpSegmentCalls()));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return transport;
        }
    }

    @Override
    public int attach(final DatagramChannel channel)
    {
        final int fd = descriptors.of(channel);
        return fd >= 0 && calls.enable(fd) ? fd : -1;
    }

    @Override
    public int maxSegments()
    {
        return UdpSegmentCalls.MAX_SEGMENTS;
    }

    @Override
    public long send(final int fd, final long address, final int length, final int segmentSize, final int dstAddress,
        final int dstPort)
    {
        return calls.send(fd, address, length, segmentSize, dstAddress, dstPort);
    }

    @Override
    public long receive(final int fd, final long address, final int capacity)
    {
        return calls.receive(fd, address, capacity);
    }

    @Override
    public int segmentSize()
    {
        return calls.segmentSize();
    }

    @Override
    public int sourceAddress()
    {
        return calls.sourceAddress();
    }

    @Override
    public int sourcePort()
    {
        return calls.sourcePort();
    }

    @Override
    public int ttl()
    {
        return calls.ttl();
    }

    @Override
    public int tos()
    {
        return calls.tos();
    }

    @Override
    public String describe(final int errno)
    {
        return Native.strerror(errno);
    }
}
