package io.conntest.cli.run;

import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.options.ListenSpec;
import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.iface.InterfaceCounters;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.PcapWriterDevice;
import io.conntest.stack.phy.TracingDevice;
import io.conntest.stack.service.UdpDiscardService;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.service.TcpService;
import io.conntest.stack.wire.MacAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One instance with its own stack on a frame device: (pcap writer →) {@link NetworkStack} with UDP echo/discard
 * listeners, driven by {@link #run(long)} — a single-thread loop that polls the stack and, when idle, sleeps in
 * the device until the stack's next deadline (at most 100 ms), so an idle instance costs no CPU.
 *
 * <p>{@link #run(long)} runs on one thread; {@link #stop()} and the counters may be used from others.
 */
public final class StackInstance implements AutoCloseable
{
    private static final long MAX_IDLE_NS = 100_000_000L;
    private static final long LINK_CHECK_NS = 1_000_000_000L;

    private final InstanceSettings settings;
    private final EventLog log;
    private final Supplier<String> linkWarning;
    private final FrameDevice device;
    private final PcapWriterDevice pcap;
    private final NetworkStack stack;
    private final List<UdpEchoService> echoServices = new ArrayList<>();
    private final List<UdpDiscardService> discardServices = new ArrayList<>();
    private final List<TcpService> tcpServices = new ArrayList<>();
    private final List<String> tcpServiceNames = new ArrayList<>();
    private TcpProtocol tcp;
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
        this.settings = settings;
        this.log = log;
        this.linkWarning = linkWarning;
        FrameDevice chain = baseDevice;
        try
        {
            if (settings.pcap() != null)
            {
                pcap = new PcapWriterDevice(baseDevice, settings.pcap());
                chain = pcap;
            }
            else
            {
                pcap = null;
            }
        }
        catch (final IOException ex)
        {
            baseDevice.close();
            throw new UncheckedIOException("cannot write pcap file " + settings.pcap() + ": "
                + io.conntest.cli.Failures.why(ex) + " (check the directory exists and is writable)", ex);
        }
        if (settings.trace())
        {
            chain = new TracingDevice(chain, log::log);
        }
        this.device = chain;
        final Ipv4Cidr ipv4 = settings.ipv4();
        final InterfaceConfig.Builder config = InterfaceConfig.builder(ipv4.address(), ipv4.prefixLength());
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
        final InterfaceConfig interfaceConfig = config.build();
        this.stack = new NetworkStack(device, interfaceConfig);
        for (final ListenSpec listen : settings.listens())
        {
            if (listen.protocol().equals("tcp"))
            {
                // A plain tcp:PORT on the stack-only instance is an echo service, as udp:PORT is.
                final String name = listen.service() == ListenSpec.Service.CONNTEST
                    ? "echo" : listen.service().name().toLowerCase(java.util.Locale.ROOT);
                tcpServices.add(TcpService.create(name, tcp(interfaceConfig), listen.port(), 128));
                tcpServiceNames.add(name);
                continue;
            }
            switch (listen.service())
            {
                case CONNTEST:
                case ECHO:
                    echoServices.add(new UdpEchoService(stack.udp(), listen.port()));
                    break;
                case DISCARD:
                    discardServices.add(new UdpDiscardService(stack.udp(), listen.port()));
                    break;
                default:
                    throw new IllegalStateException("unknown service " + listen.service());
            }
        }
    }

    /** TCP on the stack, registered when the first TCP service needs it (as StackHost does for the engine). */
    private TcpProtocol tcp(final InterfaceConfig interfaceConfig)
    {
        if (tcp == null)
        {
            tcp = new TcpProtocol(new TcpConfig(), interfaceConfig.address());
            tcp.mtu(stack.iface().mtu());
            stack.addProtocol(tcp);
        }
        return tcp;
    }

    /** The stack, for callers that add sockets of their own before {@link #run(long)}. */
    public NetworkStack stack()
    {
        return stack;
    }

    /** The MAC the stack uses. */
    public long mac()
    {
        return stack.iface().mac();
    }

    /** Whether {@link #run(long)} is looping. */
    public boolean isRunning()
    {
        return running;
    }

    /** Asks {@link #run(long)} to return soon (within 100 ms). */
    public void stop()
    {
        stopRequested = true;
    }

    /** Datagrams echoed by all echo listeners so far. */
    public long echoed()
    {
        long sum = 0;
        for (final UdpEchoService echo : echoServices)
        {
            sum += echo.echoed();
        }
        return sum;
    }

    /** The interface counters. */
    public InterfaceCounters counters()
    {
        return stack.iface().counters();
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
                + " on " + settings.tap() + " (mtu " + stack.iface().mtu() + ")"
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
                final boolean worked = stack.poll(nowNs);
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
                    final long waitNs = Math.min(Math.min(stack.pollAtNs(nowNs) - nowNs, MAX_IDLE_NS), endNs - nowNs);
                    device.awaitReceive(waitNs);
                }
            }
        }
        finally
        {
            running = false;
        }
    }

    /**
     * One turn of the loop without waiting, for a caller that drives several stacks on one thread (tests and
     * simulations over an in-memory device).
     *
     * @return whether anything happened.
     */
    public boolean pollOnce(final long nowNs)
    {
        return stack.poll(nowNs);
    }

    private void checkLink()
    {
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
        for (final UdpEchoService echo : echoServices)
        {
            sb.append("; udp:").append(echo.port()).append(" echo ").append(echo.echoed()).append(" datagrams (")
                .append(echo.echoedBytes()).append(" B)");
        }
        for (final UdpDiscardService discard : discardServices)
        {
            sb.append("; udp:").append(discard.port()).append(" discard ").append(discard.datagrams())
                .append(" datagrams (").append(discard.bytes()).append(" B)");
        }
        for (int i = 0; i < tcpServices.size(); i++)
        {
            final TcpService service = tcpServices.get(i);
            sb.append("; tcp:").append(service.listener().port()).append(' ').append(tcpServiceNames.get(i)).append(' ')
                .append(service.connections()).append(" connections (").append(service.bytesIn()).append(" B in, ")
                .append(service.bytesOut()).append(" B out)");
        }
        sb.append("; port unreachable sent ").append(c.get(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT))
            .append("; drops ").append(c.totalDrops());
        if (pcap != null)
        {
            sb.append("; pcap ").append(pcap.framesWritten()).append(" frames");
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

    /** Closes the listeners and the device chain (flushing the pcap file). Call after {@link #run} returned. */
    @Override
    public void close()
    {
        for (final UdpEchoService echo : echoServices)
        {
            echo.close();
        }
        for (final UdpDiscardService discard : discardServices)
        {
            discard.close();
        }
        for (final TcpService service : tcpServices)
        {
            service.close();
        }
        stack.close();
        if (pcap != null && pcap.writeError() != null)
        {
            log.log("warning: pcap recording failed: " + pcap.writeError().getMessage());
        }
    }
}
