package io.conntest.stack.iface;

import java.util.Random;

/**
 * The IPv4 Identification field for outgoing datagrams: one counter per bucket of destinations, as Linux's
 * {@code ip_idents} do. RFC 6864 §4.1 needs the ID unique only per (source, destination, protocol) within a datagram's
 * lifetime; RFC 7739 §5.3 recommends per-destination counters so that IDs sent to one host tell nothing about the
 * traffic to others. One global +1 counter (what this stack had) lets anyone who probes the instance watch it
 * count its datagrams to third parties: it could serve as the "zombie" of an nmap idle scan.
 *
 * <p>The bucket of a destination and the offset added to its counter come from a keyed hash with a secret drawn
 * once, so neither can be guessed from outside. {@value #BUCKETS} counters of 16 bits; nothing allocated per
 * datagram.
 */
final class Ipv4Identification
{
    /** Counters; a power of two (Linux uses 2048 too, scaled with memory). */
    static final int BUCKETS = 2048;

    private final short[] counters = new short[BUCKETS];
    private final long secret;

    Ipv4Identification(final long seed)
    {
        final Random random = new Random(seed ^ 0x1D5EEDL);
        this.secret = random.nextLong() | 1L;
        for (int i = 0; i < BUCKETS; i++)
        {
            counters[i] = (short)random.nextInt(0x10000);
        }
    }

    /** The ID for the next datagram to {@code dst} with {@code protocol}. */
    int next(final int dst, final int protocol)
    {
        final long h = mix(((long)dst << 8 | protocol) ^ secret);
        final int bucket = (int)(h >>> 40) & (BUCKETS - 1);
        final int id = (counters[bucket] + (int)h) & 0xFFFF;
        counters[bucket]++;
        return id;
    }

    /** The bucket of a destination (tests). */
    int bucket(final int dst, final int protocol)
    {
        return (int)(mix(((long)dst << 8 | protocol) ^ secret) >>> 40) & (BUCKETS - 1);
    }

    /** A 64-bit finaliser (SplitMix64's): every input bit moves every output bit. */
    private static long mix(final long x)
    {
        long z = x * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
