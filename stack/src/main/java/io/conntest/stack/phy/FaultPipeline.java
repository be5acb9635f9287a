package io.conntest.stack.phy;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The one seeded impairment engine of the project: one direction of a {@link FaultInjectingDevice}, and the
 * engine behind every simulated link of the tests (TCP segments, reliable-UDP datagrams, the in-memory
 * transport). Frames are copied into a pool of pre-allocated slots, given their faults, and released to a
 * {@link Sink} when their time (and the rate limit) allows. Single-threaded and allocation-free once built; the
 * same config, seed and input give the same output.
 */
public final class FaultPipeline
{
    /** Where released frames go: the handler of the stack (receive), the inner device (transmit), a test's peer. */
    public interface Sink
    {
        /** @return false when the frame cannot be taken now; it stays queued. */
        boolean emit(DirectBuffer buffer, int offset, int length);
    }

    private static final int ETHERNET_HEADER_LENGTH = 14;

    private final FaultConfig config;
    private final FaultCounters counters;
    private final SplittableRandom random;
    private final int slotSize;
    private final int capacity;
    private final UnsafeBuffer slots;
    private final int[] lengths;
    private final long[] releaseNs;
    private final boolean[] rateCounted;
    private final int[] freeSlots;
    private int freeCount;
    private int queuedBytes;

    /** Slots waiting for their release time, sorted by it (stable: equal times keep arrival order). */
    private final int[] order;
    private int orderCount;

    /** Slots held back to be reordered, with the number of later frames still to go out before them. */
    private final int[] held;
    private final int[] heldRemaining;
    private int heldCount;

    private final double rateBitsPerNs;
    private final double burstBits;
    private double tokenBits;
    private long lastRefillNs = Long.MIN_VALUE;

    /**
     * A pipeline of {@code config.queueFrames()} slots of {@code slotSize} bytes each, its random decisions drawn
     * from {@code seed}, counting into {@code counters}.
     */
    public FaultPipeline(final FaultConfig config, final int slotSize, final long seed, final FaultCounters counters)
    {
        this(config, slotSize, new SplittableRandom(seed), counters);
    }

    FaultPipeline(final FaultConfig config, final int slotSize, final SplittableRandom random,
        final FaultCounters counters)
    {
        this.config = config;
        this.counters = counters;
        this.random = random;
        this.slotSize = slotSize;
        this.capacity = config.queueFrames();
        this.slots = new UnsafeBuffer(ByteBuffer.allocateDirect(slotSize * capacity));
        this.lengths = new int[capacity];
        this.releaseNs = new long[capacity];
        this.rateCounted = new boolean[capacity];
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.order = new int[capacity];
        this.held = new int[capacity];
        this.heldRemaining = new int[capacity];
        this.rateBitsPerNs = config.rateBitsPerSecond() / 1e9;
        final double defaultBurst = Math.max(2.0 * slotSize * 8, config.rateBitsPerSecond() / 1000.0);
        this.burstBits = config.burstBytes() > 0 ? config.burstBytes() * 8.0 : defaultBurst;
        this.tokenBits = burstBits;
    }

    /** Number of frames waiting. */
    public int queuedFrames()
    {
        return capacity - freeCount;
    }

    /** Takes in one frame, applies drop, corrupt, duplicate, reorder and delay, and queues it. */
    public void accept(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        accept(buffer, offset, length, nowNs, true);
    }

    /**
     * As {@link #accept(DirectBuffer, int, int, long)}, but a frame with {@code mayDrop} false is exempt from the
     * random drop (no random number is drawn for it): for a caller that loses only some kinds of frame, e.g. a
     * simulation dropping data but never acknowledgements. Its other faults apply as usual.
     */
    public void accept(final DirectBuffer buffer, final int offset, final int length, final long nowNs,
        final boolean mayDrop)
    {
        counters.framesIn++;
        if (length > slotSize)
        {
            counters.oversize++;
            return;
        }
        if (mayDrop && config.dropProbability() > 0 && random.nextDouble() < config.dropProbability())
        {
            counters.dropped++;
            return;
        }
        final int slot = allocate(length);
        if (slot < 0)
        {
            return;
        }
        final int slotOffset = slot * slotSize;
        slots.putBytes(slotOffset, buffer, offset, length);
        if (config.corruptProbability() > 0 && random.nextDouble() < config.corruptProbability()
            && length > ETHERNET_HEADER_LENGTH)
        {
            // Past the Ethernet header, so the frame still reaches its addressee and a checksum has to catch it.
            final int bit = ETHERNET_HEADER_LENGTH * 8 + random.nextInt((length - ETHERNET_HEADER_LENGTH) * 8);
            final int index = slotOffset + (bit >>> 3);
            slots.putByte(index, (byte)(slots.getByte(index) ^ (1 << (bit & 7))));
            counters.corrupted++;
        }
        long releaseAtNs = nowNs;
        if (config.delayNs() > 0 || config.jitterNs() > 0)
        {
            releaseAtNs += config.delayNs();
            if (config.jitterNs() > 0)
            {
                releaseAtNs += random.nextLong(config.jitterNs() + 1);
            }
            counters.delayed++;
        }
        final boolean duplicate = config.duplicateProbability() > 0
            && random.nextDouble() < config.duplicateProbability();
        final boolean reorder = config.reorderProbability() > 0
            && random.nextDouble() < config.reorderProbability();

        releaseNs[slot] = releaseAtNs;
        if (reorder)
        {
            held[heldCount] = slot;
            heldRemaining[heldCount] = config.reorderAfterFrames();
            heldCount++;
            counters.reordered++;
        }
        else
        {
            insertOrdered(slot);
        }

        if (duplicate)
        {
            final int copy = allocate(length);
            if (copy >= 0)
            {
                slots.putBytes(copy * slotSize, slots, slotOffset, length);
                releaseNs[copy] = releaseAtNs;
                insertOrdered(copy);
                counters.duplicated++;
            }
        }
    }

    /**
     * Releases the frames whose time has come, up to {@code maxFrames}, while the rate limit and the sink allow.
     *
     * @return the number of frames released.
     */
    public int release(final long nowNs, final Sink sink, final int maxFrames)
    {
        refillTokens(nowNs);
        int released = 0;
        while (released < maxFrames)
        {
            final int heldIndex = firstEligibleHeld(nowNs);
            final int slot;
            if (heldIndex >= 0)
            {
                slot = held[heldIndex];
            }
            else if (orderCount > 0 && releaseNs[order[0]] <= nowNs)
            {
                slot = order[0];
            }
            else
            {
                break;
            }
            final int length = lengths[slot];
            if (rateBitsPerNs > 0 && tokenBits < length * 8.0)
            {
                if (!rateCounted[slot])
                {
                    rateCounted[slot] = true;
                    counters.rateLimited++;
                }
                break;
            }
            if (!sink.emit(slots, slot * slotSize, length))
            {
                break;
            }
            if (rateBitsPerNs > 0)
            {
                tokenBits -= length * 8.0;
            }
            if (heldIndex >= 0)
            {
                removeHeld(heldIndex);
            }
            else
            {
                orderCount--;
                System.arraycopy(order, 1, order, 0, orderCount);
                for (int i = 0; i < heldCount; i++)
                {
                    if (heldRemaining[i] > 0)
                    {
                        heldRemaining[i]--;
                    }
                }
            }
            free(slot);
            counters.framesOut++;
            counters.bytesOut += length;
            released++;
        }
        return released;
    }

    /** When the next queued frame may leave, {@link Long#MAX_VALUE} when none waits. May be in the past. */
    public long nextDeadlineNs(final long nowNs)
    {
        long deadline = Long.MAX_VALUE;
        int nextLength = 0;
        if (orderCount > 0)
        {
            deadline = releaseNs[order[0]];
            nextLength = lengths[order[0]];
        }
        for (int i = 0; i < heldCount; i++)
        {
            final int slot = held[i];
            final long at = heldRemaining[i] == 0 ? releaseNs[slot] : releaseNs[slot] + config.reorderMaxHoldNs();
            if (at < deadline)
            {
                deadline = at;
                nextLength = lengths[slot];
            }
        }
        if (deadline != Long.MAX_VALUE && deadline <= nowNs && rateBitsPerNs > 0)
        {
            refillTokens(nowNs);
            final double missingBits = nextLength * 8.0 - tokenBits;
            if (missingBits > 0)
            {
                deadline = nowNs + 1 + (long)Math.ceil(missingBits / rateBitsPerNs);
            }
        }
        return deadline;
    }

    private int firstEligibleHeld(final long nowNs)
    {
        for (int i = 0; i < heldCount; i++)
        {
            final long at = releaseNs[held[i]];
            if (at <= nowNs && (heldRemaining[i] == 0 || nowNs - at >= config.reorderMaxHoldNs()))
            {
                return i;
            }
        }
        return -1;
    }

    private void removeHeld(final int index)
    {
        final int tail = heldCount - index - 1;
        System.arraycopy(held, index + 1, held, index, tail);
        System.arraycopy(heldRemaining, index + 1, heldRemaining, index, tail);
        heldCount--;
    }

    private void insertOrdered(final int slot)
    {
        int i = orderCount;
        final long at = releaseNs[slot];
        while (i > 0 && releaseNs[order[i - 1]] > at)
        {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = slot;
        orderCount++;
    }

    private int allocate(final int length)
    {
        if (freeCount == 0 || queuedBytes + length > config.queueBytes())
        {
            counters.queueDrops++;
            return -1;
        }
        final int slot = freeSlots[--freeCount];
        lengths[slot] = length;
        rateCounted[slot] = false;
        queuedBytes += length;
        return slot;
    }

    private void free(final int slot)
    {
        queuedBytes -= lengths[slot];
        freeSlots[freeCount++] = slot;
    }

    private void refillTokens(final long nowNs)
    {
        if (rateBitsPerNs <= 0)
        {
            return;
        }
        if (lastRefillNs != Long.MIN_VALUE && nowNs > lastRefillNs)
        {
            tokenBits = Math.min(burstBits, tokenBits + (nowNs - lastRefillNs) * rateBitsPerNs);
        }
        lastRefillNs = nowNs;
    }
}
