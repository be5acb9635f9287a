package io.conntest.core.rudp;

import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultCounters;
import io.conntest.stack.phy.FaultPipeline;
import io.conntest.stack.testing.ManualClock;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * One direction of a simulated UDP path for tests. Its random impairments go through the stack's one seeded
 * impairment engine, {@link FaultPipeline}: seeded loss (of everything, DATA only or ACKs only), duplication,
 * reordering (a datagram held back {@link #reorderDelayNs} while later ones overtake it), a base delay and a
 * bounded queue (a full queue makes {@link #send} return false, i.e. "would block"). The deterministic
 * serialisation (each datagram leaves length / rate after the previous one) and the scripted faults stay here:
 * drops of chosen DATA sequence numbers, of the next ACKs or HANDSHAKE_REPLYs, and a cut cable. The fields
 * configure the link before its first datagram (the pipeline is built then); slots are pre-allocated, so nothing
 * is allocated per datagram.
 */
final class SimulatedLink implements DatagramSink
{
    enum LossFilter
    {
        ALL, DATA_ONLY, ACKS_ONLY
    }

    private final ManualClock clock;
    private final long seed;
    private final int capacity;
    private final int slotSize;
    private final FaultCounters counters = new FaultCounters();
    private final Delivery delivery = new Delivery();
    private FaultPipeline pipeline;

    double lossRate;
    LossFilter lossFilter = LossFilter.ALL;
    double duplicateRate;
    double reorderRate;
    long delayNs = 1_000_000L;
    /** Serialization rate: a datagram occupies the link for length / rate; 0 = infinitely fast. Default 1 Gbit/s. */
    long bytesPerSecond = 125_000_000L;
    private long linkFreeAtNs;
    long reorderDelayNs = 3_000_000L;
    /** DATA sequence numbers whose first transmission is dropped. */
    private final long[] scriptedDrops = new long[16];
    private int scriptedDropCount;
    /** Sees a copy of every datagram sent (for tests that tamper with real traffic); null for none. */
    DatagramSink tap;
    /** The next this many ACK datagrams are dropped. */
    int dropNextAcks;
    /** The next this many HANDSHAKE_REPLY datagrams are dropped. */
    int dropNextReplies;
    /** Drops every datagram while true (a dead peer / cut cable). */
    boolean cut;

    long sent;
    long delivered;
    long bytes;

    SimulatedLink(final ManualClock clock, final long seed, final int capacity, final int slotSize)
    {
        this.clock = clock;
        this.seed = seed;
        this.capacity = capacity;
        this.slotSize = slotSize;
    }

    SimulatedLink dropDataOnce(final long seq)
    {
        scriptedDrops[scriptedDropCount++] = seq;
        return this;
    }

    /** Datagrams lost at random (the scripted drops not included). */
    long droppedByLoss()
    {
        return counters.dropped();
    }

    @Override
    public boolean send(final DirectBuffer buf, final int offset, final int length)
    {
        final FaultPipeline faults = pipeline();
        if (faults.queuedFrames() >= capacity)
        {
            return false;
        }
        sent++;
        bytes += length;
        if (tap != null)
        {
            tap.send(buf, offset, length);
        }
        final int type = buf.getByte(offset + 3);
        final boolean scriptedAckDrop = (type == RudpHeader.TYPE_ACK && dropNextAcks > 0 && dropNextAcks-- > 0) ||
            (type == RudpHeader.TYPE_HANDSHAKE_REPLY && dropNextReplies > 0 && dropNextReplies-- > 0);
        if (cut || scriptedDrop(buf, offset, type) || scriptedAckDrop)
        {
            return true;
        }
        final boolean mayDrop = lossFilter == LossFilter.ALL ||
            (lossFilter == LossFilter.DATA_ONLY && type == RudpHeader.TYPE_DATA) ||
            (lossFilter == LossFilter.ACKS_ONLY && type == RudpHeader.TYPE_ACK);
        // Serialisation is deterministic, so it stays here: the datagram leaves when the link is free and has
        // carried it; the pipeline adds the delay and the random faults from there.
        long departNs = clock.nowNs();
        if (bytesPerSecond > 0)
        {
            departNs = Math.max(departNs, linkFreeAtNs) + length * 1_000_000_000L / bytesPerSecond;
            linkFreeAtNs = departNs;
        }
        faults.accept(buf, offset, length, departNs, mayDrop);
        return true;
    }

    private FaultPipeline pipeline()
    {
        if (pipeline == null)
        {
            FaultConfig config = FaultConfig.none()
                .drop(lossRate)
                .duplicate(duplicateRate)
                .delayNs(delayNs, 0)
                .queue(capacity, capacity * slotSize);
            if (reorderRate > 0)
            {
                config = config.reorder(reorderRate, Integer.MAX_VALUE, Math.max(1, reorderDelayNs));
            }
            pipeline = new FaultPipeline(config, slotSize, seed, counters);
        }
        return pipeline;
    }

    private boolean scriptedDrop(final DirectBuffer buf, final int offset, final int type)
    {
        if (type != RudpHeader.TYPE_DATA)
        {
            return false;
        }
        final long seq = buf.getInt(offset + RudpHeader.SEQ_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        for (int i = 0; i < scriptedDropCount; i++)
        {
            if (scriptedDrops[i] == seq)
            {
                scriptedDrops[i] = scriptedDrops[--scriptedDropCount];
                return true;
            }
        }
        return false;
    }

    long nextDeliveryNs()
    {
        return pipeline == null ? Long.MAX_VALUE : pipeline.nextDeadlineNs(clock.nowNs());
    }

    boolean isEmpty()
    {
        return pipeline == null || pipeline.queuedFrames() == 0;
    }

    /** Hands every datagram due by now to {@code to}. @return how many. */
    int deliverDue(final ReliableUdpChannel to, final MessageHandler handler)
    {
        if (pipeline == null)
        {
            return 0;
        }
        delivery.to = to;
        delivery.handler = handler;
        delivery.nowNs = clock.nowNs();
        final int count = pipeline.release(delivery.nowNs, delivery, Integer.MAX_VALUE);
        delivered += count;
        return count;
    }

    private static final class Delivery implements FaultPipeline.Sink
    {
        ReliableUdpChannel to;
        MessageHandler handler;
        long nowNs;

        @Override
        public boolean emit(final DirectBuffer buffer, final int offset, final int length)
        {
            to.onDatagram(buffer, offset, length, nowNs, handler);
            return true;
        }
    }
}
