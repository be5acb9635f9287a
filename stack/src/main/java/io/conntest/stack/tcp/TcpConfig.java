package io.conntest.stack.tcp;

/**
 * Settings of a {@link TcpProtocol} and the defaults of its sockets. Mutable before the protocol is created;
 * setters return {@code this}. Times in nanoseconds.
 */
public final class TcpConfig
{
    /** 1 MiB each way: with window scaling enough for several Gbit/s at sub-millisecond RTTs. */
    public int sendBufferBytes = 1 << 20;
    public int receiveBufferBytes = 1 << 20;
    /**
     * Bound on the connection table. Each connection owns its send and receive rings, so this bounds memory too:
     * 256 x 2 MiB = 512 MiB at the default buffer sizes. conntest peers number in the tens; raise it with smaller
     * buffers for a server of many clients.
     */
    public int maxConnections = 256;
    /** Accept-queue bound of a listener when the caller gives none. */
    public int defaultBacklog = 128;
    /**
     * Bound of each listener's SYN queue (half-open connections, Linux tcp_max_syn_backlog). A SYN beyond it is
     * answered with a SYN cookie (RFC 4987 §3.6) when {@link #synCookies} is on, otherwise dropped.
     */
    public int synBacklog = 128;
    /** RFC 4987 §3.6 SYN cookies when the SYN queue or the connection table is full (Linux tcp_syncookies=1). */
    public boolean synCookies = true;
    /** Bound of the queue of cookie SYN,ACKs waiting for the next dispatch; beyond it SYNs are dropped. */
    public int synAckQueueSize = 256;
    /** RFC 9293 §3.4.2: MSL; TIME-WAIT lasts twice this (Linux: 60 s TIME-WAIT). */
    public long mslNs = 30_000_000_000L;
    /** How long a connection the user has closed may wait in FIN-WAIT-2 for the peer's FIN (Linux: 60 s). */
    public long finWait2TimeoutNs = 60_000_000_000L;
    /** RFC 1122 §4.2.3.2 / RFC 9293 §3.8.6.3: at most 500 ms; Linux uses 40 ms. */
    public long delayedAckNs = 40_000_000L;
    public boolean noDelay;
    /** RFC 6298 §2.4: 1 s floor by default; Linux uses 200 ms. */
    public long minRtoNs = 1_000_000_000L;
    public long initialRtoNs = 1_000_000_000L;
    public long maxRtoNs = 60_000_000_000L;
    /** RFC 9293 §3.8.3 R2 for data (MUST-20): give up after this many consecutive RTOs. */
    public int maxRetransmissions = 15;
    /** R2 for SYN: 7 retransmissions span 255 s with the 1 s initial RTO (MUST-23: at least 3 minutes). */
    public int maxSynRetransmissions = 7;
    /** MUST-23: at least 3 minutes by default; an application may set less (MUST-21). */
    public long connectTimeoutNs = 180_000_000_000L;
    public boolean keepAlive;
    /** RFC 1122 §4.2.3.6: at least two hours by default. */
    public long keepAliveIdleNs = 7_200_000_000_000L;
    public long keepAliveIntervalNs = 75_000_000_000L;
    public int keepAliveProbes = 9;
    public boolean windowScaling = true;
    public boolean timestamps = true;
    public boolean sack = true;
    /** "cubic" (RFC 9438, default) or "newreno" (RFC 5681/6582). */
    public String congestionControl = "cubic";
    /**
     * RFC 5961 §7: the most challenge ACKs one connection sends per {@link #challengeAckWindowNs}; each window's
     * budget is drawn at random between half this and this. Per connection, never global: a shared counter lets an
     * off-path attacker drain it and learn that another connection exists (CVE-2016-5696).
     */
    public int challengeAcksPerWindow = 10;
    /** RFC 5961 §7 suggests 10 challenge ACKs in 5 s; Linux allows one per 0.5 s per socket (same average). */
    public long challengeAckWindowNs = 5_000_000_000L;
    /** RFC 6056: the ephemeral port range (IANA's by default). */
    public int ephemeralPortMin = 49152;
    public int ephemeralPortMax = 65535;
    /** Bound of the queue of RSTs waiting to be sent for segments that matched no connection. */
    public int resetQueueSize = 256;
    /** RFC 9293 §3.8.6.2.1 / RFC 1122 §4.2.3.4: the SWS override timeout, 0.1 - 1 s. */
    public long swsOverrideNs = 200_000_000L;
    /** RFC 8985 §7 tail loss probes (turn off to see plain RFC 6298 timeouts). */
    public boolean tailLossProbe = true;
    /** Whether the segment checksum is verified on ingress (off only for benchmarks with offload). */
    public boolean verifyChecksum = true;

    public TcpConfig sendBufferBytes(final int bytes)
    {
        this.sendBufferBytes = bytes;
        return this;
    }

    public TcpConfig receiveBufferBytes(final int bytes)
    {
        this.receiveBufferBytes = bytes;
        return this;
    }

    public TcpConfig maxConnections(final int n)
    {
        this.maxConnections = n;
        return this;
    }

    public TcpConfig mslNs(final long ns)
    {
        this.mslNs = ns;
        return this;
    }

    public TcpConfig delayedAckNs(final long ns)
    {
        this.delayedAckNs = ns;
        return this;
    }

    public TcpConfig noDelay(final boolean noDelay)
    {
        this.noDelay = noDelay;
        return this;
    }

    public TcpConfig minRtoNs(final long ns)
    {
        this.minRtoNs = ns;
        return this;
    }

    public TcpConfig initialRtoNs(final long ns)
    {
        this.initialRtoNs = ns;
        return this;
    }

    public TcpConfig connectTimeoutNs(final long ns)
    {
        this.connectTimeoutNs = ns;
        return this;
    }

    public TcpConfig keepAlive(final boolean on, final long idleNs, final long intervalNs, final int probes)
    {
        this.keepAlive = on;
        this.keepAliveIdleNs = idleNs;
        this.keepAliveIntervalNs = intervalNs;
        this.keepAliveProbes = probes;
        return this;
    }

    public TcpConfig windowScaling(final boolean on)
    {
        this.windowScaling = on;
        return this;
    }

    public TcpConfig timestamps(final boolean on)
    {
        this.timestamps = on;
        return this;
    }

    public TcpConfig tailLossProbe(final boolean on)
    {
        this.tailLossProbe = on;
        return this;
    }

    public TcpConfig sack(final boolean on)
    {
        this.sack = on;
        return this;
    }

    public TcpConfig congestionControl(final String name)
    {
        this.congestionControl = name;
        return this;
    }

    public TcpConfig maxRetransmissions(final int n)
    {
        this.maxRetransmissions = n;
        return this;
    }

    public TcpConfig maxSynRetransmissions(final int n)
    {
        this.maxSynRetransmissions = n;
        return this;
    }

    public TcpConfig challengeAcks(final int perWindow, final long windowNs)
    {
        this.challengeAcksPerWindow = perWindow;
        this.challengeAckWindowNs = windowNs;
        return this;
    }

    public TcpConfig synBacklog(final int n)
    {
        this.synBacklog = n;
        return this;
    }

    public TcpConfig synCookies(final boolean on)
    {
        this.synCookies = on;
        return this;
    }

    public TcpConfig defaultBacklog(final int n)
    {
        this.defaultBacklog = n;
        return this;
    }

    /** Checks the values; throws IllegalArgumentException for a setting that cannot work. */
    public TcpConfig validate()
    {
        if (sendBufferBytes < 1024 || receiveBufferBytes < 1024 || sendBufferBytes > (1 << 30) ||
            receiveBufferBytes > (1 << 30))
        {
            throw new IllegalArgumentException("buffer sizes must be between 1 KiB and 1 GiB");
        }
        if (maxConnections < 1 || ephemeralPortMin < 1 || ephemeralPortMax > 65535 ||
            ephemeralPortMin > ephemeralPortMax)
        {
            throw new IllegalArgumentException("bad connection limit or port range");
        }
        if (synBacklog < 1 || synAckQueueSize < 1 || resetQueueSize < 1)
        {
            throw new IllegalArgumentException("the SYN backlog and the reply queues need room for one entry");
        }
        if (swsOverrideNs < 100_000_000L || swsOverrideNs > 1_000_000_000L)
        {
            throw new IllegalArgumentException("RFC 1122 §4.2.3.4: the SWS override timeout must be 0.1 - 1 s");
        }
        if (challengeAcksPerWindow < 1 || challengeAckWindowNs <= 0)
        {
            throw new IllegalArgumentException("the challenge-ACK budget must be at least 1 per positive window");
        }
        if (delayedAckNs > 500_000_000L)
        {
            throw new IllegalArgumentException("RFC 1122 §4.2.3.2: the ACK delay must be at most 500 ms");
        }
        if (!"cubic".equals(congestionControl) && !"newreno".equals(congestionControl))
        {
            throw new IllegalArgumentException("congestion control must be cubic or newreno");
        }
        return this;
    }
}
