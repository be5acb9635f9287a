package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * One direction of a simulated link for {@link TcpSimulationTest}: an {@link Ipv4Sender} whose datagrams arrive at
 * the other protocol after a propagation delay plus serialisation at a fixed rate, through a drop-tail queue, with
 * seeded loss, duplication and reordering (extra delay for some datagrams).
 */
final class SimLink implements Ipv4Sender
{
    static final class InFlight implements Comparable<InFlight>
    {
        long atNs;
        long order;
        byte[] bytes;
        int length;
        int src;
        int dst;

        @Override
        public int compareTo(final InFlight o)
        {
            final int c = Long.compare(atNs, o.atNs);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final int source;
    private final int mtu;
    private final Random random;
    private final double loss;
    private final double duplicate;
    private final double reorder;
    private final long delayNs;
    private final long nsPerByte100;
    private final int queueLimitBytes;
    private final UnsafeBuffer claimBuffer = new UnsafeBuffer(new byte[70_000]);
    final PriorityQueue<InFlight> inFlight = new PriorityQueue<>();
    private long linkFreeAtNs;
    private long order;
    private int claimedDst;
    private int claimedLength;
    long nowNs;
    long sent;
    long dropped;

    /**
     * @param bitsPerSecond link rate; the queue holds {@code queueLimitBytes} beyond what is on the wire.
     */
    SimLink(final int source, final int mtu, final long seed, final double loss, final double duplicate,
        final double reorder, final long delayNs, final long bitsPerSecond, final int queueLimitBytes)
    {
        this.source = source;
        this.mtu = mtu;
        this.random = new Random(seed);
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
        this.delayNs = delayNs;
        this.nsPerByte100 = 800_000_000_000L / bitsPerSecond; // ns per byte, times 100
        this.queueLimitBytes = queueLimitBytes;
    }

    @Override
    public MutableDirectBuffer claim(final int dstAddr, final int protocol, final int payloadLength,
        final boolean dontFragment)
    {
        if (payloadLength > mtu - 20)
        {
            throw new IllegalStateException("segment of " + payloadLength + " bytes above the MTU");
        }
        claimedDst = dstAddr;
        claimedLength = payloadLength;
        return claimBuffer;
    }

    @Override
    public int payloadOffset()
    {
        return 0;
    }

    @Override
    public void commit()
    {
        sent++;
        final long serialNs = (claimedLength + 38) * nsPerByte100 / 100;
        final long start = Math.max(nowNs, linkFreeAtNs);
        // Drop-tail: the backlog waiting for the wire is bounded.
        if ((start - nowNs) / Math.max(1, nsPerByte100 / 100) > queueLimitBytes)
        {
            dropped++;
            return;
        }
        linkFreeAtNs = start + serialNs;
        if (random.nextDouble() < loss)
        {
            dropped++;
            return;
        }
        long at = linkFreeAtNs + delayNs;
        if (random.nextDouble() < reorder)
        {
            at += 1 + random.nextInt((int)Math.max(1, delayNs));
        }
        enqueue(at);
        if (random.nextDouble() < duplicate)
        {
            enqueue(at + 1 + random.nextInt(100_000));
        }
    }

    private void enqueue(final long at)
    {
        final InFlight f = new InFlight();
        f.atNs = at;
        f.order = order++;
        f.bytes = new byte[claimedLength];
        claimBuffer.getBytes(0, f.bytes);
        f.length = claimedLength;
        f.src = source;
        f.dst = claimedDst;
        inFlight.add(f);
    }

    @Override
    public void abort()
    {
    }

    @Override
    public Refusal lastRefusal()
    {
        return Refusal.NONE;
    }

    @Override
    public int sourceAddress()
    {
        return source;
    }

    @Override
    public int mtu()
    {
        return mtu;
    }
}
