package io.conntest.stack.dhcp;

/**
 * The DHCP client's timing: retransmission back-off (RFC 2131 §4.1), the ARP check of an offered address (RFC 5227
 * §2.1.1 constants), the pause after a decline, and a test override of T1. Immutable; {@link #defaults()} is the
 * RFCs' values, {@link #builder()} changes some.
 */
public final class DhcpConfig
{
    private static final long SECOND = 1_000_000_000L;

    final long initialRetransmitNs;
    final long maxRetransmitNs;
    final long jitterNs;
    final int maxRequestAttempts;
    final long renewRetransmitMinNs;
    final int probeCount;
    final long probeWaitNs;
    final long probeMinNs;
    final long probeMaxNs;
    final long announceWaitNs;
    final long declineWaitNs;
    final long t1OverrideSecs;
    final long seed;

    private DhcpConfig(final Builder b)
    {
        this.initialRetransmitNs = b.initialRetransmitNs;
        this.maxRetransmitNs = b.maxRetransmitNs;
        this.jitterNs = b.jitterNs;
        this.maxRequestAttempts = b.maxRequestAttempts;
        this.renewRetransmitMinNs = b.renewRetransmitMinNs;
        this.probeCount = b.probeCount;
        this.probeWaitNs = b.probeWaitNs;
        this.probeMinNs = b.probeMinNs;
        this.probeMaxNs = b.probeMaxNs;
        this.announceWaitNs = b.announceWaitNs;
        this.declineWaitNs = b.declineWaitNs;
        this.t1OverrideSecs = b.t1OverrideSecs;
        this.seed = b.seed;
    }

    public static DhcpConfig defaults()
    {
        return builder().build();
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The T1 override in seconds, or 0 when the server's (or 0.5 × lease) applies. */
    public long t1OverrideSecs()
    {
        return t1OverrideSecs;
    }

    public long seed()
    {
        return seed;
    }

    /** Builds a {@link DhcpConfig}; every value has the RFCs' default. */
    public static final class Builder
    {
        private long initialRetransmitNs = 4 * SECOND;
        private long maxRetransmitNs = 64 * SECOND;
        private long jitterNs = SECOND;
        private int maxRequestAttempts = 4;
        private long renewRetransmitMinNs = 60 * SECOND;
        private int probeCount = 3;
        private long probeWaitNs = SECOND;
        private long probeMinNs = SECOND;
        private long probeMaxNs = 2 * SECOND;
        private long announceWaitNs = 2 * SECOND;
        private long declineWaitNs = 10 * SECOND;
        private long t1OverrideSecs;
        private long seed = System.nanoTime();

        /**
         * RFC 2131 §4.1: the first retransmission after 4 s, doubling up to 64 s, each randomised by ±{@code jitter}
         * (1 s).
         */
        public Builder retransmit(final long initialNs, final long maxNs, final long jitterNs)
        {
            if (initialNs <= 0 || maxNs < initialNs || jitterNs < 0 || jitterNs >= initialNs)
            {
                throw new IllegalArgumentException("retransmission needs 0 <= jitter < initial <= max");
            }
            this.initialRetransmitNs = initialNs;
            this.maxRetransmitNs = maxNs;
            this.jitterNs = jitterNs;
            return this;
        }

        /** REQUESTs sent for one offer before starting over with DISCOVER (default 4). */
        public Builder maxRequestAttempts(final int attempts)
        {
            if (attempts < 1)
            {
                throw new IllegalArgumentException("at least one REQUEST: " + attempts);
            }
            this.maxRequestAttempts = attempts;
            return this;
        }

        /** RFC 2131 §4.4.5: in RENEWING and REBINDING, retransmit after half the time left, at least this (60 s). */
        public Builder renewRetransmitMinNs(final long ns)
        {
            if (ns <= 0)
            {
                throw new IllegalArgumentException("renew retransmission must be positive");
            }
            this.renewRetransmitMinNs = ns;
            return this;
        }

        /**
         * RFC 5227 §2.1.1: {@code count} probes (3; 0 skips the check), the first after a random wait up to
         * {@code waitNs} (1 s), then every {@code minNs}..{@code maxNs} (1..2 s), then {@code announceWaitNs}
         * (2 s) for answers.
         */
        public Builder probes(final int count, final long waitNs, final long minNs, final long maxNs,
            final long announceWaitNs)
        {
            if (count < 0 || waitNs < 0 || minNs < 0 || maxNs < minNs || announceWaitNs < 0)
            {
                throw new IllegalArgumentException("bad ARP probe timing");
            }
            this.probeCount = count;
            this.probeWaitNs = waitNs;
            this.probeMinNs = minNs;
            this.probeMaxNs = maxNs;
            this.announceWaitNs = announceWaitNs;
            return this;
        }

        /** RFC 2131 §3.1.5: after a DECLINE, wait at least ten seconds (the default) before starting again. */
        public Builder declineWaitNs(final long ns)
        {
            if (ns < 0)
            {
                throw new IllegalArgumentException("decline wait must not be negative");
            }
            this.declineWaitNs = ns;
            return this;
        }

        /**
         * Renews after {@code secs} (bounded by the server's T2) instead of the server's T1: for tests and demos
         * against servers whose shortest lease is long (dnsmasq: 2 minutes). 0 (the default) takes the server's.
         */
        public Builder t1OverrideSecs(final long secs)
        {
            if (secs < 0)
            {
                throw new IllegalArgumentException("T1 override must not be negative");
            }
            this.t1OverrideSecs = secs;
            return this;
        }

        /** Seeds the transaction ids and the randomised delays, for reproducible runs. */
        public Builder seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public DhcpConfig build()
        {
            return new DhcpConfig(this);
        }
    }
}
