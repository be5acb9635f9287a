package io.conntest.cli.probe;

import io.conntest.cli.exit.ConfigurationFailure;
import io.conntest.cli.metrics.MetricsEndpoint;
import io.conntest.cli.metrics.ProbeMetrics;
import io.conntest.cli.options.Converters;
import io.conntest.cli.options.MetricsAddress;
import io.conntest.cli.run.CommandContext;
import io.conntest.cli.options.NetworkOptions;
import io.conntest.cli.run.TapStack;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.core.transport.stack.StackPortProber;
import io.conntest.cli.options.UiMode;
import io.conntest.cli.ui.LogFile;
import io.conntest.cli.run.RunControl;
import io.conntest.core.probe.ConntestUdpHello;
import io.conntest.core.probe.PortSpec;
import io.conntest.core.probe.ProbeOptions;
import io.conntest.core.probe.ProbeListener;
import io.conntest.core.probe.ProbeReport;
import io.conntest.core.probe.ProbeResult;
import io.conntest.core.probe.ProbeRunner;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code conntest probe HOST PORTS}: which ports of HOST answer, nmap style (port syntax, states, reasons), from
 * the kernel's sockets or ({@code --tap}) from the own stack on a TAP. Exit code: 0 when a port is open, 1 when none is, 2 for a usage error.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = io.conntest.cli.options.VersionProvider.class,
    description = "Probe the ports of HOST from this position, as nmap does: open, closed, filtered, "
        + "open|filtered with the reason (syn-ack, conn-refused, no-response, port-unreach, ...).",
    footer = {
        "",
        "Ports use nmap's syntax: 22,80,1000-2000, -1024, 60000-, '-' (all), T: and U: prefixes (T:22,U:53),",
        "as PORTS or with -p. Output as nmap's: sorted, a state with more than 25 ports collapsed into 'Not shown:'.",
        "Examples:",
        "  conntest probe 127.0.0.1 22,80,443",
        "  conntest probe 10.0.0.3 -p T:1-1024,U:53,123 --open --reason",
        "  conntest probe 10.0.0.3 -p- --rate 500 --ui json",
        "Exit status: 0 when a port is open, 1 when none is, 2 on a usage error."
    })
public final class ProbeCommand implements Callable<Integer>
{
    @ParentCommand
    private CommandContext parent;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST", description = "The host to probe (name or IPv4 address).")
    private String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORTS",
        description = "The ports, nmap syntax (TCP unless U:); or -p.")
    private String ports;

    @Option(names = {"-p", "--ports"}, paramLabel = "PORTS", description = "The ports, as nmap's -p: "
        + "-p 22,80,1000-1100,U:53,T:80; -p- for all TCP ports.")
    private String portsOption;

    @Option(names = "--open", description = "List only open (and open|filtered) ports, as nmap's --open.")
    private boolean openOnly;

    @Option(names = "--reason", description = "Add the REASON and ATTEMPTS columns, as nmap's --reason.")
    private boolean reasons;

    @Option(names = "--all-ports", description = "Never collapse a state into 'Not shown:' (nmap collapses a "
        + "state with more than 25 ports).")
    private boolean allPorts;

    @Option(names = "--rate", paramLabel = "N", description = "Probes started per second, 0 = unlimited "
        + "(default: 1000).")
    private Integer rate;

    @Option(names = "--max-in-flight", paramLabel = "N", description = "Probes outstanding at once, 1..4096 "
        + "(default: 100).")
    private Integer maxInFlight;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Wait per attempt (default: 1s).")
    private Duration timeout;

    @Option(names = "--max-duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Stop the scan after this long; ports not reached are counted as not probed.")
    private Duration maxDuration;

    @Option(names = "--confirm-with", paramLabel = "UDPPORT", description = "After the scan, ask the conntest UDP "
        + "listener at this port of HOST which of the probes that got no answer arrived there: a probe dropped on "
        + "the way there is told from an answer dropped on the way back (the listener must run on conntest's own "
        + "stack, which sees every packet for its address; one on kernel sockets says it cannot tell).")
    private Integer confirmWith;

    @Option(names = "--metrics", paramLabel = "ADDR:PORT", converter = Converters.MetricsAddressConverter.class,
        description = "Serve the last scan's results for Prometheus at http://ADDR:PORT/metrics (kernel sockets) "
            + "and scan again every --every until stopped (Ctrl-C, SIGTERM) or --scans are done (docs/metrics.md).")
    private MetricsAddress metrics;

    @Option(names = "--every", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "With --metrics: pause between the end of a scan and the next (default: 60s; at least 1s).")
    private Duration every;

    @Option(names = "--scans", paramLabel = "N", description = "With --metrics: stop after N scans (default: "
        + "until stopped).")
    private Integer scans;

    @ArgGroup(validate = false, heading = "%nNetwork (kernel sockets unless --tap):%n")
    private NetworkOptions network = new NetworkOptions();

    @Option(names = "--ui", paramLabel = "tui|log|text|json", converter = Converters.UiConverter.class,
        description = "json: a JSON line per port and a summary; the others print nmap's table (default).")
    private UiMode ui;

    @Option(names = "--logfile", paramLabel = "FILE", description = "Write the output to FILE (appending).")
    private Path logfile;

    private LogFile logFile;

    private static final Duration DEFAULT_EVERY = Duration.ofSeconds(60);

    @Override
    public Integer call()
    {
        if (ports != null && portsOption != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "ports given twice: as PORTS '" + ports + "' and with -p '" + portsOption + "'; give one");
        }
        if (ports == null && portsOption == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "no ports given: add PORTS or -p, e.g. conntest probe " + host + " -p 22,80,U:53");
        }
        final PortSpec portSpec;
        try
        {
            portSpec = PortSpec.parse(ports != null ? ports : portsOption);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        // A UDP port with a conntest listener answers this handshake: open conntest-hello.
        final ConntestUdpHello hello = new ConntestUdpHello(new SecureRandom().nextLong());
        ProbeOptions options = ProbeOptions.DEFAULTS.withUdpProbe(hello.payload(), hello);
        if (rate != null)
        {
            requireRange("--rate", rate, 0, 1_000_000);
            options = options.withRatePerSecond(rate);
        }
        if (maxInFlight != null)
        {
            requireRange("--max-in-flight", maxInFlight, 1, ProbeOptions.MAX_IN_FLIGHT_LIMIT);
            options = options.withMaxInFlight(maxInFlight);
        }
        if (timeout != null)
        {
            if (timeout.isZero() || timeout.isNegative())
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive, got "
                    + timeout.toMillis() + " ms");
            }
            options = options.withTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (maxDuration != null)
        {
            if (maxDuration.isNegative())
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-duration must not be negative");
            }
            options = options.withMaxDuration(maxDuration.toNanos(), TimeUnit.NANOSECONDS);
        }
        checkMetricsOptions();
        if (confirmWith != null && (confirmWith < 1 || confirmWith > 65535))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--confirm-with " + confirmWith
                + " is not a port (1 to 65535)");
        }
        final String tapOnly = network.tapOnlyOptionWithoutTap();
        if (tapOnly != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), tapOnly + " needs --tap IFNAME");
        }
        final TapStack tapStack = network.tap() == null ? null : TapStack.from(network, null);
        if (tapStack != null && tapStack.ipv4().isDhcp())
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "probe --tap takes a static --ipv4 ADDR/PREFIX (--ipv4 dhcp is for the engine and the stack alone)");
        }
        final InetAddress address;
        try
        {
            address = InetAddress.getByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot resolve host '" + host
                + "': the name does not resolve (no such host, or no DNS answer)");
        }
        if (confirmWith != null && address instanceof java.net.Inet6Address)
        {
            // the arrivals question is a NAT probe, which conntest's listeners answer over IPv4 only (issue 13)
            throw new CommandLine.ParameterException(spec.commandLine(), "--confirm-with asks over IPv4 only: "
                + io.conntest.core.transport.HostText.of(address) + " is an IPv6 address");
        }
        // The TAP is opened before any output, so a failure is a plain one-line error (exit 1).
        final StackHost host = tapStack == null ? null : tapStack.openHost(java.util.List.of());
        if (host != null)
        {
            // an IPv6 target needs a configured address past DAD: probes sent before would have no source
            io.conntest.cli.run.Ipv6DadWait.await(host, tapStack.ipv6(), io.conntest.cli.run.Ipv6DadWait.TIMEOUT_NS);
        }
        final StackPortProber stackProber = host == null ? null : new StackPortProber(host, true, options);
        final PrintStream out;
        try
        {
            out = openTarget();
        }
        catch (final RuntimeException ex)
        {
            if (stackProber != null)
            {
                stackProber.close();
            }
            throw ex;
        }
        final ProbeOutput output = ui == UiMode.JSON ? ProbeOutput.json(out)
            : ProbeOutput.text(out, new ProbeTable(reasons, openOnly, !allPorts));
        final ProbeMetrics results = metrics == null ? null : new ProbeMetrics(this.host, io.conntest.core.transport.HostText.of(address),
            portSpec.count() <= ProbeMetrics.MAX_PORT_SERIES);
        final ProbeListener listener = results == null ? output : both(output, results);
        final AtomicReference<ProbeRunner> running = new AtomicReference<>();
        ProbeReport report = null;
        final MetricsEndpoint served;
        try
        {
            served = results == null ? null : startMetrics(results);
        }
        catch (final RuntimeException ex)
        {
            if (stackProber != null)
            {
                stackProber.close();
            }
            throw ex;
        }
        try (MetricsEndpoint endpoint = served;
            RunControl control = parent == null ? RunControl.withSignals() : parent.control())
        {
            final Thread watcher = new Thread(() ->
            {
                control.await(Long.MAX_VALUE);
                final ProbeRunner r = running.get();
                if (r != null)
                {
                    r.cancel();
                }
            }, "conntest-probe-cancel");
            watcher.setDaemon(true);
            watcher.start();
            try
            {
                for (int scan = 1; control.stopReason() == null; scan++)
                {
                    output.onStart(address, portSpec, options, host == null ? "kernel" : "tap", host == null
                        ? List.of() : tapStack.describe(host.stack().iface().mac(), host.device().offloads()));
                    if (stackProber != null)
                    {
                        // as nmap's ARP/ICMP ping before a scan on the link: the first probes then measure the path
                        output.onPing(stackProber.ping(address, options.timeoutNs()));
                    }
                    final ProbeRunner runner = stackProber == null
                        ? ProbeRunner.kernel(address, portSpec, options, listener)
                        : new ProbeRunner(stackProber, address, portSpec, options, listener);
                    if (confirmWith != null)
                    {
                        runner.confirmWith(confirmWith);
                    }
                    running.set(runner);
                    if (control.stopReason() != null)
                    {
                        runner.cancel(); // a stop that came before the runner was known
                    }
                    report = runner.run();
                    if (results == null || (scans != null && scan >= scans)
                        || report.completion() == ProbeReport.Completion.CANCELLED)
                    {
                        break;
                    }
                    control.await(System.nanoTime() + (every == null ? DEFAULT_EVERY : every).toNanos());
                }
            }
            finally
            {
                control.requestStop("done");
                if (stackProber != null)
                {
                    stackProber.close();
                }
                if (logFile != null)
                {
                    logFile.close(); // a write error (a full disk, /dev/full) is exit 1
                }
            }
        }
        // the last scan's verdict; stopped before any scan ended: nothing was found open
        return report == null ? 1 : report.exitCode();
    }

    /** --every and --scans go with --metrics; a repeated scan needs a pause of at least a second. */
    private void checkMetricsOptions()
    {
        if (metrics == null && (every != null || scans != null))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), (every != null ? "--every" : "--scans")
                + " repeats scans for --metrics; add --metrics ADDR:PORT");
        }
        if (every != null && every.toMillis() < 1000)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--every " + every.toMillis()
                + "ms is shorter than 1s");
        }
        if (scans != null && scans < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scans " + scans + " must be at least 1");
        }
    }

    /** The endpoint; an address that cannot be bound ends the command (exit 1). */
    private MetricsEndpoint startMetrics(final ProbeMetrics results)
    {
        try
        {
            return MetricsEndpoint.start(metrics.host(), metrics.port(), List.of(results));
        }
        catch (final UncheckedIOException ex)
        {
            throw new ConfigurationFailure("--metrics " + metrics + ": cannot serve there: "
                + ex.getCause().getMessage());
        }
    }

    /** Tells {@code a} then {@code b} every result and the report. */
    private static ProbeListener both(final ProbeListener a, final ProbeListener b)
    {
        return new ProbeListener()
        {
            @Override
            public void onResult(final ProbeResult result)
            {
                a.onResult(result);
                b.onResult(result);
            }

            @Override
            public void onDone(final ProbeReport report)
            {
                a.onDone(report);
                b.onDone(report);
            }
        };
    }

    private void requireRange(final String option, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + value + " out of range "
                + min + "-" + max);
        }
    }

    private PrintStream stdout()
    {
        return parent == null ? System.out : parent.out();
    }

    private PrintStream openTarget()
    {
        if (logfile == null)
        {
            return stdout();
        }
        logFile = LogFile.open(logfile, parent == null ? System.err : parent.err());
        return logFile.stream();
    }
}
