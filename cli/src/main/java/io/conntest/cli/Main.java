package io.conntest.cli;

import io.conntest.cli.exit.ExitStatus;
import io.conntest.cli.exit.Failures;
import io.conntest.cli.lab.LabCommand;
import io.conntest.cli.options.InstanceOptions;
import io.conntest.cli.options.NetworkOptions;
import io.conntest.cli.options.OutputOptions;
import io.conntest.cli.probe.ProbeCommand;
import io.conntest.cli.report.ReportCommand;
import io.conntest.cli.run.CommandContext;
import io.conntest.cli.run.InstanceRunner;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code conntest} command: an instance that listens for and connects to other instances (the engine on the
 * kernel's sockets, or with {@code --tap} on the own stack), with the outputs tui/log/text/json; the subcommands
 * {@code probe} (ports, nmap style), {@code lab} (a mesh of instances in a private namespace) and
 * {@code report} (an HTML page of plots from a JSON-lines recording). This class only
 * wires picocli: the options live in {@code cli.options}, running an instance in {@link InstanceRunner}, and the
 * exit statuses in {@link ExitStatus} and {@link Failures}.
 */
@Command(
    name = "conntest",
    mixinStandardHelpOptions = true,
    versionProvider = io.conntest.cli.options.VersionProvider.class,
    sortOptions = false,
    subcommands = {ProbeCommand.class, LabCommand.class, ReportCommand.class},
    synopsisSubcommandLabel = "[probe | lab | report]",
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
        "  conntest report run.jsonl -o report.html   (plots of a --ui json recording)",
        "",
        "Exit status: 0 after a clean stop (Ctrl-C, SIGTERM, q, --duration) with every peer connected, 1 on a "
            + "runtime failure, 2 on a usage error, 3 when a peer was never reached or was failing at the end "
            + "(--ignore-unreached: 0). conntest probe: 0 when a port is open, 1 when none is. "
            + "conntest report: 0 when the page was written, 1 when the recording cannot be read.",
    })
public final class Main implements Callable<Integer>, CommandContext
{
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

    /** Runs the command line and returns its exit status, printing to {@code out} and {@code err}. */
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
        final CommandLine commandLine = new CommandLine(main)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler((ex, arguments) -> Failures.usage(ex.getMessage(),
                ex.getCommandLine().getErr()))
            .setExecutionExceptionHandler((ex, cmd, parseResult) -> Failures.report(ex, cmd.getErr()));
        commandLine.getSubcommands().values().forEach(sub -> sub.setOut(new PrintWriter(out, true)));
        return commandLine.execute(args);
    }

    @Override
    public PrintStream out()
    {
        return out;
    }

    @Override
    public PrintStream err()
    {
        return err;
    }

    @Override
    public boolean signals()
    {
        return signals;
    }

    @Override
    public Integer call()
    {
        return new InstanceRunner(this).run(instance, network, output);
    }
}
