package io.conntest.cli.options;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.ListenSpec;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The instance options of {@code conntest}: who it is, what it listens on and connects to, for how long. */
public final class InstanceOptions
{
    @Option(names = "--name", paramLabel = "NAME", description = "This instance's name, told to its peers "
        + "(required).")
    String name;

    @Option(names = "--listen", paramLabel = "PROTO:PORT", converter = Converters.ListenConverter.class,
        description = "Accept conntest peers on tcp:PORT or udp:PORT (repeatable; PROTO:ADDR:PORT binds one "
            + "address). With --tap also udp:PORT?service=echo|discard and tcp:PORT?service=echo|discard|source, "
            + "beside conntest listeners and peers; tcp:PORT?service=iperf3 (kernel or --tap) serves iperf3 3.x "
            + "clients (docs/iperf3.md).")
    List<ListenSpec> listens = new ArrayList<>();

    @Option(names = "--connect", paramLabel = "URI", converter = Converters.ConnectConverter.class,
        description = "Connect to a peer (repeatable): tcp://HOST:PORT or udp://HOST:PORT, with options "
            + "?monitor-bandwidth&packet-size=N[B|KB|MB]&verify&bandwidth-bytes=N&bandwidth-duration=T"
            + "&latency-interval=T&bandwidth=turn|up|down|duplex&rate=R (bit/s, e.g. 100M); udp only: "
            + "&nat-test (measure the NAT on the way once) and &nat-test-max=T (longest binding gap tried, "
            + "default 60s).")
    List<ConnectSpec> connects = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = Converters.DurationConverter.class,
        description = "A connection (or attempt) without progress for this long is closed and retried "
            + "(default: 5; units ms, s, m allowed).")
    Duration timeout;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Stop after this long (e.g. 30s); default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--metrics", paramLabel = "ADDR:PORT", converter = Converters.MetricsAddressConverter.class,
        description = "Serve Prometheus/OpenMetrics metrics at http://ADDR:PORT/metrics on the host's kernel "
            + "sockets (e.g. 127.0.0.1:9464; 0.0.0.0:9464 for a fleet; docs/metrics.md).")
    MetricsAddress metrics;

    @Option(names = "--metrics-on-stack", paramLabel = "PORT", description = "With --tap: serve the same metrics "
        + "at http://STACK-ADDRESS:PORT/metrics on the own stack, so they are scraped over the network under test "
        + "(alone or beside --metrics; docs/metrics.md).")
    Integer metricsOnStack;

    @Option(names = "--ignore-unreached", description = "Exit 0 after a clean stop even when a peer was never "
        + "reached or ended failing (for monitors meant to run through outages; default: exit 3 then).")
    boolean ignoreUnreached;

    @Option(names = "--busy-poll", description = "Never sleep between I/O checks: the lowest latency at the cost "
        + "of one core at 100 %% (for benchmarks).")
    boolean busyPoll;

    @Option(names = {"-v", "--verbose"}, description = "With --tap: log the counters every second.")
    boolean verbose;

    @Option(names = "--trace", description = "With --tap: log one line per frame (slow; for debugging).")
    boolean trace;

    /** {@code --name}, or null when not given. */
    public String name()
    {
        return name;
    }

    public List<ListenSpec> listens()
    {
        return listens;
    }

    public List<ConnectSpec> connects()
    {
        return connects;
    }

    /** {@code --timeout}, or null for the default. */
    public Duration timeout()
    {
        return timeout;
    }

    /** {@code --duration}, or null for no limit. */
    public Duration duration()
    {
        return duration;
    }

    /** {@code --metrics}, or null when no metrics endpoint is asked for. */
    public MetricsAddress metrics()
    {
        return metrics;
    }

    /** {@code --metrics-on-stack}: the TCP port on the own stack, or null when not asked for. */
    public Integer metricsOnStack()
    {
        return metricsOnStack;
    }

    public boolean ignoreUnreached()
    {
        return ignoreUnreached;
    }

    public boolean busyPoll()
    {
        return busyPoll;
    }

    public boolean verbose()
    {
        return verbose;
    }

    public boolean trace()
    {
        return trace;
    }
}
