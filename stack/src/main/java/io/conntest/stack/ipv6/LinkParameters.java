package io.conntest.stack.ipv6;

import java.util.SplittableRandom;

/**
 * The link's host variables of RFC 4861 §6.3.2 with their defaults (§10), updated by Router Advertisements: the
 * link MTU, CurHopLimit, BaseReachableTime and the ReachableTime drawn from it, RetransTimer; and the seeded random
 * source every randomized delay of the IPv6 side draws from (so a run is reproducible from its seed).
 */
final class LinkParameters
{
    /** RFC 4861 §10. */
    static final long REACHABLE_TIME_MS = 30_000;
    static final long RETRANS_TIMER_NS = 1_000_000_000L;
    static final long DELAY_FIRST_PROBE_TIME_NS = 5_000_000_000L;
    static final int MAX_MULTICAST_SOLICIT = 3;
    static final int MAX_UNICAST_SOLICIT = 3;
    static final int DEFAULT_HOP_LIMIT = 64;
    private static final double MIN_RANDOM_FACTOR = 0.5;
    private static final double MAX_RANDOM_FACTOR = 1.5;

    private final SplittableRandom random;
    private final int deviceMtu;
    private int mtu;
    private int hopLimit = DEFAULT_HOP_LIMIT;
    private long baseReachableMs = REACHABLE_TIME_MS;
    private long reachableTimeNs;
    private long retransTimerNs = RETRANS_TIMER_NS;

    LinkParameters(final int deviceMtu, final long seed)
    {
        this.deviceMtu = deviceMtu;
        this.mtu = deviceMtu;
        this.random = new SplittableRandom(seed ^ 0x4861_6E64_0000_0001L);
        this.reachableTimeNs = drawReachableTime();
    }

    /** A uniformly random delay in [0, maxNs). */
    long randomDelayNs(final long maxNs)
    {
        return maxNs <= 0 ? 0 : random.nextLong(maxNs);
    }

    /** RFC 7739 §5: an unpredictable Fragment Identification (from the seeded source: reproducible per seed). */
    int fragmentId()
    {
        return random.nextInt();
    }

    int deviceMtu()
    {
        return deviceMtu;
    }

    int mtu()
    {
        return mtu;
    }

    void mtu(final int value)
    {
        mtu = value;
    }

    int hopLimit()
    {
        return hopLimit;
    }

    void hopLimit(final int value)
    {
        hopLimit = value;
    }

    long reachableTimeNs()
    {
        return reachableTimeNs;
    }

    /** §6.3.4: a new BaseReachableTime draws a new ReachableTime at once. */
    void baseReachableMs(final long value)
    {
        if (value != baseReachableMs)
        {
            baseReachableMs = value;
            reachableTimeNs = drawReachableTime();
        }
    }

    long retransTimerNs()
    {
        return retransTimerNs;
    }

    void retransTimerMs(final long value)
    {
        retransTimerNs = value * 1_000_000L;
    }

    /** §6.3.2: uniformly between MIN_RANDOM_FACTOR and MAX_RANDOM_FACTOR times BaseReachableTime. */
    private long drawReachableTime()
    {
        final double factor = MIN_RANDOM_FACTOR + random.nextDouble() * (MAX_RANDOM_FACTOR - MIN_RANDOM_FACTOR);
        return (long)(baseReachableMs * factor * 1_000_000d);
    }
}
