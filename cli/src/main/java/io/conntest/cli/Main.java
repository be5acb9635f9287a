package io.conntest.cli;

import io.conntest.cli.lab.LabCommand;
import io.conntest.cli.options.Durations;
import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.options.ListenSpec;
import io.conntest.cli.options.MacAddress;
import io.conntest.cli.run.EventLog;
import io.conntest.cli.run.InstanceSettings;
import io.conntest.cli.run.StackInstance;
import io.conntest.tap.TapDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code conntest} command. For now: an instance with its own stack on a TAP device that answers ping and
 * serves UDP echo/discard listeners, logging to stdout; and {@code conntest lab}, the one-command demo in a
 * private network namespace. Exit codes: 0 clean stop, 1 runtime failure, 2 usage error (see {@link Failures}).
 */
@Command(
    name = "conntest",
    mixinStandardHelpOptions = true,
    version = "conntest 0.1.0",
    sortOptions = false,
    subcommands = {LabCommand.class},
    description = {
        "A connection tester with its own TCP/IP stack on a TAP device, seeing the network as a unikernel does.",
        ""
    },
    footer = {
        "",
        "Examples:",
        "  conntest --name a --tap tap100 --ipv4 10.0.0.2/24 \\",
        "           --listen 'udp:7?service=echo'",
        "  conntest lab --duration 10s   (root: namespace, TAP, ping, UDP echo)"
    })
public final class Main implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "This instance's name, shown in the log.")
    private String name;

    @Option(names = "--tap", paramLabel = "IFNAME",
        description = "Run the own stack on this TAP device (attached if it exists, else created).")
    private String tap;

    @Option(names = "--ipv4", paramLabel = "ADDR/PREFIX", converter = Ipv4CidrConverter.class,
        description = "The stack's IPv4 address and prefix, e.g. 10.0.0.2/24.")
    private Ipv4Cidr ipv4;

    @Option(names = "--ipv4-gateway", paramLabel = "ADDR", converter = Ipv4AddressConverter.class,
        description = "Default gateway (on-link).")
    private Integer gateway;

    @Option(names = "--mac", paramLabel = "MAC", converter = MacConverter.class,
        description = "The stack's MAC (default: random, locally administered).")
    private Long mac;

    @Option(names = "--mtu", paramLabel = "N", description = "MTU of the stack and the TAP (68..65535).")
    private Integer mtu;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Record every frame in this pcap file.")
    private Path pcap;

    @Option(names = "--listen", paramLabel = "udp:PORT?service=echo|discard", converter = ListenConverter.class,
        description = "A listener (repeatable): UDP echo (RFC 862, the default) or discard (RFC 863).")
    private List<ListenSpec> listens = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Stop after this long (e.g. 30s); default: until Ctrl-C.")
    private Duration duration;

    @Option(names = {"-v", "--verbose"}, description = "Log the counters every second.")
    private boolean verbose;

    @Option(names = "--trace", description = "Log one line per frame received or sent (slow; for debugging).")
    private boolean trace;

    private PrintStream out = System.out;

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line and returns its exit code, printing to {@code out} and {@code err}. */
    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final Main main = new Main();
        main.out = out;
        final PrintWriter errWriter = new PrintWriter(err, true);
        final CommandLine commandLine = new CommandLine(main)
            .setOut(new PrintWriter(out, true))
            .setErr(errWriter)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler((ex, arguments) ->
            {
                ex.getCommandLine().getErr().println("conntest: " + ex.getMessage() + " (see conntest --help)");
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

    @Override
    public Integer call()
    {
        final InstanceSettings settings = settings();
        final EventLog log = new EventLog(out, settings.name());
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
        final StackInstance instance = new StackInstance(settings, tapDevice, tapDevice::linkWarning, log);
        // Ctrl-C and SIGTERM stop the loop; conntest then closes everything and exits with 0 (a clean stop).
        final sun.misc.SignalHandler stopHandler = signal -> instance.stop();
        final sun.misc.SignalHandler previousInt = installSignalHandler("INT", stopHandler);
        final sun.misc.SignalHandler previousTerm = installSignalHandler("TERM", stopHandler);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            instance.stop();
            try
            {
                stopped.await(2, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "conntest-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            final long endNs = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            instance.run(endNs);
        }
        finally
        {
            instance.close();
            log.log("stopped: " + instance.stats());
            stopped.countDown();
            installSignalHandler("INT", previousInt);
            installSignalHandler("TERM", previousTerm);
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignored)
            {
                // Already shutting down (Ctrl-C): the hook is running and has just been released.
            }
        }
        return Failures.OK;
    }

    private static sun.misc.SignalHandler installSignalHandler(final String name, final sun.misc.SignalHandler handler)
    {
        if (handler == null)
        {
            return null;
        }
        try
        {
            return sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
        }
        catch (final IllegalArgumentException ex)
        {
            // The signal is not available here (or reserved by the JVM): the shutdown hook still stops the loop.
            return null;
        }
    }

    /** Checks that the options fit together; a usage error names the option. */
    InstanceSettings settings()
    {
        if (name == null)
        {
            throw new ParameterException(spec.commandLine(), "missing --name NAME");
        }
        if (tap == null)
        {
            throw new ParameterException(spec.commandLine(),
                "missing --tap IFNAME (the kernel-socket stack comes later; for now conntest runs its own stack)");
        }
        if (ipv4 == null)
        {
            throw new ParameterException(spec.commandLine(), "missing --ipv4 ADDR/PREFIX for the stack on " + tap);
        }
        if (gateway != null && !ipv4.contains(gateway))
        {
            throw new ParameterException(spec.commandLine(), "--ipv4-gateway " + Ipv4Cidr.format(gateway)
                + " is not in " + ipv4 + " (a gateway must be on-link)");
        }
        if (mtu != null && (mtu < 68 || mtu > 65535))
        {
            throw new ParameterException(spec.commandLine(), "--mtu " + mtu + " is not in 68..65535");
        }
        final java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (final ListenSpec listen : listens)
        {
            if (!ports.add(listen.port()))
            {
                throw new ParameterException(spec.commandLine(), "--listen " + listen + ": port " + listen.port()
                    + " is given twice");
            }
        }
        return new InstanceSettings(name, tap, ipv4, gateway == null ? 0 : gateway, mac == null ? -1 : mac,
            mtu == null ? 0 : mtu, pcap, listens, verbose, trace);
    }

    /** {@code --ipv4}. */
    static final class Ipv4CidrConverter implements CommandLine.ITypeConverter<Ipv4Cidr>
    {
        @Override
        public Ipv4Cidr convert(final String value)
        {
            return wrap(() -> Ipv4Cidr.parse(value));
        }
    }

    /** {@code --ipv4-gateway}. */
    static final class Ipv4AddressConverter implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            return wrap(() -> Ipv4Cidr.parseAddress(value));
        }
    }

    /** {@code --mac}. */
    static final class MacConverter implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return wrap(() -> MacAddress.parse(value));
        }
    }

    /** {@code --listen}. */
    static final class ListenConverter implements CommandLine.ITypeConverter<ListenSpec>
    {
        @Override
        public ListenSpec convert(final String value)
        {
            return wrap(() -> ListenSpec.parse(value));
        }
    }

    /** {@code --duration}. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration>
    {
        @Override
        public Duration convert(final String value)
        {
            return wrap(() -> Durations.parse(value));
        }
    }

    private static <T> T wrap(final java.util.function.Supplier<T> parse)
    {
        try
        {
            return parse.get();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
