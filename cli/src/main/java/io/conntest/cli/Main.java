package io.conntest.cli;

import io.conntest.cli.lab.LabCommand;
import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.options.ListenSpec;
import io.conntest.cli.probe.ProbeCommand;
import io.conntest.cli.run.EngineRun;
import io.conntest.cli.run.EventLog;
import io.conntest.cli.run.InstanceSettings;
import io.conntest.cli.run.RunControl;
import io.conntest.cli.run.StackInstance;
import io.conntest.cli.run.TapStack;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.core.transport.stack.StackTransport;
import io.conntest.cli.ui.InstanceInfo;
import io.conntest.cli.ui.Output;
import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.Engine;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.tap.TapDevice;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The {@code conntest} command: an instance that listens for and connects to other instances (the engine on the
 * kernel's sockets, or with {@code --tap} on the own stack), with the outputs tui/log/text/json; the subcommands
 * {@code probe} (ports, nmap style) and {@code lab} (a mesh of instances in a private namespace). Exit codes: 0
 * clean stop, 1 runtime failure, 2 usage error (see {@link Failures}).
 */
@Command(
    name = "conntest",
    mixinStandardHelpOptions = true,
    versionProvider = io.conntest.cli.options.VersionProvider.class,
    sortOptions = false,
    subcommands = {ProbeCommand.class, LabCommand.class},
    synopsisSubcommandLabel = "[probe | lab]",
    usageHelpWidth = 100,
    description = {
        "A connection tester: every instance is a server and a client of other instances over TCP or UDP, one "
            + "connection per pair, measuring latency, bandwidth and UDP loss, and reconnecting by itself. Runs on the "
            + "kernel's sockets or (--tap) on its own TCP/IP stack, seeing the network as a unikernel does.",
        ""
    },
    footer = {
        "",
        "Examples:",
        "  conntest --name receiver --listen tcp:1234",
        "  conntest --name sender --connect 'tcp://127.0.0.1:1234?monitor-bandwidth&packet-size=5mb'",
        "  conntest --name sender --ui json --interval 2s --duration 30s \\",
        "           --connect 'udp://127.0.0.1:1234?monitor-bandwidth&packet-size=1400&verify'",
        "  conntest --name miav0 --tap tap100 --ipv4 10.0.0.2/24 --listen tcp:1234",
        "  conntest --name a --tap tap100 --ipv4 10.0.0.2/24 --listen 'udp:7?service=echo'",
        "  conntest probe 127.0.0.1 22,80,8000-8100,U:53",
        "  conntest lab                    (a mesh of 3 instances in a private namespace, 30 s)",
        "",
        "Exit status: 0 after a clean stop (Ctrl-C, SIGTERM, q, --duration), 1 on a runtime failure, 2 on a usage "
            + "error. conntest probe: 0 when a port is open, 1 when none is.",
    })
public final class Main implements Callable<Integer>
{
    /** The instance options. */
    static final class InstanceOptions
    {
        @Option(names = "--name", paramLabel = "NAME", description = "This instance's name, told to its peers "
            + "(required).")
        String name;

        @Option(names = "--listen", paramLabel = "PROTO:PORT", converter = Converters.ListenConverter.class,
            description = "Accept conntest peers on tcp:PORT or udp:PORT (repeatable; PROTO:ADDR:PORT binds one "
                + "address). With --tap also udp:PORT?service=echo|discard and tcp:PORT?service=echo|discard|source.")
        List<ListenSpec> listens = new ArrayList<>();

        @Option(names = "--connect", paramLabel = "URI", converter = Converters.ConnectConverter.class,
            description = "Connect to a peer (repeatable): tcp://HOST:PORT or udp://HOST:PORT, with options "
                + "?monitor-bandwidth&packet-size=N[B|KB|MB]&verify&bandwidth-bytes=N&bandwidth-duration=T"
                + "&latency-interval=T.")
        List<ConnectSpec> connects = new ArrayList<>();

        @Option(names = "--timeout", paramLabel = "SECONDS", converter = Converters.DurationConverter.class,
            description = "A connection (or attempt) without progress for this long is closed and retried "
                + "(default: 5; units ms, s, m allowed).")
        Duration timeout;

        @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Stop after this long (e.g. 30s); default: until Ctrl-C.")
        Duration duration;

        @Option(names = "--busy-poll", description = "Never sleep between I/O checks: the lowest latency at the cost "
            + "of one core at 100 % (for benchmarks).")
        boolean busyPoll;

        @Option(names = {"-v", "--verbose"}, description = "With --tap: log the counters every second.")
        boolean verbose;

        @Option(names = "--trace", description = "With --tap: log one line per frame (slow; for debugging).")
        boolean trace;
    }

    @Spec
    private CommandSpec spec;

    @ArgGroup(validate = false, heading = "%nInstance:%n", order = 1)
    InstanceOptions instance = new InstanceOptions();

    @ArgGroup(validate = false, heading = "%nNetwork (kernel sockets unless --tap):%n", order = 2)
    NetworkOptions network = new NetworkOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 3)
    OutputOptions output = new OutputOptions();

    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private boolean signals = true;

    public static void main(final String[] args)
    {
        // --connect names are looked up again at every attempt (a peer's address may change while we retry): no
        // positive or negative cache of the JVM's in between. Set before the first lookup reads the policy.
        java.security.Security.setProperty("networkaddress.cache.ttl", "0");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line and returns its exit code, printing to {@code out} and {@code err}. */
    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        return run(out, err, out == System.out, args);
    }

    /**
     * As {@link #run(PrintStream, PrintStream, String...)}; {@code signals} false leaves Ctrl-C/SIGTERM alone
     * (tests in one JVM).
     */
    public static int run(final PrintStream out, final PrintStream err, final boolean signals, final String... args)
    {
        final Main main = new Main();
        main.out = out;
        main.err = err;
        main.signals = signals;
        final PrintWriter errWriter = new PrintWriter(err, true);
        final CommandLine commandLine = new CommandLine(main)
            .setOut(new PrintWriter(out, true))
            .setErr(errWriter)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler((ex, arguments) ->
            {
                ex.getCommandLine().getErr().println(Failures.usageLine(ex.getMessage()));
                ex.getCommandLine().getErr().flush();
                return Failures.USAGE;
            })
            .setExecutionExceptionHandler((ex, cmd, parseResult) -> Failures.report(ex, cmd.getErr()));
        commandLine.getSubcommands().values().forEach(sub -> sub.setOut(new PrintWriter(out, true)));
        return commandLine.execute(args);
    }

    /** The output stream of this run, for subcommands. */
    public PrintStream out()
    {
        return out;
    }

    /** The diagnostics stream of this run, for subcommands. */
    public PrintStream err()
    {
        return err;
    }

    /** A run control for this run: with signal handlers unless run from a test. */
    public RunControl control()
    {
        return signals ? RunControl.withSignals() : RunControl.withoutSignals();
    }

    /** Opens the output the options ask for. */
    public Output openOutput(final OutputOptions options, final RunControl control)
    {
        return Outputs.create(options, out, err, () -> control.requestStop("q"));
    }

    @Override
    public Integer call()
    {
        if (instance.name == null)
        {
            throw new ParameterException(spec.commandLine(),
                "missing --name NAME (see the examples in conntest --help)");
        }
        if (output.interval != null && output.interval.toMillis() < 100)
        {
            throw new ParameterException(spec.commandLine(), "--interval " + output.interval.toMillis()
                + "ms is shorter than 100ms");
        }
        if (instance.timeout != null && instance.timeout.toMillis() < 1)
        {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive");
        }
        // On --tap, an instance with only echo/discard services (or nothing: it still answers ping) is the stack
        // alone; anything with a conntest listener or peer runs the engine on the stack.
        final boolean servicesOnly = instance.connects.isEmpty()
            && instance.listens.stream().allMatch(l -> l.service() != ListenSpec.Service.CONNTEST);
        return network.tap != null && servicesOnly ? runOnTap() : runEngine();
    }

    /** The engine on the kernel's sockets, or with --tap on the own stack. */
    private int runEngine()
    {
        final String tapOnly = network.tapOnlyOptionWithoutTap();
        if (tapOnly != null)
        {
            throw new ParameterException(spec.commandLine(), tapOnly + " needs --tap IFNAME (without it conntest "
                + "uses the kernel's sockets)");
        }
        final PrintStream traceTo = err;
        final TapStack tapStack = network.tap == null ? null : network.tapStack(spec.commandLine(),
            instance.trace ? line -> traceTo.println("trace: " + line) : null);
        if (instance.listens.isEmpty() && instance.connects.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "nothing to do: give --listen PROTO:PORT and/or "
                + "--connect URI");
        }
        final Set<String> seen = new HashSet<>();
        final EngineConfig.Builder config = EngineConfig.builder(instance.name);
        for (final ListenSpec l : instance.listens)
        {
            if (l.service() != ListenSpec.Service.CONNTEST)
            {
                throw new ParameterException(spec.commandLine(), "--listen " + l + (tapStack == null
                    ? ": services run on the own stack only (add --tap IFNAME)"
                    : ": services (echo, discard, source) and conntest listeners or peers do not mix; run two instances"));
            }
            if (!seen.add(l.protocol() + ":" + l.port()))
            {
                throw new ParameterException(spec.commandLine(), "--listen " + l + ": port " + l.port()
                    + " is given twice");
            }
            config.listen(new io.conntest.core.engine.ListenSpec(TransportProtocol.parse(l.protocol()), l.host(),
                l.port()));
        }
        instance.connects.forEach(config::connect);
        if (instance.timeout != null)
        {
            config.timeoutNs(instance.timeout.toNanos());
        }
        final long intervalNs = Outputs.intervalNs(output);
        config.publishIntervalNs(Math.min(250_000_000L, intervalNs));
        config.tracePackets(Outputs.mode(output, out) == io.conntest.cli.options.UiMode.LOG);
        config.busyPoll(instance.busyPoll);
        final EngineConfig engineConfig;
        try
        {
            engineConfig = config.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--name '" + instance.name + "': " + ex.getMessage());
        }
        final List<String> listens = new ArrayList<>();
        instance.listens.forEach(l -> listens.add(l.toString()));
        final List<String> connects = new ArrayList<>();
        instance.connects.forEach(c -> connects.add(c.toUri()));
        // The TAP is opened before the output, so a failure to open it is a plain one-line error (exit 1).
        final StackHost host = tapStack == null ? null : tapStack.openHost();
        final Transport transport = host == null ? new KernelTransport()
            : new StackTransport(host, true, ReliableUdpConfig.defaults());
        final InstanceInfo info = host == null
            ? new InstanceInfo(instance.name, "kernel", hostAddresses(), listens, connects)
            : new InstanceInfo(instance.name, "tap", tapStack.describe(host.stack().iface().mac()), listens, connects);
        boolean started = false;
        try (RunControl control = control(); Output o = openOutput(output, control))
        {
            started = true;
            EngineRun.run(List.of(new EngineRun.Instance(info,
                listener -> Engine.start(engineConfig, transport, listener))), o, control,
                instance.duration == null ? 0 : instance.duration.toNanos(), null);
        }
        finally
        {
            if (!started)
            {
                transport.close();
                if (host != null)
                {
                    host.close();
                }
            }
        }
        return Failures.OK;
    }

    /** The IPv4 addresses of the host's interfaces that are up, loopback last. */
    static List<String> hostAddresses()
    {
        final List<String> addresses = new ArrayList<>();
        try
        {
            for (final NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                if (!nif.isUp())
                {
                    continue;
                }
                for (final InetAddress a : Collections.list(nif.getInetAddresses()))
                {
                    if (a instanceof Inet4Address)
                    {
                        addresses.add(a.getHostAddress());
                    }
                }
            }
        }
        catch (final SocketException ex)
        {
            // Listing interfaces is decoration; the run goes on without it.
        }
        addresses.sort((a, b) -> Boolean.compare(a.startsWith("127."), b.startsWith("127.")));
        return addresses;
    }

    /** The own stack on a TAP with only UDP echo/discard services (no engine). */
    private int runOnTap()
    {
        final InstanceSettings settings = settings();
        // The stack alone only logs; with --ui json those lines go to stderr so stdout stays JSON only (empty).
        final io.conntest.cli.options.UiMode mode = Outputs.mode(output, out);
        final EventLog log = new EventLog(mode == io.conntest.cli.options.UiMode.JSON
            || mode == io.conntest.cli.options.UiMode.CSV ? err : out,
            settings.name());
        final TapDevice tapDevice = TapDevice.open(settings.tap());
        if (settings.mtu() != 0 && tapDevice.mtu() != settings.mtu())
        {
            try
            {
                tapDevice.setMtu(settings.mtu());
            }
            catch (final RuntimeException ex)
            {
                tapDevice.close();
                throw ex;
            }
        }
        if (tapDevice.created())
        {
            log.log("created transient TAP " + tapDevice.name() + " (gone when conntest stops); bring it up and "
                + "attach it to a bridge to use it");
        }
        final StackInstance stackInstance = new StackInstance(settings, tapDevice, tapDevice::linkWarning, log);
        try (RunControl control = control())
        {
            final Thread stopper = new Thread(() ->
            {
                control.await(Long.MAX_VALUE);
                stackInstance.stop();
            }, "conntest-stopper");
            stopper.setDaemon(true);
            stopper.start();
            try
            {
                final long endNs = instance.duration == null ? Long.MAX_VALUE
                    : System.nanoTime() + instance.duration.toNanos();
                stackInstance.run(endNs);
            }
            finally
            {
                stackInstance.close();
                log.log("stopped: " + stackInstance.stats());
                control.requestStop("done");
            }
        }
        return Failures.OK;
    }

    /** Checks that the --tap options fit together; a usage error names the option. */
    InstanceSettings settings()
    {
        if (instance.name == null)
        {
            throw new ParameterException(spec.commandLine(), "missing --name NAME");
        }
        if (network.tap == null)
        {
            throw new ParameterException(spec.commandLine(), "missing --tap IFNAME");
        }
        if (network.ipv4 == null)
        {
            throw new ParameterException(spec.commandLine(), "missing --ipv4 ADDR/PREFIX for the stack on "
                + network.tap);
        }
        if (network.gateway != null && !network.ipv4.contains(network.gateway))
        {
            throw new ParameterException(spec.commandLine(), "--ipv4-gateway " + Ipv4Cidr.format(network.gateway)
                + " is not in " + network.ipv4 + " (a gateway must be on-link)");
        }
        if (network.mtu != null && (network.mtu < 68 || network.mtu > 65535))
        {
            throw new ParameterException(spec.commandLine(), "--mtu " + network.mtu + " is not in 68..65535");
        }
        // TCP and UDP ports are separate: echo on udp:7 and tcp:7 is the classic pair of plain services
        final Set<String> ports = new HashSet<>();
        for (final ListenSpec listen : instance.listens)
        {
            if (!ports.add(listen.protocol() + ":" + listen.port()))
            {
                throw new ParameterException(spec.commandLine(), "--listen " + listen + ": " + listen.protocol() +
                    " port " + listen.port() + " is given twice");
            }
        }
        return new InstanceSettings(instance.name, network.tap, network.ipv4,
            network.gateway == null ? 0 : network.gateway, network.mac == null ? -1 : network.mac,
            network.mtu == null ? 0 : network.mtu, network.pcap, instance.listens, instance.verbose, instance.trace);
    }

}
