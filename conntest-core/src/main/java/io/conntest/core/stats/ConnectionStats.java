package io.conntest.core.stats;

import org.HdrHistogram.Histogram;

import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.TransportStats;

/**
 * The counters of one connection row, written only by the engine thread. For an outgoing peer one instance lives
 * across reconnects, so its counters go on. {@link #snapshot(long)} makes the immutable copy other threads see.
 */
public final class ConnectionStats
{
    /** Latency range recorded: 1 ns .. 1 hour, 3 significant digits. */
    private static final long HIGHEST_LATENCY_NS = 3_600_000_000_000L;

    private final long key;
    private final Side side;
    private final TransportProtocol protocol;
    /** How long the window of the per-interval throughput is: what moved in the last second, each way. */
    public static final long THROUGHPUT_INTERVAL_NS = 1_000_000_000L;

    /** RTT/2 of probes sent and answered while no bandwidth test ran on the connection. */
    private final Histogram latency = new Histogram(1, HIGHEST_LATENCY_NS, 3);
    /** RTT/2 of probes that were out while a bandwidth test ran (behind its data). */
    private final Histogram latencyLoaded = new Histogram(1, HIGHEST_LATENCY_NS, 3);
    /** RFC 3550 jitter of the DATA frames this side received (reported for UDP). */
    public final InterarrivalJitter jitter = new InterarrivalJitter();

    public String localHost;
    public int localPort;
    public String peerHost;
    public int peerPort;
    public String peerName;
    /** {@link #peerName} as UTF-8, made once per HELLO, so the periodic PEER_VIEW is written without allocating. */
    public byte[] peerNameBytes;
    public ConnectionState state = ConnectionState.CONNECTING;
    public long connectedAtNs = -1;
    public long retries;
    public long connectFailures;
    public long packetsSent;
    public long packetsReceived;
    public long bytesSent;
    public long bytesReceived;
    public long latencyLastNs = -1;
    /** The peer's probes (LATENCY_PING) this side answered. */
    public long probesAnswered;
    public long bandwidthUpLastBps = -1;
    public long bandwidthUpTotalBytes;
    public long bandwidthUpTotalNs;
    public long bandwidthDownLastBps = -1;
    public long bandwidthDownTotalBytes;
    public long bandwidthDownTotalNs;
    public long bandwidthTests;
    public boolean monitorBandwidth;
    public int packetSize;
    public long verificationErrors;
    public FailureReason lastFailure;
    public String lastError;
    public long nextRetryAtNs = -1;
    public TransportStats transportStats = TransportStats.NONE;
    /** What the peer told of this end's packets on the current connection (PEER_SEEN); null host until told. */
    public String seenAsHost;
    public int seenAsPort;
    public int seenTtl = -1;
    public int seenTos = -1;
    /** The TTL and TOS this end's packets leave with on the current connection, -1 unknown. */
    public int sentTtl = -1;
    public int sentTos = -1;
    /** UDP figures of earlier connections of this row, so they run on across reconnects. */
    private long udpLostBase;
    private long udpOutOfOrderBase;
    private long udpDuplicateBase;
    private long udpReorderMaxBase;
    private long udpRetransmittedBase;
    /** The peer's count of messages it declared lost towards us, on the current connection (-1 = not told). */
    public long peerUdpLost = -1;
    private long peerUdpLostBase;
    private long windowStartNs = -1;
    private long windowSentBase;
    private long windowReceivedBase;
    private long intervalSentBps = -1;
    private long intervalReceivedBps = -1;
    private long intervalNs;

    public ConnectionStats(final long key, final Side side, final TransportProtocol protocol)
    {
        this.key = key;
        this.side = side;
        this.protocol = protocol;
    }

    public long key()
    {
        return key;
    }

    public Side side()
    {
        return side;
    }

    public TransportProtocol protocol()
    {
        return protocol;
    }

    /** The connection ended: keep its transport figures as a base for the next one. */
    public void onConnectionEnded()
    {
        final TransportStats t = transportStats;
        udpLostBase += Math.max(0, t.udpLost());
        udpOutOfOrderBase += Math.max(0, t.udpOutOfOrder());
        udpDuplicateBase += Math.max(0, t.udpDuplicate());
        udpReorderMaxBase = Math.max(udpReorderMaxBase, t.udpReorderMax());
        udpRetransmittedBase += Math.max(0, t.udpRetransmitted());
        peerUdpLostBase += Math.max(0, peerUdpLost);
        peerUdpLost = -1;
        transportStats = TransportStats.NONE;
        seenAsHost = null;
        seenAsPort = 0;
        seenTtl = -1;
        seenTos = -1;
    }

    /** What the peer saw of this end's packets, compared with what they left with. */
    public PathView path()
    {
        return PathView.of(seenAsHost, seenAsPort, seenTtl, seenTos, localHost, localPort, sentTtl, sentTos);
    }

    private static long udp(final long base, final long current)
    {
        return base + Math.max(0, current);
    }

    /** Records one probe's RTT/2, idle or {@code loaded} (a bandwidth test ran while it was out). */
    public void recordLatency(final long oneWayNs, final boolean loaded)
    {
        final long value = Math.max(1, Math.min(oneWayNs, HIGHEST_LATENCY_NS));
        (loaded ? latencyLoaded : latency).recordValue(value);
        latencyLastNs = value;
    }

    /** Median RTT/2 of the idle probes, or -1 before the first (does not allocate). */
    public long latencyP50Ns()
    {
        return latency.getTotalCount() > 0 ? latency.getValueAtPercentile(50) : -1;
    }

    /** Records one idle probe's RTT/2. */
    public void recordLatency(final long oneWayNs)
    {
        recordLatency(oneWayNs, false);
    }

    /**
     * Closes the throughput window when {@link #THROUGHPUT_INTERVAL_NS} has passed: the bytes that moved in it,
     * each way, become the per-interval figures (over the window's real length, should nobody have looked for
     * longer). Called on the engine thread by every duty cycle of the session and with every snapshot.
     */
    public void rollThroughputWindow(final long nowNs)
    {
        if (windowStartNs < 0 || state != ConnectionState.CONNECTED)
        {
            windowStartNs = nowNs;
            windowSentBase = bytesSent;
            windowReceivedBase = bytesReceived;
            if (state != ConnectionState.CONNECTED)
            {
                intervalSentBps = -1;
                intervalReceivedBps = -1;
                intervalNs = 0;
            }
            return;
        }
        final long elapsed = nowNs - windowStartNs;
        if (elapsed >= THROUGHPUT_INTERVAL_NS)
        {
            intervalSentBps = bitsPerSecond(bytesSent - windowSentBase, elapsed);
            intervalReceivedBps = bitsPerSecond(bytesReceived - windowReceivedBase, elapsed);
            intervalNs = elapsed;
            windowStartNs = nowNs;
            windowSentBase = bytesSent;
            windowReceivedBase = bytesReceived;
        }
    }

    /** This side sent {@code bytes} in {@code durationNs} as the receiving peer measured it. */
    public void recordBandwidthUp(final long bytes, final long durationNs)
    {
        bandwidthUpLastBps = bitsPerSecond(bytes, durationNs);
        bandwidthUpTotalBytes += bytes;
        bandwidthUpTotalNs += durationNs;
        bandwidthTests++;
    }

    /** This side received {@code bytes} in {@code durationNs}. */
    public void recordBandwidthDown(final long bytes, final long durationNs)
    {
        bandwidthDownLastBps = bitsPerSecond(bytes, durationNs);
        bandwidthDownTotalBytes += bytes;
        bandwidthDownTotalNs += durationNs;
        bandwidthTests++;
    }

    public static long bitsPerSecond(final long bytes, final long durationNs)
    {
        if (durationNs <= 0)
        {
            return bytes == 0 ? 0 : -1;
        }
        return (long)(bytes * 8.0 * 1e9 / durationNs);
    }

    public ConnectionSnapshot snapshot(final long nowNs)
    {
        rollThroughputWindow(nowNs);
        final boolean hasLatency = latency.getTotalCount() > 0;
        final boolean hasLoaded = latencyLoaded.getTotalCount() > 0;
        final TransportStats t = transportStats;
        return new ConnectionSnapshot(
            key,
            side,
            protocol,
            localHost,
            localPort,
            peerHost,
            peerPort,
            peerName,
            state,
            state == ConnectionState.CONNECTED && connectedAtNs >= 0 ? nowNs - connectedAtNs : 0,
            retries,
            connectFailures,
            packetsSent,
            packetsReceived,
            bytesSent,
            bytesReceived,
            latencyLastNs,
            hasLatency ? latency.getMinValue() : -1,
            hasLatency ? latency.getValueAtPercentile(50) : -1,
            hasLatency ? latency.getValueAtPercentile(90) : -1,
            hasLatency ? latency.getValueAtPercentile(99) : -1,
            hasLatency ? latency.getMaxValue() : -1,
            latency.getTotalCount(),
            hasLoaded ? latencyLoaded.getValueAtPercentile(50) : -1,
            hasLoaded ? latencyLoaded.getValueAtPercentile(90) : -1,
            hasLoaded ? latencyLoaded.getValueAtPercentile(99) : -1,
            hasLoaded ? latencyLoaded.getMaxValue() : -1,
            latencyLoaded.getTotalCount(),
            probesAnswered,
            intervalSentBps,
            intervalReceivedBps,
            intervalNs,
            state != ConnectionState.CONNECTED,
            bandwidthUpLastBps,
            bandwidthUpTotalNs > 0 ? bitsPerSecond(bandwidthUpTotalBytes, bandwidthUpTotalNs) : -1,
            bandwidthDownLastBps,
            bandwidthDownTotalNs > 0 ? bitsPerSecond(bandwidthDownTotalBytes, bandwidthDownTotalNs) : -1,
            bandwidthTests,
            monitorBandwidth,
            packetSize,
            verificationErrors,
            protocol == TransportProtocol.UDP ? udp(udpLostBase, t.udpLost()) : -1,
            protocol == TransportProtocol.UDP ? udp(udpOutOfOrderBase, t.udpOutOfOrder()) : -1,
            protocol == TransportProtocol.UDP ? Math.max(udpReorderMaxBase, Math.max(0, t.udpReorderMax())) : -1,
            protocol == TransportProtocol.UDP ? udp(udpDuplicateBase, t.udpDuplicate()) : -1,
            protocol == TransportProtocol.UDP ? udp(udpRetransmittedBase, t.udpRetransmitted()) : -1,
            protocol == TransportProtocol.UDP ? jitter.jitterNs() : -1,
            protocol == TransportProtocol.UDP && (peerUdpLost >= 0 || peerUdpLostBase > 0) ?
                udp(peerUdpLostBase, peerUdpLost) : -1,
            t.tcpRetransmissions(),
            t.tcpSrttNs(),
            t.tcpCwndBytes(),
            t.tcpRttVarNs(),
            t.tcpPmtuBytes(),
            lastFailure,
            lastError,
            state == ConnectionState.RETRYING && nextRetryAtNs >= 0 ? Math.max(0, nextRetryAtNs - nowNs) : -1,
            path());
    }
}
