package io.conntest.cli.run;

import io.conntest.cli.exit.ConfigurationFailure;
import io.conntest.cli.exit.ExitStatus;
import io.conntest.cli.exit.UsageFailure;
import io.conntest.cli.metrics.ConnectionCollector;
import io.conntest.cli.metrics.InterfaceCollector;
import io.conntest.cli.metrics.MetricsEndpoint;
import io.conntest.cli.metrics.MetricsFeed;
import io.conntest.cli.metrics.MetricsOutput;
import io.conntest.cli.metrics.http.MetricsServingTransport;
import io.conntest.cli.options.InstanceOptions;
import io.conntest.cli.options.MetricsAddress;
import io.conntest.cli.options.NetworkOptions;
import io.conntest.cli.options.OutputOptions;
import io.conntest.cli.options.UiMode;
import io.conntest.cli.ui.CombinedOutput;
import io.conntest.cli.ui.InstanceInfo;
import io.conntest.cli.ui.Output;
import io.conntest.cli.ui.Outputs;
import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.Engine;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.tap.OffloadMode;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportException;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.core.transport.stack.StackTransport;
import io.conntest.tap.TapDevice;
import io.prometheus.metrics.model.registry.MultiCollector;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one {@code conntest} instance as its options say: the engine on the kernel's sockets, or with {@code --tap}
 * on the own stack (with any plain services beside it), or the stack alone when it has only plain services; and
 * turns the way the run ended into the exit status (see {@link ExitStatus}).
 */
public final class InstanceRunner
{
    private final CommandContext context;

    public InstanceRunner(final CommandContext context)
    {
        this.context = context;
    }

    /**
     * Runs the instance until it is stopped.
     *
     * @return the exit status
     * @throws UsageFailure when the options do not fit together
     */
    public int run(final InstanceOptions instance, final NetworkOptions network, final OutputOptions output)
    {
        if (instance.name() == null)
        {
            throw new UsageFailure("missing --name NAME (see the examples in conntest --help)");
        }
        if (output.interval() != null && output.interval().toMillis() < 100)
        {
            throw new UsageFailure("--interval " + output.interval().toMillis() + "ms is shorter than 100ms");
        }
        if (instance.timeout() != null && instance.timeout().toMillis() < 1)
        {
            throw new UsageFailure("--timeout must be positive");
        }
        checkPortsOnce(instance.listens());
        checkMetricsOnStack(instance, network);
        // On --tap, an instance with only plain services (or nothing: it still answers ping) is the stack alone;
        // anything with a conntest or iperf3 listener or peer runs the engine on the stack, with the services beside it.
        final boolean servicesOnly = instance.connects().isEmpty()
            && instance.listens().stream().noneMatch(ListenSpec::isEngineService);
        return network.tap() != null && servicesOnly ? runStackAlone(instance, network, output)
            : runEngine(instance, network, output);
    }

    /**
     * {@code --metrics-on-stack PORT} serves on the own stack: it needs {@code --tap}, a port, and a TCP port no
     * {@code --listen} uses.
     */
    private static void checkMetricsOnStack(final InstanceOptions instance, final NetworkOptions network)
    {
        final Integer port = instance.metricsOnStack();
        if (port == null)
        {
            return;
        }
        if (network.tap() == null)
        {
            throw new UsageFailure("--metrics-on-stack needs --tap IFNAME: it serves on the own stack (on the "
                + "host's kernel sockets use --metrics ADDR:PORT)");
        }
        if (port < 1 || port > 65535)
        {
            throw new UsageFailure("--metrics-on-stack " + port + ": bad port (expected 1-65535)");
        }
        for (final ListenSpec listen : instance.listens())
        {
            if (listen.protocol() == TransportProtocol.TCP && listen.port() == port)
            {
                throw new UsageFailure("--metrics-on-stack " + port + ": --listen " + listen
                    + " uses tcp port " + port + " already");
            }
        }
    }

    /** TCP and UDP ports are separate: echo on udp:7 and tcp:7 is the classic pair of plain services. */
    private static void checkPortsOnce(final List<ListenSpec> listens)
    {
        final Set<String> ports = new HashSet<>();
        for (final ListenSpec listen : listens)
        {
            if (!ports.add(listen.protocol().lowerName() + ":" + listen.port()))
            {
                throw new UsageFailure("--listen " + listen + ": " + listen.protocol().lowerName() + " port "
                    + listen.port() + " is given twice");
            }
        }
    }

    /** The engine on the kernel's sockets, or with --tap on the own stack. */
    private int runEngine(final InstanceOptions instance, final NetworkOptions network, final OutputOptions output)
    {
        final String tapOnly = network.tapOnlyOptionWithoutTap();
        if (tapOnly != null)
        {
            throw new UsageFailure(tapOnly + " needs --tap IFNAME (without it conntest uses the kernel's sockets)");
        }
        final PrintStream traceTo = context.err();
        final TapStack tapStack = network.tap() == null ? null : TapStack.from(network,
            instance.trace() ? line -> traceTo.println("trace: " + line) : null);
        if (instance.listens().isEmpty() && instance.connects().isEmpty())
        {
            throw new UsageFailure("nothing to do: give --listen PROTO:PORT and/or --connect URI");
        }
        final EngineConfig engineConfig = engineConfig(instance, output, tapStack != null);
        final List<String> listens = new ArrayList<>();
        instance.listens().forEach(l -> listens.add(l.toString()));
        final List<String> connects = new ArrayList<>();
        instance.connects().forEach(c -> connects.add(c.toUri()));
        // The TAP is opened before the output, so a failure to open it is a plain one-line error (exit 1).
        final StackHost host = tapStack == null ? null : tapStack.openHost(instance.listens());
        if (host != null && tapStack.ipv4().isDhcp())
        {
            // --ipv4 dhcp: the lease first, so nothing is attempted from 0.0.0.0 (its steps become the first events)
            try
            {
                DhcpLeaseWait.start(host, null);
                DhcpLeaseWait.await(host, tapStack.tap(), context.err(), DhcpLeaseWait.TIMEOUT_NS);
            }
            catch (final RuntimeException ex)
            {
                host.close();
                throw ex;
            }
        }
        if (host != null)
        {
            // --ipv6 ADDR/PREFIX: DAD first (at most about 2 s), so the first IPv6 attempt has its source address
            try
            {
                Ipv6DadWait.await(host, tapStack.ipv6(), Ipv6DadWait.TIMEOUT_NS);
            }
            catch (final RuntimeException ex)
            {
                host.close();
                throw ex;
            }
        }
        final MetricsFeed feed = new MetricsFeed(instance.name(), host == null ? "kernel" : "tap");
        final List<MultiCollector> collectors = metricsCollectors(instance, feed, host);
        final Transport transport = host == null ? KernelTransports.open(kernelOffload(network))
            : onStack(new StackTransport(host, true, ReliableUdpConfig.defaults()), instance, collectors);
        final InstanceInfo info = host == null
            ? new InstanceInfo(instance.name(), "kernel", hostAddresses(), listens, connects)
            : new InstanceInfo(instance.name(), "tap", tapStack.describe(host.stack().iface().mac(),
                host.device().offloads(), host.stack().iface().ipv4()), listens, connects);
        boolean started = false;
        final EngineRun.Result result;
        try (MetricsEndpoint metrics = startMetrics(instance, collectors);
            RunControl control = context.control(); Output shown = context.openOutput(output, control))
        {
            started = true;
            // The endpoints read the snapshots the output is shown, fed alike on the dispatcher thread.
            final Output o = collectors.isEmpty() ? shown
                : new CombinedOutput(List.of(shown, new MetricsOutput(feed, instance.name())), List.of());
            result = EngineRun.run(List.of(new EngineRun.Instance(info,
                listener -> Engine.start(engineConfig, transport, listener))), o, control,
                instance.duration() == null ? 0 : instance.duration().toNanos(), null);
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
        return exitStatus(result, instance.ignoreUnreached());
    }

    /**
     * The collectors of the metrics endpoints, empty when neither {@code --metrics} nor {@code --metrics-on-stack}
     * is given; with {@code --tap} they also expose the own stack's interface counters.
     */
    private static List<MultiCollector> metricsCollectors(final InstanceOptions instance, final MetricsFeed feed,
        final StackHost host)
    {
        final List<MultiCollector> collectors = new ArrayList<>();
        if (instance.metrics() == null && instance.metricsOnStack() == null)
        {
            return collectors;
        }
        collectors.add(new ConnectionCollector(feed::latest));
        if (host != null)
        {
            collectors.add(new InterfaceCollector(host.stack().iface().counters(),
                host.stack().iface().ipv6().counters(), instance.name()));
        }
        return collectors;
    }

    /**
     * The own stack's transport, serving {@code /metrics} on itself with {@code --metrics-on-stack}.
     *
     * @throws ConfigurationFailure when the port cannot be bound (exit 1, as a listener's port in use)
     */
    private static Transport onStack(final StackTransport transport, final InstanceOptions instance,
        final List<MultiCollector> collectors)
    {
        final Integer port = instance.metricsOnStack();
        if (port == null)
        {
            return transport;
        }
        try
        {
            return new MetricsServingTransport(transport, "0.0.0.0", port, MetricsEndpoint.registry(collectors));
        }
        catch (final TransportException ex)
        {
            transport.close();
            throw new ConfigurationFailure("--metrics-on-stack " + port + ": cannot serve there: " + ex.getMessage());
        }
    }

    /**
     * The {@code --metrics} endpoint on the host's kernel sockets, or null without the option.
     *
     * @throws ConfigurationFailure when the address cannot be bound (exit 1, as a listener's port in use)
     */
    private static MetricsEndpoint startMetrics(final InstanceOptions instance,
        final List<MultiCollector> collectors)
    {
        final MetricsAddress address = instance.metrics();
        if (address == null)
        {
            return null;
        }
        try
        {
            return MetricsEndpoint.start(address.host(), address.port(), collectors);
        }
        catch (final UncheckedIOException ex)
        {
            throw new ConfigurationFailure("--metrics " + address + ": cannot serve there: "
                + ex.getCause().getMessage());
        }
    }

    /** 0 when every peer was reached and connected at the end; 3 (with a line naming each) when not. */
    private int exitStatus(final EngineRun.Result result, final boolean ignoreUnreached)
    {
        if (result.unreached().isEmpty() || ignoreUnreached)
        {
            return ExitStatus.OK;
        }
        for (final String peer : result.unreached())
        {
            context.err().println("conntest: peer not reached at the end: " + peer);
        }
        context.err().flush();
        return ExitStatus.UNREACHED;
    }

    private EngineConfig engineConfig(final InstanceOptions instance, final OutputOptions output,
        final boolean onStack)
    {
        final EngineConfig.Builder config = EngineConfig.builder(instance.name());
        for (final ListenSpec l : instance.listens())
        {
            if (!l.isEngineService())
            {
                if (!onStack)
                {
                    throw new UsageFailure("--listen " + l + ": services run on the own stack only (add --tap IFNAME)");
                }
                continue;
            }
            config.listen(l);
        }
        for (final ConnectSpec c : instance.connects())
        {
            config.connect(c);
        }
        if (instance.timeout() != null)
        {
            config.timeoutNs(instance.timeout().toNanos());
        }
        final long intervalNs = Outputs.intervalNs(output);
        config.publishIntervalNs(Math.min(250_000_000L, intervalNs));
        config.tracePackets(Outputs.mode(output, context.out()) == UiMode.LOG);
        config.busyPoll(instance.busyPoll());
        try
        {
            return config.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageFailure("--name '" + instance.name() + "': " + ex.getMessage());
        }
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

    /** The own stack on a TAP with only plain services (no engine). */
    private int runStackAlone(final InstanceOptions instance, final NetworkOptions network,
        final OutputOptions output)
    {
        if (instance.metrics() != null || instance.metricsOnStack() != null)
        {
            throw new UsageFailure((instance.metrics() != null ? "--metrics" : "--metrics-on-stack")
                + " needs a conntest listener or peer (--listen tcp:PORT, --connect URI); "
                + "the stack alone with plain services has no metrics endpoint");
        }
        final InstanceSettings settings = settings(instance, network);
        // The stack alone only logs; with --ui json those lines go to stderr so stdout stays JSON only (empty).
        final UiMode mode = Outputs.mode(output, context.out());
        final EventLog log = new EventLog(mode == UiMode.JSON || mode == UiMode.CSV ? context.err() : context.out(),
            settings.name());
        final TapStack tapStack = TapStack.from(network, null);
        final TapDevice tapDevice = tapStack.openTap();
        if (tapDevice.created())
        {
            log.log("created transient TAP " + tapDevice.name() + " (gone when conntest stops); bring it up and "
                + "attach it to a bridge to use it");
        }
        final StackInstance stackInstance = new StackInstance(settings, tapDevice, tapDevice::linkWarning, log,
            tapStack.tcp());
        try (RunControl control = context.control())
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
                final long endNs = instance.duration() == null ? Long.MAX_VALUE
                    : System.nanoTime() + instance.duration().toNanos();
                stackInstance.run(endNs);
            }
            finally
            {
                stackInstance.close();
                log.log("stopped: " + stackInstance.stats());
                control.requestStop("done");
            }
        }
        return ExitStatus.OK;
    }

    /** The --tap options of the stack alone, checked; a usage error names the option. */
    /** {@code --offload} for the kernel's sockets (a wrong value is a usage error, before anything is opened). */
    private static OffloadMode kernelOffload(final NetworkOptions network)
    {
        try
        {
            return network.offload() == null ? OffloadMode.AUTO : OffloadMode.parse(network.offload());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageFailure("--" + ex.getMessage());
        }
    }

    public static InstanceSettings settings(final InstanceOptions instance, final NetworkOptions network)
    {
        if (instance.name() == null)
        {
            throw new UsageFailure("missing --name NAME");
        }
        if (network.tap() == null)
        {
            throw new UsageFailure("missing --tap IFNAME");
        }
        final TapStack tap = TapStack.from(network, null);
        checkPortsOnce(instance.listens());
        return new InstanceSettings(instance.name(), tap.tap(), tap.ipv4(), tap.gateway(), tap.mac(), tap.mtu(),
            tap.pcap(), instance.listens(), instance.verbose(), instance.trace(), tap.ipv6());
    }
}
