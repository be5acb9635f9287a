package io.conntest.stack.iface;

/**
 * Rate limiting of the ICMP errors the interface sends (destination unreachable, time exceeded), as RFC 1812
 * §4.3.2.8 and RFC 1122 §3.2.2 ask: a token bucket per destination, {@value #BURST} errors at once and then one per
 * {@link #INTERVAL_NS} (what Linux does through {@code icmp_ratelimit} = 1000 ms with its burst factor of 6). Per
 * destination, so a scanner hammering closed ports neither gets an error per datagram nor can it use up the budget
 * another host's errors need (one shared budget is a side channel, as a global challenge-ACK counter was, CVE-2016-5696).
 * Destinations share one of {@value #BUCKETS} buckets by hash: a collision only makes both stricter. Echo replies are
 * not errors and are not limited. IPv6 destinations are folded to 32 bits first (the interface keeps a second
 * instance for them). Nothing allocated.
 */
final class IcmpErrorRateLimiter
{
    static final int BURST = 6;
    static final long INTERVAL_NS = 1_000_000_000L;
    static final int BUCKETS = 64;

    private final int[] tokens = new int[BUCKETS];
    private final long[] refilledAtNs = new long[BUCKETS];
    private final boolean[] used = new boolean[BUCKETS];

    /** Whether an error to {@code dst} may go now; takes a token if so. */
    boolean tryAcquire(final int dst, final long nowNs)
    {
        final int b = bucket(dst);
        if (!used[b])
        {
            used[b] = true;
            tokens[b] = BURST;
            refilledAtNs[b] = nowNs;
        }
        else
        {
            final long elapsed = nowNs - refilledAtNs[b];
            if (elapsed >= INTERVAL_NS)
            {
                final long earned = elapsed / INTERVAL_NS;
                tokens[b] = (int)Math.min(BURST, tokens[b] + earned);
                refilledAtNs[b] += earned * INTERVAL_NS;
            }
        }
        if (tokens[b] == 0)
        {
            return false;
        }
        tokens[b]--;
        return true;
    }

    /** The same for an IPv6 destination (RFC 4443 §2.4 f asks the same of ICMPv6 errors). */
    boolean tryAcquire(final long dstHi, final long dstLo, final long nowNs)
    {
        final long folded = dstHi ^ dstLo;
        return tryAcquire((int)(folded ^ (folded >>> 32)), nowNs);
    }

    private static int bucket(final int dst)
    {
        final int h = dst * 0x9E3779B1;
        return (h ^ (h >>> 16)) & (BUCKETS - 1);
    }
}
