package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps copies of every datagram, for scripted tests (allocates; not for the allocation test). */
final class Capture implements DatagramSink
{
    final List<UnsafeBuffer> datagrams = new ArrayList<>();
    boolean refuse;

    @Override
    public boolean send(final DirectBuffer buf, final int offset, final int length)
    {
        if (refuse)
        {
            return false;
        }
        final byte[] copy = new byte[length];
        buf.getBytes(offset, copy);
        datagrams.add(new UnsafeBuffer(copy));
        return true;
    }

    int type(final int i)
    {
        return datagrams.get(i).getByte(3);
    }

    long totalBytes()
    {
        long n = 0;
        for (final UnsafeBuffer b : datagrams)
        {
            n += b.capacity();
        }
        return n;
    }

    UnsafeBuffer last()
    {
        return datagrams.get(datagrams.size() - 1);
    }

    /** Feeds every captured datagram to {@code to} and forgets them. */
    void deliverAll(final ReliableUdpChannel to, final long nowNs, final MessageHandler handler)
    {
        for (final UnsafeBuffer b : datagrams)
        {
            to.onDatagram(b, 0, b.capacity(), nowNs, handler);
        }
        datagrams.clear();
    }
}
