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
        /** Offloads: the checksum field holds only the pseudo-header sum; the segment size the device cuts at. */
        final boolean partialChecksum;
        final int segmentSize;

        Datagram(final int dstAddr, final byte[] bytes, final boolean partialChecksum, final int segmentSize)
        {
            this.dstAddr = dstAddr;
            this.bytes = bytes;
            this.partialChecksum = partialChecksum;
            this.segmentSize = segmentSize;
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
    /** Emulated device offloads: checksum, TCP segmentation; and whether offloaded claims are possible now. */
    boolean checksumOffload;
    boolean segmentationOffload;
    boolean offloadUnavailable;
    private boolean claimedOffloaded;
    private int claimedSegmentSize;

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
        claimedOffloaded = false;
        claimedSegmentSize = 0;
        return buffer;
    }

    @Override
    public boolean offloadsChecksum()
    {
        return checksumOffload;
    }

    @Override
    public boolean offloadsTcpSegmentation()
    {
        return segmentationOffload;
    }

    @Override
    public MutableDirectBuffer claimOffloaded(final int dstAddr, final int protocol, final int payloadLength,
        final int transportHeaderLength, final int segmentSize, final int checksumOffset)
    {
        if (!checksumOffload)
        {
            throw new UnsupportedOperationException();
        }
        if (refuseAfter == 0)
        {
            lastRefusal = refusal;
            return null;
        }
        if (offloadUnavailable)
        {
            lastRefusal = Refusal.OFFLOAD_UNAVAILABLE;
            return null;
        }
        final boolean segmented = segmentSize > 0 && payloadLength - transportHeaderLength > segmentSize;
        if (checksumOffset != 16 || payloadLength > 65_515 || (segmented ? !segmentationOffload ||
            transportHeaderLength + segmentSize > mtu - 20 : payloadLength > mtu - 20))
        {
            lastRefusal = Refusal.TOO_BIG;
            return null;
        }
        claimedDst = dstAddr;
        claimedLength = payloadLength;
        claimedOffloaded = true;
        claimedSegmentSize = segmented ? segmentSize : 0;
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
        sent.add(new Datagram(claimedDst, bytes, claimedOffloaded, claimedSegmentSize));
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
