package io.conntest.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.conntest.core.protocol.ProtocolLimits;

/**
 * Everything an engine runs with. Immutable; build with {@link #builder(String)}. Times in nanoseconds.
 *
 * @param instanceName          this instance's name, sent in HELLO (at most 255 UTF-8 bytes)
 * @param listens               ports to listen on
 * @param connects              peers to connect to
 * @param timeoutNs             a connection making no progress for this long is closed (default 5 s, as the seed)
 * @param connectTimeoutNs      a connection attempt not established within this is a timeout failure
 * @param retryInitialNs        first reconnect delay (default 1 s)
 * @param retryMaxNs            cap of the backed-off reconnect delay (default 8 s)
 * @param retryMultiplier       backoff factor per consecutive failure (default 2)
 * @param latencyIntervalNs     pause between latency probes (default 200 ms)
 * @param latencyProbesPerRound idle probes between two bandwidth tests (default 5; probes during a test go on but
 *                              do not count)
 * @param publishIntervalNs     how often a snapshot is published (default 250 ms)
 * @param busyPoll              never sleep between duty cycles: the lowest latency, one core at 100 % (benchmarks)
 * @param tracePackets          emit a {@code PACKET} event per control frame and per test's first and last DATA
 *                              frame (for the log output; allocates, so off by default)
 */
public record EngineConfig(
    String instanceName,
    List<ListenSpec> listens,
    List<ConnectSpec> connects,
    long timeoutNs,
    long connectTimeoutNs,
    long retryInitialNs,
    long retryMaxNs,
    double retryMultiplier,
    long latencyIntervalNs,
    int latencyProbesPerRound,
    long publishIntervalNs,
    boolean tracePackets,
    boolean busyPoll)
{
    public EngineConfig
    {
        if (instanceName == null || instanceName.isEmpty())
        {
            throw new IllegalArgumentException("an instance name is required");
        }
        if (instanceName.getBytes(StandardCharsets.UTF_8).length > ProtocolLimits.MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException("instance name longer than " + ProtocolLimits.MAX_NAME_BYTES + " bytes");
        }
        listens = List.copyOf(listens);
        connects = List.copyOf(connects);
        if (timeoutNs <= 0 || connectTimeoutNs <= 0 || retryInitialNs <= 0 || retryMaxNs < retryInitialNs ||
            retryMultiplier < 1.0 || latencyIntervalNs < 0 || latencyProbesPerRound < 1 || publishIntervalNs <= 0)
        {
            throw new IllegalArgumentException("bad engine timing configuration");
        }
    }

    public static Builder builder(final String instanceName)
    {
        return new Builder(instanceName);
    }

    /** Builder with the defaults above. */
    public static final class Builder
    {
        private final String instanceName;
        private final List<ListenSpec> listens = new ArrayList<>();
        private final List<ConnectSpec> connects = new ArrayList<>();
        private long timeoutNs = 5_000_000_000L;
        private long connectTimeoutNs = 5_000_000_000L;
        private long retryInitialNs = 1_000_000_000L;
        private long retryMaxNs = 8_000_000_000L;
        private double retryMultiplier = 2.0;
        private long latencyIntervalNs = 200_000_000L;
        private int latencyProbesPerRound = 5;
        private long publishIntervalNs = 250_000_000L;
        private boolean tracePackets;
        private boolean busyPoll;

        private Builder(final String instanceName)
        {
            this.instanceName = instanceName;
        }

        public Builder listen(final ListenSpec spec)
        {
            if (!spec.isEngineService())
            {
                throw new IllegalArgumentException("--listen " + spec + ": a plain service is the stack's, not the "
                    + "engine's");
            }
            listens.add(spec);
            return this;
        }

        public Builder connect(final ConnectSpec spec)
        {
            connects.add(spec);
            return this;
        }

        /** Progress timeout, and the connect timeout too unless set separately afterwards. */
        public Builder timeoutNs(final long value)
        {
            timeoutNs = value;
            connectTimeoutNs = value;
            return this;
        }

        public Builder connectTimeoutNs(final long value)
        {
            connectTimeoutNs = value;
            return this;
        }

        public Builder retry(final long initialNs, final long maxNs, final double multiplier)
        {
            retryInitialNs = initialNs;
            retryMaxNs = maxNs;
            retryMultiplier = multiplier;
            return this;
        }

        public Builder latency(final long intervalNs, final int probesPerRound)
        {
            latencyIntervalNs = intervalNs;
            latencyProbesPerRound = probesPerRound;
            return this;
        }

        public Builder publishIntervalNs(final long value)
        {
            publishIntervalNs = value;
            return this;
        }

        public Builder tracePackets(final boolean value)
        {
            tracePackets = value;
            return this;
        }

        /** Spin instead of waiting for I/O or a deadline (see {@link EngineConfig#busyPoll()}). */
        public Builder busyPoll(final boolean value)
        {
            busyPoll = value;
            return this;
        }

        public EngineConfig build()
        {
            return new EngineConfig(instanceName, listens, connects, timeoutNs, connectTimeoutNs, retryInitialNs,
                retryMaxNs, retryMultiplier, latencyIntervalNs, latencyProbesPerRound, publishIntervalNs, tracePackets,
                busyPoll);
        }
    }
}
