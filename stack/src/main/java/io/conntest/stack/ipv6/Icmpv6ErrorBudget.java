package io.conntest.stack.ipv6;

/**
 * The rate limit on the ICMPv6 errors the node sends (RFC 4443 §2.4 f): whether one may go to this destination now.
 * The interface passes the token buckets it also limits its ICMPv4 errors with, so both families follow one policy.
 */
@FunctionalInterface
public interface Icmpv6ErrorBudget
{
    /** Whether an error to {@code dstHi, dstLo} may go at {@code nowNs}; takes a token if so. */
    boolean tryAcquire(long dstHi, long dstLo, long nowNs);
}
