package io.conntest.stack.tcp;

import io.conntest.stack.tcp.seq.SeqNum;

/**
 * SYN cookies (RFC 4987 §3.6), encoded as Linux does, so a listener whose SYN queue is full still answers a SYN
 * without keeping any state and builds the connection from the ACK that returns the cookie.
 *
 * <p>The SYN,ACK's initial sequence number is
 * {@code H1(tuple) + peer ISN + (count << 24) + ((H2(tuple, count) + mss index) mod 2^24)}, with H1 and H2 the
 * keyed SipHash of {@link TcpKeyedHash} (so not computable from outside, RFC 4987 §3.6) and {@code count} a
 * 64-second clock: a cookie is valid for the counter period it was made in and the next one. The 2-bit MSS index
 * picks one of four MSS values at or below the peer's. With timestamps (RFC 7323), the low 6 bits of our TSval
 * carry what the SYN offered beyond the MSS, returned in the ACK's TSecr: the peer's window shift (4 bits, 15 for
 * none) and SACK-permitted (1 bit). Without timestamps the SYN,ACK offers only the MSS.
 */
final class TcpSynCookies
{
    /** Linux's table (net/ipv4/syncookies.c): the common MSS values, in increasing order. */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /** The counter period: a cookie lives between one and two of these. */
    static final long PERIOD_NS = 64_000_000_000L;
    /** Counter periods a cookie stays valid (Linux MAX_SYNCOOKIE_AGE). */
    static final int MAX_AGE = 2;

    private static final int COOKIE_BITS = 24;
    private static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;
    private static final int TS_OPTION_BITS = 6;
    private static final int TS_OPTION_MASK = (1 << TS_OPTION_BITS) - 1;
    private static final int TS_NO_WSCALE = 0xF;
    private static final int TS_SACK = 0x10;
    private static final long TAG_H1 = 0x53_43_01L;
    private static final long TAG_H2 = 0x53_43_02L;

    private final TcpKeyedHash hash;

    TcpSynCookies(final TcpKeyedHash hash)
    {
        this.hash = hash;
    }

    /** The index of the largest table MSS not above the peer's ({@code 0} when the SYN had no MSS option). */
    static int mssIndex(final int peerMss)
    {
        int i = MSS_TABLE.length - 1;
        while (i > 0 && MSS_TABLE[i] > (peerMss == 0 ? TcpOptionsNegotiation.DEFAULT_MSS : peerMss))
        {
            i--;
        }
        return i;
    }

    static int counter(final long nowNs)
    {
        return (int)(nowNs / PERIOD_NS);
    }

    /** The cookie: our initial sequence number for the SYN,ACK answering a SYN with sequence number {@code peerIsn}. */
    int encode(final int remoteAddr, final int remotePort, final int localPort, final int peerIsn, final int mssIndex,
        final long nowNs)
    {
        final int count = counter(nowNs);
        return h1(remoteAddr, remotePort, localPort) + peerIsn + (count << COOKIE_BITS) +
            ((h2(remoteAddr, remotePort, localPort, count) + mssIndex) & COOKIE_MASK);
    }

    /**
     * Checks the cookie an ACK returns ({@code SEG.ACK - 1}, with {@code SEG.SEQ - 1} as the peer's ISN).
     *
     * @return the MSS index it encodes, or -1 when it is forged, belongs to another 4-tuple or is too old.
     */
    int decode(final int remoteAddr, final int remotePort, final int localPort, final int peerIsn, final int cookie,
        final long nowNs)
    {
        final int count = counter(nowNs);
        final int c = cookie - h1(remoteAddr, remotePort, localPort) - peerIsn;
        final int age = (count - (c >>> COOKIE_BITS)) & 0xFF;
        if (age >= MAX_AGE)
        {
            return -1;
        }
        final int data = (c - h2(remoteAddr, remotePort, localPort, count - age)) & COOKIE_MASK;
        return data < MSS_TABLE.length ? data : -1;
    }

    /**
     * Our TSval with the SYN's window shift ({@code -1} for none) and SACK-permitted in its low 6 bits, never ahead
     * of {@code tsNow} (so the connection's later TSvals do not go backwards, RFC 7323 §5.4).
     */
    static int encodeTimestamp(final int tsNow, final int peerWindowScale, final boolean sackPermitted)
    {
        final int options = (peerWindowScale >= 0 ? Math.min(peerWindowScale, 14) : TS_NO_WSCALE) |
            (sackPermitted ? TS_SACK : 0);
        int ts = (tsNow & ~TS_OPTION_MASK) | options;
        if (SeqNum.gt(ts, tsNow))
        {
            ts -= TS_OPTION_MASK + 1;
        }
        return ts;
    }

    /** The peer's window shift carried in a returned TSecr, or -1 when its SYN had none. */
    static int windowScaleOf(final int tsEcr)
    {
        final int s = tsEcr & 0xF;
        return s == TS_NO_WSCALE ? -1 : s;
    }

    static boolean sackPermittedOf(final int tsEcr)
    {
        return (tsEcr & TS_SACK) != 0;
    }

    private int h1(final int remoteAddr, final int remotePort, final int localPort)
    {
        return (int)hash.hash(((long)remoteAddr << 32) | TAG_H1, ((long)localPort << 16) | remotePort);
    }

    private int h2(final int remoteAddr, final int remotePort, final int localPort, final int count)
    {
        return (int)hash.hash(((long)remoteAddr << 32) | TAG_H2,
            ((long)count << 32) | ((long)localPort << 16) | remotePort);
    }
}
