package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultCounters;
import io.conntest.stack.phy.FaultPipeline;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One direction of a simulated link for {@link TcpSimulationTest}: an {@link Ipv4Sender} whose datagrams arrive at
 * the other protocol through the stack's seeded impairment engine, {@link FaultPipeline}: a propagation delay,
 * the link rate (a token bucket of one frame, so frames leave one serialisation time apart), a bounded queue, and
 * seeded loss, duplication and reordering (a reordered datagram is held back one extra delay).
 *
 * <p>Each datagram occupies a pipeline slot as {@value #WIRE_OVERHEAD} bytes of wire overhead (IPv4 header plus
 * Ethernet framing; its first 8 bytes carry the source and destination addresses) followed by the TCP segment, so
 * the rate limit charges what the wire would.
 */
final class SimLink implements Ipv4Sender
{
    /** IPv4 header (20) and Ethernet header, FCS, preamble and gap as counted before (18). */
    static final int WIRE_OVERHEAD = 38;

    private final int source;
    private final int mtu;
    private final UnsafeBuffer claimBuffer;
    private final FaultPipeline pipeline;
    private final FaultCounters counters = new FaultCounters();
    private final Delivery delivery = new Delivery();
    private int claimedDst;
    private int claimedLength;
    long nowNs;
    long sent;

    /**
     * @param seed          the seed of the link's random decisions.
     * @param reorder       probability that a datagram is held back {@code delayNs} more than the others (so
     *                      later ones overtake it).
     * @param bitsPerSecond link rate; the queue holds {@code queueLimitBytes} beyond what is in flight.
     */
    SimLink(final int source, final int mtu, final long seed, final double loss, final double duplicate,
        final double reorder, final long delayNs, final long bitsPerSecond, final int queueLimitBytes)
    {
        this.source = source;
        this.mtu = mtu;
        final int slotSize = WIRE_OVERHEAD + mtu - 20;
        this.claimBuffer = new UnsafeBuffer(new byte[slotSize]);
        final long inFlightBytes = delayNs * bitsPerSecond / 8_000_000_000L;
        final int queueBytes = (int)Math.min(Integer.MAX_VALUE, queueLimitBytes + inFlightBytes + slotSize);
        FaultConfig config = FaultConfig.none()
            .drop(loss)
            .duplicate(duplicate)
            .delayNs(delayNs, 0)
            .rateBitsPerSecond(bitsPerSecond, slotSize)
            .queue(4096, queueBytes);
        if (reorder > 0)
        {
            config = config.reorder(reorder, Integer.MAX_VALUE, Math.max(1, delayNs));
        }
        this.pipeline = new FaultPipeline(config, slotSize, seed, counters);
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
        return WIRE_OVERHEAD;
    }

    @Override
    public void commit()
    {
        sent++;
        claimBuffer.putInt(0, source);
        claimBuffer.putInt(4, claimedDst);
        pipeline.accept(claimBuffer, 0, WIRE_OVERHEAD + claimedLength, nowNs);
    }

    /**
     * Hands every datagram due at {@code nowNs} to {@code to}, then lets it run its delivery phase (as
     * Interface.poll does after ingress).
     *
     * @return the number of datagrams delivered.
     */
    int deliver(final TcpProtocol to, final long nowNs)
    {
        delivery.to = to;
        delivery.nowNs = nowNs;
        final int n = pipeline.release(nowNs, delivery, Integer.MAX_VALUE);
        to.deliver(nowNs);
        return n;
    }

    /** When the next datagram arrives, {@link Long#MAX_VALUE} when none is in flight. */
    long nextArrivalNs(final long nowNs)
    {
        return pipeline.nextDeadlineNs(nowNs);
    }

    /** Datagrams lost on the way: dropped at random or by the full queue. */
    long dropped()
    {
        return counters.dropped() + counters.queueDrops();
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

    private static final class Delivery implements FaultPipeline.Sink
    {
        TcpProtocol to;
        long nowNs;

        @Override
        public boolean emit(final DirectBuffer buffer, final int offset, final int length)
        {
            to.processDatagram(buffer.getInt(offset), buffer.getInt(offset + 4), buffer, offset + WIRE_OVERHEAD,
                length - WIRE_OVERHEAD, nowNs);
            return true;
        }
    }
}
