package io.conntest.core.transport;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;

import io.conntest.core.protocol.FrameHeader;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultCounters;
import io.conntest.stack.phy.FaultPipeline;

/**
 * What an {@link InMemoryNetwork} does to each UDP datagram: seeded random drop / duplicate / reorder
 * percentages, applied by the stack's one seeded impairment engine ({@link FaultPipeline}, one per connection,
 * each seeded from this link's seed in the order the connections open), plus scripted drops of the n-th datagram
 * a host sends and of a chosen conntest frame (for tests that expect exact counters), which stay here.
 */
public final class LinkFaults
{
    /** How long a reordered datagram is held back at most when no later one overtakes it: one harness step. */
    private static final long REORDER_MAX_HOLD_NS = 1_000_000L;

    private final SplittableRandom seeds;
    private final FaultConfig config;
    private final FaultCounters counters = new FaultCounters();
    private final Map<String, Set<Long>> scriptedDrops = new HashMap<>();
    private final Map<String, long[]> sentByHost = new HashMap<>();
    private final Map<String, int[]> framesToDrop = new HashMap<>();
    private long scriptedDropped;

    private LinkFaults(final long seed, final int dropPercent, final int duplicatePercent, final int reorderPercent)
    {
        this.seeds = new SplittableRandom(seed);
        FaultConfig faults = FaultConfig.none().drop(dropPercent / 100.0).duplicate(duplicatePercent / 100.0);
        if (reorderPercent > 0)
        {
            // held back until the next datagram of the same sender went out, as a late datagram would be
            faults = faults.reorder(reorderPercent / 100.0, 1, REORDER_MAX_HOLD_NS);
        }
        this.config = faults;
    }

    public static LinkFaults none()
    {
        return new LinkFaults(0, 0, 0, 0);
    }

    public static LinkFaults random(final long seed, final int dropPercent, final int duplicatePercent,
        final int reorderPercent)
    {
        return new LinkFaults(seed, dropPercent, duplicatePercent, reorderPercent);
    }

    /** Drops the datagrams with these 0-based indexes among those {@code host} sends. */
    public LinkFaults dropping(final String host, final long... indexes)
    {
        final Set<Long> set = scriptedDrops.computeIfAbsent(host, h -> new HashSet<>());
        for (final long index : indexes)
        {
            set.add(index);
        }
        return this;
    }

    /**
     * Drops the {@code occurrence}-th (1-based) datagram from {@code host} that carries a conntest frame of
     * {@code frameType} (found by its magic within the first 64 bytes), whatever the datagrams around it are.
     */
    public LinkFaults droppingFrame(final String host, final int frameType, final int occurrence)
    {
        framesToDrop.put(host, new int[] { frameType, occurrence });
        return this;
    }

    /**
     * The random impairments of one connection's outgoing datagrams, null when there are none (datagrams then go
     * straight to the peer).
     */
    FaultPipeline newPipeline(final int maxDatagramBytes)
    {
        return config.isNone() ? null : new FaultPipeline(config, maxDatagramBytes, seeds.nextLong(), counters);
    }

    /** Counts one datagram {@code fromHost} sends; true when a scripted drop takes it. */
    boolean dropsScripted(final String fromHost, final DirectBuffer buffer, final int offset, final int length)
    {
        final long[] counter = sentByHost.computeIfAbsent(fromHost, h -> new long[1]);
        final long index = counter[0]++;
        final int[] frame = framesToDrop.get(fromHost);
        if (frame != null && frame[1] > 0 && carriesFrame(buffer, offset, length, frame[0]) && --frame[1] == 0)
        {
            scriptedDropped++;
            return true;
        }
        final Set<Long> drops = scriptedDrops.get(fromHost);
        if (drops != null && drops.contains(index))
        {
            scriptedDropped++;
            return true;
        }
        return false;
    }

    private static boolean carriesFrame(final DirectBuffer buffer, final int offset, final int length, final int type)
    {
        final int limit = Math.min(length - FrameHeader.LENGTH, 64);
        for (int i = 0; i <= limit; i++)
        {
            if (buffer.getInt(offset + i, ByteOrder.BIG_ENDIAN) == FrameHeader.MAGIC)
            {
                return (buffer.getByte(offset + i + FrameHeader.TYPE_OFFSET) & 0xFF) == type;
            }
        }
        return false;
    }

    /** Datagrams {@code host} has sent so far. */
    public long sent(final String host)
    {
        final long[] counter = sentByHost.get(host);
        return counter == null ? 0 : counter[0];
    }

    /** Datagrams dropped, scripted or at random (a full fault queue included). */
    public long dropped()
    {
        return scriptedDropped + counters.dropped() + counters.queueDrops();
    }

    public long duplicated()
    {
        return counters.duplicated();
    }

    public long reordered()
    {
        return counters.reordered();
    }
}
