package io.conntest.core.engine;

import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.ConnectionStats;
import io.conntest.core.transport.FailureReason;

/**
 * One configured outgoing peer: owns its statistics row across reconnects and the retry schedule. After a
 * failure the next attempt waits {@code retryInitial * multiplier^(failures-1)}, capped at {@code retryMax}; a
 * completed HELLO resets the backoff. While the peer's own connection to this instance carries the pair's
 * traffic (this peer's connection was closed as its duplicate) the connector is <em>covered</em>: it does not
 * dial until that connection ends.
 */
final class PeerConnector
{
    private final ConnectSpec spec;
    private final ConnectionStats stats;
    private Session session;
    /** The peer's connection that carries this pair, while covered. */
    private Session coveredBy;
    /** Set just before our session is closed as a duplicate of this one. */
    private Session coverPending;
    private int consecutiveFailures;
    private long nextAttemptNs = Long.MAX_VALUE;
    private boolean attempted;

    PeerConnector(final ConnectSpec spec, final ConnectionStats stats)
    {
        this.spec = spec;
        this.stats = stats;
        stats.peerHost = spec.host();
        stats.peerPort = spec.port();
        stats.packetSize = spec.packetSize();
        stats.monitorBandwidth = spec.monitorBandwidth();
    }

    ConnectSpec spec()
    {
        return spec;
    }

    ConnectionStats stats()
    {
        return stats;
    }

    Session session()
    {
        return session;
    }

    /** True when an attempt should start now. */
    boolean isDue(final long nowNs)
    {
        return session == null && coveredBy == null && nowNs >= nextAttemptNs;
    }

    long nextAttemptNs()
    {
        return session == null && coveredBy == null ? nextAttemptNs : Long.MAX_VALUE;
    }

    Session coveredBy()
    {
        return coveredBy;
    }

    /** Our session is about to be closed as a duplicate of {@code survivor}. */
    void coverWith(final Session survivor)
    {
        coverPending = survivor;
    }

    /** True when the session that just ended was closed as a duplicate (the connector is now covered). */
    boolean isCoverPending()
    {
        return coverPending != null;
    }

    /** Our session was closed as a duplicate: park, not counted as a failure, until the survivor ends. */
    void onCovered(final String detail)
    {
        session = null;
        coveredBy = coverPending;
        coverPending = null;
        consecutiveFailures = 0;
        nextAttemptNs = Long.MAX_VALUE;
        stats.state = ConnectionState.COVERED;
        stats.connectedAtNs = -1;
        stats.nextRetryAtNs = -1;
        stats.lastFailure = FailureReason.CLOSED;
        stats.lastError = detail;
    }

    /** The connection that covered this peer ended: dial again at once. */
    void onUncovered(final long nowNs, final String detail)
    {
        coveredBy = null;
        nextAttemptNs = nowNs;
        stats.state = ConnectionState.RETRYING;
        stats.nextRetryAtNs = nowNs;
        stats.lastFailure = FailureReason.CLOSED;
        stats.lastError = detail;
    }

    void scheduleNow(final long nowNs)
    {
        nextAttemptNs = nowNs;
    }

    /** Records a new attempt; returns true when it is a retry. */
    boolean onAttempt(final Session session)
    {
        this.session = session;
        final boolean retry = attempted;
        attempted = true;
        if (retry)
        {
            stats.retries++;
        }
        stats.state = ConnectionState.CONNECTING;
        stats.connectedAtNs = -1;
        stats.nextRetryAtNs = -1;
        return retry;
    }

    void onHello()
    {
        consecutiveFailures = 0;
    }

    /** The attempt or connection ended; returns the delay until the next attempt. */
    long onEnded(final long nowNs, final EngineConfig config)
    {
        session = null;
        consecutiveFailures++;
        stats.connectFailures++;
        double delay = config.retryInitialNs();
        for (int i = 1; i < consecutiveFailures && delay < config.retryMaxNs(); i++)
        {
            delay *= config.retryMultiplier();
        }
        final long delayNs = (long)Math.min(delay, config.retryMaxNs());
        nextAttemptNs = nowNs + delayNs;
        stats.state = ConnectionState.RETRYING;
        stats.connectedAtNs = -1;
        stats.nextRetryAtNs = nextAttemptNs;
        return delayNs;
    }
}
