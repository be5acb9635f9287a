package io.conntest.core.engine;

import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.ConnectionStats;

/**
 * One configured outgoing peer: owns its statistics row across reconnects and the retry schedule. After a
 * failure the next attempt waits {@code retryInitial * multiplier^(failures-1)}, capped at {@code retryMax}; a
 * completed HELLO resets the backoff.
 */
final class PeerConnector
{
    private final ConnectSpec spec;
    private final ConnectionStats stats;
    private Session session;
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
        return session == null && nowNs >= nextAttemptNs;
    }

    long nextAttemptNs()
    {
        return session == null ? nextAttemptNs : Long.MAX_VALUE;
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
