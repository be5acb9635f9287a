package io.conntest.core.probe;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Runs one scan of one host: walks a {@link PortSpec}, starts probes on a {@link PortProber} no faster than the
 * rate and never more than the in-flight bound, tells the {@link ProbeListener} each result and finally the
 * {@link ProbeReport}. Stops early at the overall deadline or on {@link #cancel()}; ports never probed then are
 * counted in {@link ProbeReport#notProbed()}.
 *
 * <p>Pacing is a token bucket: {@code rate} tokens per second, holding at most 1/50 s worth (at least one), so
 * starts are spread evenly instead of in bursts.
 *
 * <p>Typical use: {@code ProbeReport report = ProbeRunner.probe(host, PortSpec.parse("22,80,U:53"),
 * ProbeOptions.DEFAULTS, listener);} which uses kernel sockets; or build a runner around another prober and call
 * {@link #run()} on the calling thread or {@link #start()} for a thread of its own. A runner runs once.
 */
public final class ProbeRunner
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final PortProber prober;
    private final InetAddress host;
    private final PortSpec ports;
    private final ProbeOptions options;
    private final ProbeListener listener;
    private final boolean ownsProber;
    private final int[] counts = new int[PortState.values().length];
    private final ProbeCallback tally = this::onProbeResult;
    private volatile boolean cancelled;
    private boolean used;
    private int delivered;
    /** The UDP port of a conntest listener on the host to ask about the unanswered probes; 0: none. */
    private int confirmPort;
    /** Unanswered results held back for the peer's word ({@link #confirmWith}). */
    private final java.util.List<ProbeResult> held = new java.util.ArrayList<>();

    /**
     * @param prober   does the probing; the runner drives it from its thread but does not close it (see
     *                 {@link #kernel} for a runner that owns its prober)
     * @param host     the host to scan
     * @param ports    the targets
     * @param options  pacing and timeouts
     * @param listener told every result and the report
     */
    public ProbeRunner(final PortProber prober, final InetAddress host, final PortSpec ports,
        final ProbeOptions options, final ProbeListener listener)
    {
        this(prober, false, host, ports, options, listener);
    }

    private ProbeRunner(final PortProber prober, final boolean ownsProber, final InetAddress host,
        final PortSpec ports, final ProbeOptions options, final ProbeListener listener)
    {
        this.ownsProber = ownsProber;
        this.prober = Objects.requireNonNull(prober, "prober");
        this.host = Objects.requireNonNull(host, "host");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Scans {@code host} with kernel sockets on the calling thread and returns when done.
     *
     * @return the report, also given to {@link ProbeListener#onDone}
     */
    public static ProbeReport probe(final InetAddress host, final PortSpec ports, final ProbeOptions options,
        final ProbeListener listener)
    {
        return kernel(host, ports, options, listener).run();
    }

    /**
     * A runner on its own {@link KernelPortProber}, which {@link #run()} closes when it ends. Use it when the scan
     * must be cancellable (Ctrl-C: call {@link #cancel()} from the signal handler) or run on another thread.
     * A runner that is never run keeps the prober's selector open: run it.
     */
    public static ProbeRunner kernel(final InetAddress host, final PortSpec ports, final ProbeOptions options,
        final ProbeListener listener)
    {
        return new ProbeRunner(KernelPortProber.create(options), true, host, ports, options, listener);
    }

    /**
     * Starts {@link #run()} on a new daemon thread named {@code conntest-probe}; join it, or {@link #cancel()}.
     * Exceptions from the run go to the thread's uncaught-exception handler.
     */
    public Thread start()
    {
        final Thread thread = new Thread(this::run, "conntest-probe");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * After the scan, asks the conntest UDP listener at {@code udpPort} on the host which of the probes that got no
     * answer arrived there ({@link PeerArrivals}); their results are told once it has answered. Returns this runner.
     */
    public ProbeRunner confirmWith(final int udpPort)
    {
        if (udpPort < 1 || udpPort > 65535)
        {
            throw new IllegalArgumentException("confirm port " + udpPort + " out of range 1-65535");
        }
        this.confirmPort = udpPort;
        return this;
    }

    /** Asks the scan to stop soon; any thread may call it. In-flight probes are abandoned, not reported. */
    public void cancel()
    {
        cancelled = true;
        prober.wakeup();
    }

    /**
     * Runs the scan to its end on the calling thread.
     *
     * @return the report, after {@link ProbeListener#onDone} has seen it
     * @throws IllegalStateException when this runner has run before
     */
    public ProbeReport run()
    {
        synchronized (this)
        {
            if (used)
            {
                throw new IllegalStateException("a ProbeRunner runs once");
            }
            used = true;
        }
        final int maxInFlight = Math.min(options.maxInFlight(), prober.capacity());
        final int rate = options.ratePerSecond();
        final double burst = rate == 0 ? Double.MAX_VALUE : Math.max(1.0, rate / 50.0);
        final long startNs = System.nanoTime();
        final long deadlineNs = options.maxDurationNs() == 0 ? Long.MAX_VALUE : startNs + options.maxDurationNs();
        final PortSpec.Cursor cursor = ports.cursor();
        boolean more = cursor.next();
        int started = 0;
        double tokens = rate == 0 ? Double.MAX_VALUE : 1.0;
        long refillNs = startNs;
        ProbeReport.Completion completion = ProbeReport.Completion.COMPLETE;
        int notProbed = 0;
        try
        {
            while (true)
            {
                long nowNs = System.nanoTime();
                prober.poll(nowNs);
                if (!more && started == delivered)
                {
                    break;
                }
                if (cancelled || nowNs - deadlineNs >= 0)
                {
                    completion = cancelled ? ProbeReport.Completion.CANCELLED : ProbeReport.Completion.DEADLINE;
                    notProbed = prober.cancelAll() + (more ? 1 + cursor.skipRemaining() : 0);
                    break;
                }
                if (rate != 0)
                {
                    tokens = Math.min(burst, tokens + (nowNs - refillNs) * (double)rate / NANOS_PER_SECOND);
                    refillNs = nowNs;
                }
                while (more && started - delivered < maxInFlight && tokens >= 1.0)
                {
                    final ProbeProtocol protocol = cursor.protocol();
                    prober.start(protocol, host, cursor.port(), options.timeoutNs(), options.attempts(protocol),
                        nowNs, tally);
                    started++;
                    tokens -= 1.0;
                    more = cursor.next();
                }
                nowNs = System.nanoTime();
                long wakeNs = Math.min(prober.nextDeadlineNs(), deadlineNs);
                if (more && started - delivered < maxInFlight && rate != 0)
                {
                    wakeNs = Math.min(wakeNs, nowNs + (long)((1.0 - tokens) * NANOS_PER_SECOND / rate) + 1);
                }
                prober.awaitWork(wakeNs - nowNs);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            prober.cancelAll();
            closeIfOwned();
            throw ex;
        }
        try
        {
            // the unanswered probes' results wait for the peer's word (the question leaves from the prober)
            if (!held.isEmpty() && !cancelled)
            {
                for (final ProbeResult r : new PeerArrivals(prober, host, confirmPort, options.timeoutNs())
                    .confirm(held))
                {
                    tell(r);
                }
            }
            else
            {
                held.forEach(this::tell);
            }
            held.clear();
        }
        finally
        {
            closeIfOwned();
        }
        final ProbeReport report = new ProbeReport(host, counts, notProbed, System.nanoTime() - startNs, completion);
        listener.onDone(report);
        return report;
    }

    private void closeIfOwned()
    {
        if (ownsProber)
        {
            prober.close();
        }
    }

    private void onProbeResult(final ProbeResult result)
    {
        delivered++;
        if (confirmPort != 0 && PeerArrivals.unanswered(result))
        {
            held.add(result); // told after the peer's word
            return;
        }
        tell(result);
    }

    private void tell(final ProbeResult result)
    {
        counts[result.state().ordinal()]++;
        listener.onResult(result);
    }
}
