package io.conntest.core.rudp;

/**
 * Immutable settings of a {@link ReliableUdpChannel}; build with {@link #builder()} or change one field of an
 * existing config with a {@code with*} method. Both window byte sizes must be at least
 * {@link ReliableUdpChannel#maxMessageLength()}, so that every legal message fits the window it must cross; the
 * channel pre-allocates {@code sendWindowBytes + maxMessageLength} bytes of send storage and
 * {@code recvWindowBytes + maxMessageLength} of reorder storage (see {@code docs/reliable-udp.md}).
 */
public final class ReliableUdpConfig
{
    private static final ReliableUdpConfig DEFAULTS = new Builder().build();

    private final int sendWindowPackets;
    private final int sendWindowBytes;
    private final int recvWindowPackets;
    private final int recvWindowBytes;
    private final long initialRtoNs;
    private final long minRtoNs;
    private final long maxRtoNs;
    private final long ackDelayNs;
    private final int ackEveryPackets;
    private final long idleTimeoutNs;
    private final long keepAliveNs;
    private final int maxRetransmissions;
    private final int initialCwndPackets;
    private final int handshakePaddingBytes;
    private final int amplificationFactor;
    private final boolean tailLossProbes;

    private ReliableUdpConfig(final Builder b)
    {
        sendWindowPackets = b.sendWindowPackets;
        sendWindowBytes = b.sendWindowBytes;
        recvWindowPackets = b.recvWindowPackets;
        recvWindowBytes = b.recvWindowBytes;
        initialRtoNs = b.initialRtoNs;
        minRtoNs = b.minRtoNs;
        maxRtoNs = b.maxRtoNs;
        ackDelayNs = b.ackDelayNs;
        ackEveryPackets = b.ackEveryPackets;
        idleTimeoutNs = b.idleTimeoutNs;
        keepAliveNs = b.keepAliveNs;
        maxRetransmissions = b.maxRetransmissions;
        initialCwndPackets = b.initialCwndPackets;
        handshakePaddingBytes = b.handshakePaddingBytes;
        amplificationFactor = b.amplificationFactor;
        tailLossProbes = b.tailLossProbes;
    }

    public static ReliableUdpConfig defaults()
    {
        return DEFAULTS;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public Builder toBuilder()
    {
        return new Builder(this);
    }

    /** Most messages offered but not yet cumulatively acknowledged (queued plus in flight). Default 1024. */
    public int sendWindowPackets()
    {
        return sendWindowPackets;
    }

    /** Most bytes offered but not yet cumulatively acknowledged. Default 1 MiB. */
    public int sendWindowBytes()
    {
        return sendWindowBytes;
    }

    /** Reorder buffer size in messages, advertised to the peer in the handshake. Default 1024. */
    public int recvWindowPackets()
    {
        return recvWindowPackets;
    }

    /** Reorder buffer size in bytes, advertised to the peer in the handshake. Default 1 MiB. */
    public int recvWindowBytes()
    {
        return recvWindowBytes;
    }

    /** RTO before the first RTT sample, also the first handshake retry. Default 500 ms. */
    public long initialRtoNs()
    {
        return initialRtoNs;
    }

    public long minRtoNs()
    {
        return minRtoNs;
    }

    /** Cap of the exponential backoff. Default 2 s. */
    public long maxRtoNs()
    {
        return maxRtoNs;
    }

    /** Longest an in-order message waits for its acknowledgement. Default 5 ms. */
    public long ackDelayNs()
    {
        return ackDelayNs;
    }

    /** An acknowledgement goes out at once after this many unacknowledged in-order messages. Default 2. */
    public int ackEveryPackets()
    {
        return ackEveryPackets;
    }

    /** Nothing valid received for this long: {@link ReliableUdpChannel#isIdleTimedOut(long)}. Default 5 s. */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /** An ACK is sent after this long without sending anything; 0 (default) turns keep-alives off. */
    public long keepAliveNs()
    {
        return keepAliveNs;
    }

    /** Timeouts in a row (handshake or data) before the peer is declared dead. Default 8. */
    public int maxRetransmissions()
    {
        return maxRetransmissions;
    }

    public int initialCwndPackets()
    {
        return initialCwndPackets;
    }

    /** The client pads HANDSHAKE_INIT to this many bytes (UDP payload). Default 1200, as QUIC (RFC 9000 &sect;8.1). */
    public int handshakePaddingBytes()
    {
        return handshakePaddingBytes;
    }

    /** A server sends at most this many times the bytes it received until the client echoes the token. Default 3. */
    public int amplificationFactor()
    {
        return amplificationFactor;
    }

    /** Tail loss probes (RFC 8985 &sect;7) on: a lost last message is resent after ~2 SRTT, not the RTO. Default on. */
    public boolean tailLossProbes()
    {
        return tailLossProbes;
    }

    public ReliableUdpConfig withSendWindow(final int packets, final int bytes)
    {
        return toBuilder().sendWindowPackets(packets).sendWindowBytes(bytes).build();
    }

    public ReliableUdpConfig withRecvWindow(final int packets, final int bytes)
    {
        return toBuilder().recvWindowPackets(packets).recvWindowBytes(bytes).build();
    }

    public ReliableUdpConfig withIdleTimeoutNs(final long ns)
    {
        return toBuilder().idleTimeoutNs(ns).build();
    }

    public ReliableUdpConfig withRto(final long initialNs, final long minNs, final long maxNs)
    {
        return toBuilder().initialRtoNs(initialNs).minRtoNs(minNs).maxRtoNs(maxNs).build();
    }

    @Override
    public String toString()
    {
        return "ReliableUdpConfig{send=" + sendWindowPackets + "p/" + sendWindowBytes + "B, recv=" + recvWindowPackets +
            "p/" + recvWindowBytes + "B, rto=" + initialRtoNs + "ns [" + minRtoNs + ", " + maxRtoNs + "], ackDelay=" +
            ackDelayNs + "ns, ackEvery=" + ackEveryPackets + ", idle=" + idleTimeoutNs + "ns, keepAlive=" +
            keepAliveNs + "ns, maxRetx=" + maxRetransmissions + ", cwnd0=" + initialCwndPackets + ", pad=" +
            handshakePaddingBytes + ", amp=" + amplificationFactor + ", tlp=" + tailLossProbes + "}";
    }

    /** Mutable builder; {@link #build()} checks every bound. */
    public static final class Builder
    {
        private int sendWindowPackets = 1024;
        private int sendWindowBytes = 1 << 20;
        private int recvWindowPackets = 1024;
        private int recvWindowBytes = 1 << 20;
        private long initialRtoNs = 500_000_000L;
        private long minRtoNs = 50_000_000L;
        private long maxRtoNs = 2_000_000_000L;
        private long ackDelayNs = 5_000_000L;
        private int ackEveryPackets = 2;
        private long idleTimeoutNs = 5_000_000_000L;
        private long keepAliveNs = 0;
        private int maxRetransmissions = 8;
        private int initialCwndPackets = 10;
        private int handshakePaddingBytes = 1200;
        private int amplificationFactor = 3;
        private boolean tailLossProbes = true;

        private Builder()
        {
        }

        private Builder(final ReliableUdpConfig c)
        {
            sendWindowPackets = c.sendWindowPackets;
            sendWindowBytes = c.sendWindowBytes;
            recvWindowPackets = c.recvWindowPackets;
            recvWindowBytes = c.recvWindowBytes;
            initialRtoNs = c.initialRtoNs;
            minRtoNs = c.minRtoNs;
            maxRtoNs = c.maxRtoNs;
            ackDelayNs = c.ackDelayNs;
            ackEveryPackets = c.ackEveryPackets;
            idleTimeoutNs = c.idleTimeoutNs;
            keepAliveNs = c.keepAliveNs;
            maxRetransmissions = c.maxRetransmissions;
            initialCwndPackets = c.initialCwndPackets;
            handshakePaddingBytes = c.handshakePaddingBytes;
            amplificationFactor = c.amplificationFactor;
            tailLossProbes = c.tailLossProbes;
        }

        public Builder sendWindowPackets(final int v)
        {
            sendWindowPackets = v;
            return this;
        }

        public Builder sendWindowBytes(final int v)
        {
            sendWindowBytes = v;
            return this;
        }

        public Builder recvWindowPackets(final int v)
        {
            recvWindowPackets = v;
            return this;
        }

        public Builder recvWindowBytes(final int v)
        {
            recvWindowBytes = v;
            return this;
        }

        public Builder initialRtoNs(final long v)
        {
            initialRtoNs = v;
            return this;
        }

        public Builder minRtoNs(final long v)
        {
            minRtoNs = v;
            return this;
        }

        public Builder maxRtoNs(final long v)
        {
            maxRtoNs = v;
            return this;
        }

        public Builder ackDelayNs(final long v)
        {
            ackDelayNs = v;
            return this;
        }

        public Builder ackEveryPackets(final int v)
        {
            ackEveryPackets = v;
            return this;
        }

        public Builder idleTimeoutNs(final long v)
        {
            idleTimeoutNs = v;
            return this;
        }

        public Builder keepAliveNs(final long v)
        {
            keepAliveNs = v;
            return this;
        }

        public Builder maxRetransmissions(final int v)
        {
            maxRetransmissions = v;
            return this;
        }

        public Builder initialCwndPackets(final int v)
        {
            initialCwndPackets = v;
            return this;
        }

        public Builder handshakePaddingBytes(final int v)
        {
            handshakePaddingBytes = v;
            return this;
        }

        public Builder amplificationFactor(final int v)
        {
            amplificationFactor = v;
            return this;
        }

        public Builder tailLossProbes(final boolean v)
        {
            tailLossProbes = v;
            return this;
        }

        public ReliableUdpConfig build()
        {
            final int maxMessage = RudpHeader.MAX_MESSAGE;
            require(sendWindowPackets >= 1 && sendWindowPackets <= 1 << 20, "sendWindowPackets in [1, 2^20]");
            require(recvWindowPackets >= 1 && recvWindowPackets <= 1 << 20, "recvWindowPackets in [1, 2^20]");
            require(sendWindowBytes >= maxMessage && sendWindowBytes <= 1 << 30,
                "sendWindowBytes in [" + maxMessage + ", 2^30]");
            require(recvWindowBytes >= maxMessage && recvWindowBytes <= 1 << 30,
                "recvWindowBytes in [" + maxMessage + ", 2^30]");
            require(minRtoNs > 0 && minRtoNs <= initialRtoNs && initialRtoNs <= maxRtoNs,
                "0 < minRto <= initialRto <= maxRto");
            require(ackDelayNs >= 0, "ackDelayNs >= 0");
            require(ackEveryPackets >= 1, "ackEveryPackets >= 1");
            require(idleTimeoutNs > 0, "idleTimeoutNs > 0");
            require(keepAliveNs >= 0, "keepAliveNs >= 0");
            require(maxRetransmissions >= 1, "maxRetransmissions >= 1");
            require(initialCwndPackets >= 1, "initialCwndPackets >= 1");
            require(handshakePaddingBytes >= 0 && handshakePaddingBytes <= RudpHeader.MAX_DATAGRAM,
                "handshakePaddingBytes in [0, 65507]");
            require(amplificationFactor >= 1, "amplificationFactor >= 1");
            return new ReliableUdpConfig(this);
        }

        private static void require(final boolean condition, final String what)
        {
            if (!condition)
            {
                throw new IllegalArgumentException("ReliableUdpConfig: " + what);
            }
        }
    }
}
