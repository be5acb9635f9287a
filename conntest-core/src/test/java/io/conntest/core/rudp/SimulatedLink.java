package io.conntest.core.rudp;

import io.conntest.stack.testing.ManualClock;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Random;

/**
 * One direction of a simulated UDP path for tests: seeded loss (of everything, DATA only or ACKs only), duplication,
 * reordering (extra delay), a base delay, scripted drops of chosen DATA sequence numbers, and a bounded queue (a full
 * queue makes {@link #send} return false, i.e. "would block"). Slots are allocated the first time the queue gets that
 * deep (free slots are reused last-in first-out), so nothing is allocated per datagram in steady state.
 */
final class SimulatedLink implements DatagramSink
{
    enum LossFilter
    {
        ALL, DATA_ONLY, ACKS_ONLY
    }

    private final ManualClock clock;
    private final Random random;
    private final int capacity;
    private final int slotSize;
    private final UnsafeBuffer[] slots;
    private final int[] lengths;
    private final int[] freeSlots;
    private int freeCount;
    // min-heap of (deliverAtNs, order) -> slot
    private final long[] heapAt;
    private final long[] heapOrder;
    private final int[] heapSlot;
    private int heapSize;
    private long order;

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
    /** Drops every datagram while true (a dead peer / cut cable). */
    boolean cut;

    long sent;
    long delivered;
    long droppedByLoss;
    long bytes;

    SimulatedLink(final ManualClock clock, final long seed, final int capacity, final int slotSize)
    {
        this.clock = clock;
        this.random = new Random(seed);
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.slots = new UnsafeBuffer[capacity];
        this.lengths = new int[capacity];
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        heapAt = new long[capacity];
        heapOrder = new long[capacity];
        heapSlot = new int[capacity];
    }

    SimulatedLink dropDataOnce(final long seq)
    {
        scriptedDrops[scriptedDropCount++] = seq;
        return this;
    }

    @Override
    public boolean send(final DirectBuffer buf, final int offset, final int length)
    {
        if (freeCount == 0)
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
        final boolean scriptedAckDrop = type == RudpHeader.TYPE_ACK && dropNextAcks > 0 && dropNextAcks-- > 0;
        if (cut || scriptedDrop(buf, offset, type) || scriptedAckDrop)
        {
            return true;
        }
        final boolean eligible = lossFilter == LossFilter.ALL ||
            (lossFilter == LossFilter.DATA_ONLY && type == RudpHeader.TYPE_DATA) ||
            (lossFilter == LossFilter.ACKS_ONLY && type == RudpHeader.TYPE_ACK);
        if (eligible && lossRate > 0 && random.nextDouble() < lossRate)
        {
            droppedByLoss++;
            return true;
        }
        enqueue(buf, offset, length);
        if (duplicateRate > 0 && freeCount > 0 && random.nextDouble() < duplicateRate)
        {
            enqueue(buf, offset, length);
        }
        return true;
    }

    private boolean scriptedDrop(final DirectBuffer buf, final int offset, final int type)
    {
        if (type != RudpHeader.TYPE_DATA)
        {
            return false;
        }
        final long seq = buf.getInt(offset + RudpHeader.SEQ_OFFSET, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
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

    private void enqueue(final DirectBuffer buf, final int offset, final int length)
    {
        final int slot = freeSlots[--freeCount];
        if (slots[slot] == null)
        {
            slots[slot] = new UnsafeBuffer(new byte[slotSize]); // lazily: a slot is only ever touched at queue depth
        }
        slots[slot].putBytes(0, buf, offset, length);
        lengths[slot] = length;
        long departNs = clock.nowNs();
        if (bytesPerSecond > 0)
        {
            departNs = Math.max(departNs, linkFreeAtNs) + length * 1_000_000_000L / bytesPerSecond;
            linkFreeAtNs = departNs;
        }
        long at = departNs + delayNs;
        if (reorderRate > 0 && random.nextDouble() < reorderRate)
        {
            at += 1 + (long)(random.nextDouble() * reorderDelayNs);
        }
        push(at, order++, slot);
    }

    long nextDeliveryNs()
    {
        return heapSize == 0 ? Long.MAX_VALUE : heapAt[0];
    }

    boolean isEmpty()
    {
        return heapSize == 0;
    }

    /** Hands every datagram due by now to {@code to}. @return how many. */
    int deliverDue(final ReliableUdpChannel to, final MessageHandler handler)
    {
        int count = 0;
        final long now = clock.nowNs();
        while (heapSize > 0 && heapAt[0] <= now)
        {
            final int slot = heapSlot[0];
            pop();
            delivered++;
            count++;
            to.onDatagram(slots[slot], 0, lengths[slot], now, handler);
            freeSlots[freeCount++] = slot;
        }
        return count;
    }

    private void push(final long at, final long ord, final int slot)
    {
        int i = heapSize++;
        while (i > 0)
        {
            final int parent = (i - 1) / 2;
            if (less(at, ord, heapAt[parent], heapOrder[parent]))
            {
                heapAt[i] = heapAt[parent];
                heapOrder[i] = heapOrder[parent];
                heapSlot[i] = heapSlot[parent];
                i = parent;
            }
            else
            {
                break;
            }
        }
        heapAt[i] = at;
        heapOrder[i] = ord;
        heapSlot[i] = slot;
    }

    private void pop()
    {
        final int last = --heapSize;
        final long at = heapAt[last];
        final long ord = heapOrder[last];
        final int slot = heapSlot[last];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= heapSize)
            {
                break;
            }
            if (child + 1 < heapSize && less(heapAt[child + 1], heapOrder[child + 1], heapAt[child], heapOrder[child]))
            {
                child++;
            }
            if (!less(heapAt[child], heapOrder[child], at, ord))
            {
                break;
            }
            heapAt[i] = heapAt[child];
            heapOrder[i] = heapOrder[child];
            heapSlot[i] = heapSlot[child];
            i = child;
        }
        if (heapSize > 0)
        {
            heapAt[i] = at;
            heapOrder[i] = ord;
            heapSlot[i] = slot;
        }
    }

    private static boolean less(final long at1, final long o1, final long at2, final long o2)
    {
        return at1 < at2 || (at1 == at2 && o1 < o2);
    }
}
