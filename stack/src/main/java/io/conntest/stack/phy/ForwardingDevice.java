package io.conntest.stack.phy;

import org.agrona.MutableDirectBuffer;


/**
 * A frame device that hands every call to another: the base of the decorators (pcap, tracing, faults), which override
 * only the calls they watch or change, and of test devices.
 */
public abstract class ForwardingDevice implements FrameDevice
{
    protected final FrameDevice inner;

    protected ForwardingDevice(final FrameDevice inner)
    {
        this.inner = inner;
    }

    @Override
    public int mtu()
    {
        return inner.mtu();
    }

    @Override
    public int receive(final FrameHandler handler, final int maxFrames)
    {
        return inner.receive(handler, maxFrames);
    }

    @Override
    public MutableDirectBuffer claim(final int maxLength)
    {
        return inner.claim(maxLength);
    }

    @Override
    public void commit(final int length)
    {
        inner.commit(length);
    }

    @Override
    public void commit(final int length, final FrameMetadata metadata)
    {
        inner.commit(length, metadata);
    }

    @Override
    public int offloads()
    {
        return inner.offloads();
    }

    @Override
    public void abort()
    {
        inner.abort();
    }

    @Override
    public void awaitReceive(final long timeoutNs)
    {
        inner.awaitReceive(timeoutNs);
    }

    @Override
    public boolean canWakeUp()
    {
        return inner.canWakeUp();
    }

    @Override
    public void wakeup()
    {
        inner.wakeup();
    }

    @Override
    public String linkWarning()
    {
        return inner.linkWarning();
    }

    @Override
    public void close()
    {
        inner.close();
    }
}
