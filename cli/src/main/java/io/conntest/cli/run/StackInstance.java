package io.conntest.cli.run;

import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.iface.InterfaceCounters;
import io.conntest.stack.NetworkStack;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.wire.MacAddress;

import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The stack alone on a frame device, without the engine: a {@link StackHost} with the plain services of the
 * settings (a conntest listener is served as an echo here, having no engine to speak conntest), driven by
 * {@link #run(long)} — a single-thread loop that polls the stack and, when idle, waits in the host until its next
 * deadline ({@link StackHost#idle}, the one idle policy: {@link #stop()} wakes it at once), so an idle instance
 * costs no CPU. It logs what it did every ten seconds (every second with {@code verbose}) when that changed.
 *
 * <p>{@link #run(long)} runs on one thread; {@link #stop()} and the counters may be used from others.
 */
public final class StackInstance implements AutoCloseable
{
    private static final long LINK_CHECK_NS = 1_000_000_000L;

    private final InstanceSettings settings;
    private final EventLog log;
    private final Supplier<String> linkWarning;
    private final StackHost host;
    private volatile boolean stopRequested;
    private volatile boolean running;
    private String lastLinkWarning;
    private String lastStats = "";

    /**
     * Builds the stack on {@code baseDevice} (owned from now on: closed by {@link #close()}).
     *
     * @param linkWarning tells whether the link is down (a line to log) or up (null); null when unknown.
     * @throws UncheckedIOException when the pcap file cannot be created.
     */
    public StackInstance(final InstanceSettings settings, final FrameDevice baseDevice,
        final Supplier<String> linkWarning, final EventLog log)
    {
        this(settings, baseDevice, linkWarning, log, new TcpConfig());
    }

    /** As {@link #StackInstance(InstanceSettings, FrameDevice, Supplier, EventLog)} with this TCP configuration. */
    public StackInstance(final InstanceSettings settings, final FrameDevice baseDevice,
        final Supplier<String> linkWarning, final EventLog log, final TcpConfig tcp)
    {
        this.settings = settings;
        this.log = log;
        this.linkWarning = linkWarning;
        this.host = TapStack.ipv6(StackHost.builder(baseDevice, interfaceConfig(settings)), settings.ipv6())
            .pcap(settings.pcap())
            .trace(settings.trace() ? log::log : null)
            .tcpConfig(tcp)
            .services(settings.listens(), true)
            .build();
        if (settings.ipv4().isDhcp())
        {
            // --ipv4 dhcp on the stack alone: the lease's steps are log lines
            DhcpLeaseWait.start(host, step -> log.log("dhcp: " + step.describe()));
        }
    }

    private static InterfaceConfig interfaceConfig(final InstanceSettings settings)
    {
        final Ipv4Cidr ipv4 = settings.ipv4();
        final InterfaceConfig.Builder config = ipv4.isDhcp() ? InterfaceConfig.unassigned()
            : InterfaceConfig.builder(ipv4.address(), ipv4.prefixLength());
        if (settings.mac() >= 0)
        {
            config.mac(settings.mac());
        }
        if (settings.gateway() != 0)
        {
            config.gateway(settings.gateway());
        }
        if (settings.mtu() != 0)
        {
            config.mtu(settings.mtu());
        }
        return config.build();
    }

    /** The stack, for callers that add sockets of their own before {@link #run(long)}. */
    public NetworkStack stack()
    {
        return host.stack();
    }

    /** The MAC the stack uses. */
    public long mac()
    {
        return host.stack().iface().mac();
    }

    /** Whether {@link #run(long)} is looping. */
    public boolean isRunning()
    {
        return running;
    }

    /** Asks {@link #run(long)} to return at once (the host's wait is woken). */
    public void stop()
    {
        stopRequested = true;
        host.wakeup();
    }

    /** Datagrams echoed by all echo listeners so far. */
    public long echoed()
    {
        return host.services().echoed();
    }

    /** The interface counters. */
    public InterfaceCounters counters()
    {
        return host.stack().iface().counters();
    }

    /**
     * Polls the stack until {@link #stop()} or until {@code System.nanoTime()} reaches {@code endNs}
     * ({@link Long#MAX_VALUE}: no end).
     */
    public void run(final long endNs)
    {
        running = true;
        try
        {
            log.log("up: " + MacAddress.toString(mac()) + " " + settings.ipv4()
                + (settings.gateway() != 0 ? " via " + Ipv4Cidr.format(settings.gateway()) : "")
                + TapStack.describeIpv6(settings.ipv6()).stream().map(line -> ", " + line)
                    .collect(java.util.stream.Collectors.joining())
                + " on " + settings.tap() + " (mtu " + host.stack().iface().mtu() + ")"
                + (settings.listens().isEmpty() ? "" : ", listening on " + settings.listens())
                + (settings.pcap() != null ? ", recording to " + settings.pcap() : ""));
            final long statsIntervalNs = settings.verbose() ? 1_000_000_000L : 10_000_000_000L;
            long nextLinkCheckNs = System.nanoTime();
            long nextStatsNs = nextLinkCheckNs + statsIntervalNs;
            while (!stopRequested)
            {
                final long nowNs = System.nanoTime();
                if (nowNs - endNs >= 0)
                {
                    break;
                }
                final boolean worked = host.poll(nowNs);
                if (nowNs - nextLinkCheckNs >= 0)
                {
                    checkLink();
                    nextLinkCheckNs = nowNs + LINK_CHECK_NS;
                }
                if (nowNs - nextStatsNs >= 0)
                {
                    logStatsIfChanged();
                    nextStatsNs = nowNs + statsIntervalNs;
                }
                if (!worked)
                {
                    long deadlineNs = host.pollAtNs(nowNs);
                    deadlineNs = earlier(deadlineNs, nextLinkCheckNs);
                    deadlineNs = earlier(deadlineNs, nextStatsNs);
                    deadlineNs = earlier(deadlineNs, endNs);
                    host.idle(nowNs, deadlineNs);
                }
            }
        }
        finally
        {
            running = false;
        }
    }

    /** The earlier of two deadlines, wrap-safe. */
    private static long earlier(final long a, final long b)
    {
        return a - b <= 0 ? a : b;
    }

    /**
     * One turn of the loop without waiting, for a caller that drives several stacks on one thread (tests and
     * simulations over an in-memory device).
     *
     * @return whether anything happened.
     */
    public boolean pollOnce(final long nowNs)
    {
        return host.poll(nowNs);
    }

    private void checkLink()
    {
        if (host.stack().iface().ipv6().addressesChange())
        {
            // --ipv6 auto or ADDR/PREFIX on the stack alone: the addresses SLAAC forms and DAD passes (or finds
            // duplicate) are log lines
            final String ipv6 = host.ipv6AddressesIfChanged();
            if (ipv6 != null)
            {
                log.log("ipv6 addresses: " + (ipv6.isEmpty() ? "none" : ipv6));
            }
        }
        if (linkWarning == null)
        {
            return;
        }
        final String warning = linkWarning.get();
        if (warning != null && !warning.equals(lastLinkWarning))
        {
            log.log("warning: " + warning);
        }
        else if (warning == null && lastLinkWarning != null)
        {
            log.log("link of " + settings.tap() + " is up");
        }
        lastLinkWarning = warning;
    }

    /** A one-line summary of what the instance did. */
    public String stats()
    {
        final InterfaceCounters c = counters();
        final StringBuilder sb = new StringBuilder();
        sb.append("rx ").append(c.get(InterfaceCounter.RX_FRAMES)).append(" frames, tx ")
            .append(c.get(InterfaceCounter.TX_FRAMES)).append(" frames; pings answered ")
            .append(c.get(InterfaceCounter.ICMP_ECHO_REPLIES_SENT));
        sb.append(host.services().describe());
        sb.append("; port unreachable sent ").append(c.get(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT))
            .append("; drops ").append(c.totalDrops() + host.stack().iface().ipv6().counters().totalDrops());
        if (host.pcap() != null)
        {
            sb.append("; pcap ").append(host.pcap().framesWritten()).append(" frames");
        }
        return sb.toString();
    }

    private void logStatsIfChanged()
    {
        final String stats = stats();
        if (!stats.equals(lastStats))
        {
            log.log(stats);
            lastStats = stats;
        }
    }

    /** Closes the services and the device chain (flushing the pcap file). Call after {@link #run} returned. */
    @Override
    public void close()
    {
        host.close();
        if (host.pcap() != null && host.pcap().writeError() != null)
        {
            log.log("warning: pcap recording failed: " + host.pcap().writeError().getMessage());
        }
    }
}
