package io.conntest.stack.iface;

import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * IPv4 reassembly (RFC 791 §3.2, RFC 815) in a fixed number of 64 KiB slots, so its memory is bounded by
 * {@code slots × 64 KiB} whatever arrives. A datagram is keyed by (source, destination, protocol, identification).
 * Which 8-byte blocks have arrived is kept in a bitmap rather than RFC 815's hole list: the same completeness test
 * with O(1) memory per slot and an exact answer to "does this fragment overlap what we have?".
 *
 * <p>Safety rules: a fragment that exactly repeats received data is ignored (duplication is normal on real
 * links), unless its bytes differ; one that partly overlaps received data drops the whole reassembly (overlap attacks, RFC 1858 and the
 * rule of RFC 5722); fragments that disagree about where the datagram ends drop it; when every slot is busy the
 * oldest reassembly is evicted; a reassembly not finished within the timeout is dropped (RFC 1122 §3.3.2).
 */
final class Reassembler
{
    /** Result of {@link #process} when the fragment was taken but the datagram is not complete. */
    static final int INCOMPLETE = -1;
    /** Result of {@link #process} when the fragment was dropped (see the counters for why). */
    static final int DROPPED = -2;

    private static final int BITMAP_WORDS = (Ipv4Packet.MAX_LENGTH / 8 + 64) / 64;

    private final InterfaceCounters counters;
    private final long timeoutNs;
    private final int slots;
    private final UnsafeBuffer storage;
    private final UnsafeBuffer[] views;
    private final boolean[] active;
    private final int[] src;
    private final int[] dst;
    private final int[] protocol;
    private final int[] identification;
    private final long[] startedNs;
    private final int[] receivedBytes;
    /** End of the datagram's payload once the last fragment arrived, else -1. */
    private final int[] totalLength;
    /** Highest payload end seen so far. */
    private final int[] highestEnd;
    private final long[][] blocks;
    /** The header of fragment zero (length 0 until it arrives), for ICMP errors quoting the datagram. */
    private final UnsafeBuffer[] headers;
    private final int[] headerLength;

    Reassembler(final int slots, final long timeoutNs, final InterfaceCounters counters)
    {
        this.counters = counters;
        this.timeoutNs = timeoutNs;
        this.slots = slots;
        this.storage = new UnsafeBuffer(ByteBuffer.allocateDirect(slots * HeldDatagrams.SLOT_SIZE));
        this.views = new UnsafeBuffer[slots];
        this.headers = new UnsafeBuffer[slots];
        for (int i = 0; i < slots; i++)
        {
            views[i] = new UnsafeBuffer(storage, i * HeldDatagrams.SLOT_SIZE, HeldDatagrams.SLOT_SIZE);
            headers[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(Ipv4Packet.MAX_HEADER_LENGTH));
        }
        this.active = new boolean[slots];
        this.src = new int[slots];
        this.dst = new int[slots];
        this.protocol = new int[slots];
        this.identification = new int[slots];
        this.startedNs = new long[slots];
        this.receivedBytes = new int[slots];
        this.totalLength = new int[slots];
        this.highestEnd = new int[slots];
        this.blocks = new long[slots][BITMAP_WORDS];
        this.headerLength = new int[slots];
    }

    /**
     * Adds one fragment. {@code packet} is a checked-wrapped, checksum-verified fragment.
     *
     * @return the slot holding the complete datagram's payload (from offset 0, {@link #length(int)} bytes; the
     *         caller must {@link #release(int)} it after delivery), or {@link #INCOMPLETE} or {@link #DROPPED}.
     */
    int process(final Ipv4Packet packet, final long nowNs)
    {
        final int offset = packet.fragmentOffset();
        final int length = packet.payloadLength();
        final boolean more = packet.moreFragments();
        final int end = offset + length;
        if (length == 0 || (more && (length & 7) != 0) || end > Ipv4Packet.MAX_LENGTH - packet.headerLength())
        {
            counters.increment(InterfaceCounter.FRAGMENT_MALFORMED);
            return DROPPED;
        }
        counters.increment(InterfaceCounter.FRAGMENTS_RECEIVED);
        final int slot = slotFor(packet, nowNs);
        final int known = totalLength[slot];
        if ((known >= 0 && (end > known || (!more && end != known))) || (!more && highestEnd[slot] > end))
        {
            counters.increment(InterfaceCounter.REASSEMBLY_INCONSISTENT);
            release(slot);
            return DROPPED;
        }
        final int firstBlock = offset >>> 3;
        final int lastBlock = (end - 1) >>> 3;
        final int present = countPresent(blocks[slot], firstBlock, lastBlock);
        if (present == lastBlock - firstBlock + 1)
        {
            // A duplicate is harmless only if it carries the same bytes; one that disagrees means someone
            // else's fragment got in first, and either may be the forgery: drop the datagram (RFC 5722's rule).
            if (sameBytes(views[slot], offset, packet, length))
            {
                counters.increment(InterfaceCounter.FRAGMENT_DUPLICATE);
                return INCOMPLETE;
            }
            counters.increment(InterfaceCounter.REASSEMBLY_OVERLAP);
            release(slot);
            return DROPPED;
        }
        if (present != 0)
        {
            counters.increment(InterfaceCounter.REASSEMBLY_OVERLAP);
            release(slot);
            return DROPPED;
        }
        setBlocks(blocks[slot], firstBlock, lastBlock);
        views[slot].putBytes(offset, packet.buffer(), packet.payloadOffset(), length);
        receivedBytes[slot] += length;
        highestEnd[slot] = Math.max(highestEnd[slot], end);
        if (!more)
        {
            totalLength[slot] = end;
        }
        if (offset == 0)
        {
            headerLength[slot] = packet.headerLength();
            headers[slot].putBytes(0, packet.buffer(), 0, packet.headerLength());
        }
        if (totalLength[slot] >= 0 && receivedBytes[slot] == totalLength[slot])
        {
            counters.increment(InterfaceCounter.DATAGRAMS_REASSEMBLED);
            return slot;
        }
        return INCOMPLETE;
    }

    DirectBuffer payload(final int slot)
    {
        return views[slot];
    }

    int length(final int slot)
    {
        return totalLength[slot];
    }

    /** The header of fragment zero as received (MF set, total length of that fragment). */
    DirectBuffer header(final int slot)
    {
        return headers[slot];
    }

    /** Length of {@link #header(int)}, 0 when fragment zero has not arrived. */
    int headerLength(final int slot)
    {
        return headerLength[slot];
    }

    void release(final int slot)
    {
        active[slot] = false;
    }

    /**
     * Drops reassemblies that took longer than the timeout. For each whose fragment zero had arrived, calls
     * {@code onTimeout} (the interface sends ICMP time exceeded, RFC 792, RFC 1122 §3.3.2) before releasing it.
     */
    boolean onTimers(final long nowNs, final TimeoutHandler onTimeout)
    {
        boolean worked = false;
        for (int i = 0; i < slots; i++)
        {
            if (active[i] && Deadline.isDue(startedNs[i] + timeoutNs, nowNs))
            {
                counters.increment(InterfaceCounter.REASSEMBLY_TIMEOUT);
                if (headerLength[i] > 0)
                {
                    onTimeout.onReassemblyTimeout(src[i], headers[i], headerLength[i], views[i], nowNs);
                }
                release(i);
                worked = true;
            }
        }
        return worked;
    }

    long pollAtNs()
    {
        long at = Deadline.NEVER;
        for (int i = 0; i < slots; i++)
        {
            if (active[i])
            {
                at = Deadline.earliest(at, startedNs[i] + timeoutNs);
            }
        }
        return at;
    }

    int activeCount()
    {
        int n = 0;
        for (int i = 0; i < slots; i++)
        {
            n += active[i] ? 1 : 0;
        }
        return n;
    }

    /** Told when a reassembly whose first fragment arrived times out. */
    interface TimeoutHandler
    {
        void onReassemblyTimeout(int srcAddr, DirectBuffer header, int headerLength, DirectBuffer payload, long nowNs);
    }

    private int slotFor(final Ipv4Packet packet, final long nowNs)
    {
        final int s = packet.sourceAddress();
        final int d = packet.destinationAddress();
        final int p = packet.protocol();
        final int id = packet.identification();
        int free = -1;
        int oldest = -1;
        for (int i = 0; i < slots; i++)
        {
            if (active[i])
            {
                if (src[i] == s && dst[i] == d && protocol[i] == p && identification[i] == id)
                {
                    return i;
                }
                if (oldest < 0 || startedNs[i] - startedNs[oldest] < 0)
                {
                    oldest = i;
                }
            }
            else if (free < 0)
            {
                free = i;
            }
        }
        int slot = free;
        if (slot < 0)
        {
            counters.increment(InterfaceCounter.REASSEMBLY_OVERFLOW);
            slot = oldest;
        }
        active[slot] = true;
        src[slot] = s;
        dst[slot] = d;
        protocol[slot] = p;
        identification[slot] = id;
        startedNs[slot] = nowNs;
        receivedBytes[slot] = 0;
        totalLength[slot] = -1;
        highestEnd[slot] = 0;
        headerLength[slot] = 0;
        Arrays.fill(blocks[slot], 0L);
        return slot;
    }

    private static boolean sameBytes(
        final UnsafeBuffer stored, final int offset, final Ipv4Packet packet, final int length)
    {
        final UnsafeBuffer fragment = packet.buffer();
        final int base = packet.payloadOffset();
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (stored.getLong(offset + i) != fragment.getLong(base + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (stored.getByte(offset + i) != fragment.getByte(base + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int countPresent(final long[] bitmap, final int first, final int last)
    {
        int count = 0;
        for (int word = first >>> 6; word <= last >>> 6; word++)
        {
            count += Long.bitCount(bitmap[word] & rangeMask(word, first, last));
        }
        return count;
    }

    private static void setBlocks(final long[] bitmap, final int first, final int last)
    {
        for (int word = first >>> 6; word <= last >>> 6; word++)
        {
            bitmap[word] |= rangeMask(word, first, last);
        }
    }

    /** Bits of {@code word} that fall in blocks {@code [first, last]}. */
    private static long rangeMask(final int word, final int first, final int last)
    {
        final int lo = Math.max(first, word << 6) - (word << 6);
        final int hi = Math.min(last, (word << 6) + 63) - (word << 6);
        final long upTo = hi == 63 ? -1L : (1L << (hi + 1)) - 1;
        return upTo & (-1L << lo);
    }
}
