package io.conntest.core.transport;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;

import io.conntest.core.protocol.FrameHeader;

/**
 * What an {@link InMemoryNetwork} does to each UDP datagram: seeded random drop / duplicate / reorder
 * percentages, plus scripted drops of the n-th datagram a host sends (for tests that expect exact counters).
 */
public final class LinkFaults
{
    /** The fate of one datagram. */
    public enum Action
    {
        DELIVER,
        DROP,
        DUPLICATE,
        /** Held back and delivered after the next datagram of the same sender. */
        REORDER
    }

    private final SplittableRandom random;
    private final int dropPercent;
    private final int duplicatePercent;
    private final int reorderPercent;
    private final Map<String, Set<Long>> scriptedDrops = new HashMap<>();
    private final Map<String, long[]> sentByHost = new HashMap<>();
    private final Map<String, int[]> framesToDrop = new HashMap<>();
    private long dropped;
    private long duplicated;
    private long reordered;

    private LinkFaults(final long seed, final int dropPercent, final int duplicatePercent, final int reorderPercent)
    {
        this.random = new SplittableRandom(seed);
        this.dropPercent = dropPercent;
        this.duplicatePercent = duplicatePercent;
        this.reorderPercent = reorderPercent;
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

    /** Decides one datagram's fate; counts it. */
    Action decide(final String fromHost, final DirectBuffer buffer, final int offset, final int length)
    {
        final long[] counter = sentByHost.computeIfAbsent(fromHost, h -> new long[1]);
        final long index = counter[0]++;
        final int[] frame = framesToDrop.get(fromHost);
        if (frame != null && frame[1] > 0 && carriesFrame(buffer, offset, length, frame[0]) && --frame[1] == 0)
        {
            dropped++;
            return Action.DROP;
        }
        final Set<Long> drops = scriptedDrops.get(fromHost);
        if (drops != null && drops.contains(index))
        {
            dropped++;
            return Action.DROP;
        }
        if (dropPercent > 0 && random.nextInt(100) < dropPercent)
        {
            dropped++;
            return Action.DROP;
        }
        if (duplicatePercent > 0 && random.nextInt(100) < duplicatePercent)
        {
            duplicated++;
            return Action.DUPLICATE;
        }
        if (reorderPercent > 0 && random.nextInt(100) < reorderPercent)
        {
            reordered++;
            return Action.REORDER;
        }
        return Action.DELIVER;
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

    public long dropped()
    {
        return dropped;
    }

    public long duplicated()
    {
        return duplicated;
    }

    public long reordered()
    {
        return reordered;
    }
}
