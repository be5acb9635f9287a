package io.conntest.stack.ipv6;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Ipv6Packet;

/**
 * IPv6 reassembly (RFC 8200 §4.5) in a fixed number of 64 KiB slots: memory bounded by {@code slots × 64 KiB}
 * whatever arrives. A packet is keyed by (source, destination, Fragment Identification). Arrived 8-byte blocks are a
 * bitmap, so an overlap is seen exactly: a fragment that overlaps received data drops the whole reassembly (RFC 5722),
 * unless it repeats the same bytes exactly (RFC 8200 §4.5 lets such duplicates be dropped alone); fragments that
 * disagree about the end drop it; when every slot is busy the oldest reassembly is evicted; one not finished within
 * 60 s is dropped, with a Time Exceeded (code 1) to the source when the first fragment had come (the first fragment
 * is kept for that quote). The reassembled packet gets a plain 40-byte header (the fragments' unfragmentable
 * extension headers were acted on fragment by fragment) and goes through the host's ingress again.
 */
final class Ipv6Reassembler
{
    static final int INCOMPLETE = -1;
    static final int DROPPED = -2;
    /** RFC 8200 §4.5: 60 seconds from the first fragment. */
    static final long TIMEOUT_NS = 60_000_000_000L;
    /** What a Time Exceeded may quote: the minimum MTU less the IPv6 and ICMPv6 headers. */
    static final int FIRST_FRAGMENT_KEPT = Ipv6Packet.MIN_MTU - Ipv6Packet.HEADER_LENGTH - 8;
    private static final int SLOT_SIZE = Ipv6Packet.HEADER_LENGTH + Ipv6Packet.MAX_PAYLOAD;
    private static final int BITMAP_WORDS = (Ipv6Packet.MAX_PAYLOAD / 8 + 64) / 64;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final Ipv6Counters counters;
    private final UnsafeBuffer[] packets;
    private final UnsafeBuffer[] firstFragments;
    private final int[] firstFragmentLength;
    private final boolean[] active;
    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] dstHi;
    private final long[] dstLo;
    private final int[] id;
    private final int[] nextHeader;
    private final long[] startedNs;
    private final int[] receivedBytes;
    /** The payload's length once the last fragment came, else -1. */
    private final int[] totalLength;
    private final int[] highestEnd;
    private final long[][] blocks;
    private final Ipv6Packet header = new Ipv6Packet();

    Ipv6Reassembler(final int slots, final Ipv6Counters counters)
    {
        this.counters = counters;
        this.packets = new UnsafeBuffer[slots];
        this.firstFragments = new UnsafeBuffer[slots];
        this.firstFragmentLength = new int[slots];
        this.active = new boolean[slots];
        this.srcHi = new long[slots];
        this.srcLo = new long[slots];
        this.dstHi = new long[slots];
        this.dstLo = new long[slots];
        this.id = new int[slots];
        this.nextHeader = new int[slots];
        this.startedNs = new long[slots];
        this.receivedBytes = new int[slots];
        this.totalLength = new int[slots];
        this.highestEnd = new int[slots];
        this.blocks = new long[slots][BITMAP_WORDS];
    }

    /**
     * One fragment: the packet of {@code packetLength} bytes at {@code packetAt}, its fragmentable part at
     * {@code dataAt} ({@code length} bytes at {@code fragmentOffset} of the original, {@code more} fragments after).
     * Length and range were checked by the caller (a multiple of 8 unless the last, within 65,535).
     *
     * @return the slot of the complete packet ({@link #packet(int)}, {@link #packetLength(int)}; {@link #release}
     *         after use), or {@link #INCOMPLETE} or {@link #DROPPED}.
     */
    int process(final DirectBuffer buffer, final int packetAt, final int packetLength, final int dataAt,
        final int length, final int fragmentOffset, final boolean more, final int identification,
        final int fragmentNextHeader, final long nowNs)
    {
        final long sHi = buffer.getLong(packetAt + 8, BE);
        final long sLo = buffer.getLong(packetAt + 16, BE);
        final long dHi = buffer.getLong(packetAt + 24, BE);
        final long dLo = buffer.getLong(packetAt + 32, BE);
        counters.increment(Ipv6Counter.IPV6_FRAGMENTS_RECEIVED);
        final int slot = slotFor(sHi, sLo, dHi, dLo, identification, nowNs);
        final int end = fragmentOffset + length;
        final int known = totalLength[slot];
        if ((known >= 0 && (end > known || (!more && end != known))) || (!more && highestEnd[slot] > end))
        {
            counters.increment(Ipv6Counter.IPV6_REASSEMBLY_INCONSISTENT);
            release(slot);
            return DROPPED;
        }
        if (length == 0)
        {
            if (!more)
            {
                totalLength[slot] = end;
            }
            return complete(slot) ? slot : INCOMPLETE;
        }
        final UnsafeBuffer packet = packets[slot];
        final int firstBlock = fragmentOffset >>> 3;
        final int lastBlock = (end - 1) >>> 3;
        final int present = countPresent(blocks[slot], firstBlock, lastBlock);
        if (present != 0)
        {
            if (present == lastBlock - firstBlock + 1 && same(packet, Ipv6Packet.HEADER_LENGTH + fragmentOffset,
                buffer, dataAt, length))
            {
                counters.increment(Ipv6Counter.IPV6_FRAGMENT_DUPLICATE);
                return INCOMPLETE;
            }
            counters.increment(Ipv6Counter.IPV6_REASSEMBLY_OVERLAP); // RFC 5722
            release(slot);
            return DROPPED;
        }
        packet.putBytes(Ipv6Packet.HEADER_LENGTH + fragmentOffset, buffer, dataAt, length);
        for (int b = firstBlock; b <= lastBlock; b++)
        {
            blocks[slot][b >>> 6] |= 1L << (b & 63);
        }
        receivedBytes[slot] += length;
        highestEnd[slot] = Math.max(highestEnd[slot], end);
        if (!more)
        {
            totalLength[slot] = end;
        }
        if (fragmentOffset == 0)
        {
            nextHeader[slot] = fragmentNextHeader;
            final int kept = Math.min(packetLength, FIRST_FRAGMENT_KEPT);
            firstFragments[slot].putBytes(0, buffer, packetAt, kept);
            firstFragmentLength[slot] = kept;
        }
        return complete(slot) ? slot : INCOMPLETE;
    }

    private boolean complete(final int slot)
    {
        if (totalLength[slot] < 0 || receivedBytes[slot] != totalLength[slot] || firstFragmentLength[slot] == 0)
        {
            return false;
        }
        header.wrap(packets[slot], 0, Ipv6Packet.HEADER_LENGTH).header(0, 0, totalLength[slot],
            nextHeader[slot], 64, srcHi[slot], srcLo[slot], dstHi[slot], dstLo[slot]);
        counters.increment(Ipv6Counter.IPV6_REASSEMBLED);
        return true;
    }

    UnsafeBuffer packet(final int slot)
    {
        return packets[slot];
    }

    int packetLength(final int slot)
    {
        return Ipv6Packet.HEADER_LENGTH + totalLength[slot];
    }

    void release(final int slot)
    {
        active[slot] = false;
    }

    /**
     * Drops the next reassembly past its time; returns its slot when its first fragment had come (the caller quotes it
     * in a Time Exceeded at once), else goes on; -1 when none is left.
     */
    int expire(final long nowNs)
    {
        for (int i = 0; i < active.length; i++)
        {
            if (active[i] && nowNs - startedNs[i] >= TIMEOUT_NS)
            {
                counters.increment(Ipv6Counter.IPV6_REASSEMBLY_TIMEOUT);
                active[i] = false;
                if (firstFragmentLength[i] > 0)
                {
                    return i; // its first fragment stays readable until a new fragment takes the slot
                }
            }
        }
        return -1;
    }

    /** The kept first fragment of an expired slot (valid until the slot is reused). */
    UnsafeBuffer firstFragment(final int slot)
    {
        return firstFragments[slot];
    }

    int firstFragmentLength(final int slot)
    {
        return firstFragmentLength[slot];
    }

    long pollAtNs()
    {
        long at = Deadline.NEVER;
        for (int i = 0; i < active.length; i++)
        {
            if (active[i])
            {
                at = Deadline.earliest(at, startedNs[i] + TIMEOUT_NS);
            }
        }
        return at;
    }

    /** The slots' memory, made at the first fragment: an instance that never sees one keeps ~260 KiB unallocated. */
    private void allocate()
    {
        final ByteBuffer storage = ByteBuffer.allocateDirect(packets.length * (SLOT_SIZE + FIRST_FRAGMENT_KEPT));
        for (int i = 0; i < packets.length; i++)
        {
            final int at = i * (SLOT_SIZE + FIRST_FRAGMENT_KEPT);
            packets[i] = new UnsafeBuffer(storage, at, SLOT_SIZE);
            firstFragments[i] = new UnsafeBuffer(storage, at + SLOT_SIZE, FIRST_FRAGMENT_KEPT);
        }
    }

    private int slotFor(final long sHi, final long sLo, final long dHi, final long dLo, final int identification,
        final long nowNs)
    {
        if (packets[0] == null)
        {
            allocate();
        }
        int free = -1;
        int oldest = -1;
        for (int i = 0; i < active.length; i++)
        {
            if (active[i])
            {
                if (id[i] == identification && srcLo[i] == sLo && srcHi[i] == sHi && dstLo[i] == dLo
                    && dstHi[i] == dHi)
                {
                    return i;
                }
                if (oldest < 0 || Deadline.isBefore(startedNs[i], startedNs[oldest]))
                {
                    oldest = i;
                }
            }
            else if (free < 0)
            {
                free = i;
            }
        }
        final int slot = free >= 0 ? free : oldest;
        if (free < 0)
        {
            counters.increment(Ipv6Counter.IPV6_REASSEMBLY_OVERFLOW);
        }
        active[slot] = true;
        srcHi[slot] = sHi;
        srcLo[slot] = sLo;
        dstHi[slot] = dHi;
        dstLo[slot] = dLo;
        id[slot] = identification;
        startedNs[slot] = nowNs;
        receivedBytes[slot] = 0;
        totalLength[slot] = -1;
        highestEnd[slot] = 0;
        firstFragmentLength[slot] = 0;
        Arrays.fill(blocks[slot], 0);
        return slot;
    }

    private static int countPresent(final long[] bitmap, final int first, final int last)
    {
        int count = 0;
        for (int b = first; b <= last; b++)
        {
            if ((bitmap[b >>> 6] & (1L << (b & 63))) != 0)
            {
                count++;
            }
        }
        return count;
    }

    private static boolean same(final UnsafeBuffer have, final int at, final DirectBuffer buffer, final int from,
        final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (have.getByte(at + i) != buffer.getByte(from + i))
            {
                return false;
            }
        }
        return true;
    }
}
