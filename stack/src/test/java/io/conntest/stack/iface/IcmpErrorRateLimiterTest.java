package io.conntest.stack.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 1812 §4.3.2.8: ICMP errors are rate limited, per destination (a burst of 6, then 1 a second). */
class IcmpErrorRateLimiterTest
{
    private static final long S = 1_000_000_000L;
    private static final int SCANNER = 0x0A000063;

    @Test
    void rfc1812_4_3_2_8_aBurstThenOnePerInterval()
    {
        final IcmpErrorRateLimiter limiter = new IcmpErrorRateLimiter();
        int sent = 0;
        for (int i = 0; i < 50; i++)
        {
            sent += limiter.tryAcquire(SCANNER, 10 * S + i * 1_000_000L) ? 1 : 0;
        }
        assertEquals(IcmpErrorRateLimiter.BURST, sent, "50 closed-port datagrams in 50 ms: the burst only");
        assertFalse(limiter.tryAcquire(SCANNER, 10 * S + 900_000_000L));
        assertTrue(limiter.tryAcquire(SCANNER, 11 * S + 1), "one more after the interval");
        assertFalse(limiter.tryAcquire(SCANNER, 11 * S + 2));
        int later = 0;
        for (int i = 0; i < 20; i++)
        {
            later += limiter.tryAcquire(SCANNER, 30 * S + i) ? 1 : 0;
        }
        assertEquals(IcmpErrorRateLimiter.BURST, later, "an idle destination earns its burst back, no more");
    }

    @Test
    void oneDestinationsFloodLeavesOthersTheirBudget()
    {
        final IcmpErrorRateLimiter limiter = new IcmpErrorRateLimiter();
        for (int i = 0; i < 1000; i++)
        {
            limiter.tryAcquire(SCANNER, S + i);
        }
        int other = 0x0A000100;
        while (bucketsCollide(other))
        {
            other++;
        }
        assertTrue(limiter.tryAcquire(other, S + 1000), "another host still gets its error");
    }

    /** Whether {@code dst} shares the scanner's bucket (checked on a fresh limiter: both drain together). */
    private static boolean bucketsCollide(final int dst)
    {
        final IcmpErrorRateLimiter probe = new IcmpErrorRateLimiter();
        for (int i = 0; i < IcmpErrorRateLimiter.BURST; i++)
        {
            probe.tryAcquire(SCANNER, 0);
        }
        return !probe.tryAcquire(dst, 0);
    }
}
