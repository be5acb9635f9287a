package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/** A test {@link Ipv4Sender} that records every committed datagram's transport bytes. */
final class RecordingSender implements Ipv4Sender
{
    /** One datagram as sent. */
    static final class Datagram
    {
        final int dstAddr;
        final byte[] bytes;

        Datagram(final int dstAddr, final byte[] bytes)
        {
            this.dstAddr = dstAddr;
            this.bytes = bytes;
        }
    }

    private final int sourceAddress;
    private final int mtu;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[70_000]);
    final ArrayDeque<Datagram> sent = new ArrayDeque<>();
    private int claimedDst;
    private int claimedLength;
    /** When > 0, claims are refused after this many more commits. */
    int refuseAfter = -1;
    Refusal refusal = Refusal.DEVICE_BUSY;
    private Refusal lastRefusal = Refusal.NONE;

    RecordingSender(final int sourceAddress, final int mtu)
    {
        this.sourceAddress = sourceAddress;
        this.mtu = mtu;
    }

    @Override
    public MutableDirectBuffer claim(final int dstAddr, final int protocol, final int payloadLength,
        final boolean dontFragment)
    {
        if (refuseAfter == 0)
        {
            lastRefusal = refusal;
            return null;
        }
        if (payloadLength > mtu - 20)
        {
            lastRefusal = Refusal.TOO_BIG;
            return null;
        }
        claimedDst = dstAddr;
        claimedLength = payloadLength;
        return buffer;
    }

    @Override
    public int payloadOffset()
    {
        return 34;
    }

    @Override
    public void commit()
    {
        final byte[] bytes = new byte[claimedLength];
        buffer.getBytes(34, bytes);
        sent.add(new Datagram(claimedDst, bytes));
        if (refuseAfter > 0)
        {
            refuseAfter--;
        }
    }

    @Override
    public void abort()
    {
    }

    @Override
    public Refusal lastRefusal()
    {
        return lastRefusal;
    }

    @Override
    public int sourceAddress()
    {
        return sourceAddress;
    }

    @Override
    public int mtu()
    {
        return mtu;
    }
}
