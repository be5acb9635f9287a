package io.conntest.core.transport.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import io.conntest.core.IoErrors;
import io.conntest.core.engine.ListenSpec;
import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.PcapWriterDevice;
import io.conntest.stack.phy.TracingDevice;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;

/**
 * One userspace stack on one device: a {@link NetworkStack} (Ethernet/ARP/IPv4/ICMP/UDP) with {@link TcpProtocol}
 * plugged in, shared by a {@link StackTransport}, a {@link StackPortProber} and the {@link PlainServices} on the same
 * thread. The one way to put a stack on a device: {@link #builder} builds the device chain (fault injector, pcap
 * writer, tracer), the interface, TCP, UDP and the plain services, for the command line, the lab, the transport and
 * the bench alike.
 *
 * <p>Idle waiting and wake-up: {@link #idle} waits in the device's {@link FrameDevice#awaitReceive(long)} until the
 * next deadline. A TAP polls an eventfd beside its fd ({@link FrameDevice#canWakeUp()}), so {@link #wakeup()} (any
 * thread) ends the wait at once and an idle instance makes no system call until its next deadline. A device that
 * cannot be woken is waited on in slices of at most {@link #WAKEUP_SLICE_NS}, so a wake-up then takes at most one
 * slice.
 */
public final class StackHost implements AutoCloseable
{
    /** Longest single sleep in {@link #idle} on a device that cannot be woken: bounds {@link #wakeup()}'s delay. */
    public static final long WAKEUP_SLICE_NS = 10_000_000L;

    private final FrameDevice device;
    private final PcapWriterDevice pcap;
    private final NetworkStack stack;
    private final TcpProtocol tcp;
    private PlainServices services;
    private StackDhcpSteps dhcpSteps;
    /** The IPv6 addresses last told ({@link #ipv6AddressesIfChanged}). */
    private String lastIpv6Addresses = "";
    private volatile boolean wakeRequested;
    private long lastNowNs;
    private volatile boolean closed;

    /** A stack with the default TCP configuration and a random TCP secret. */
    public StackHost(final FrameDevice device, final InterfaceConfig config)
    {
        this(device, config, new TcpConfig());
    }

    public StackHost(final FrameDevice device, final InterfaceConfig config, final TcpConfig tcpConfig)
    {
        this(device, null, config, tcpConfig);
    }

    private StackHost(final FrameDevice device, final PcapWriterDevice pcap, final InterfaceConfig config,
        final TcpConfig tcpConfig)
    {
        this.device = device;
        this.pcap = pcap;
        this.stack = new NetworkStack(device, config);
        // TCP reads the interface's current address: static, or bound by DHCP at run time
        this.tcp = new TcpProtocol(tcpConfig, stack.iface().ipv4(), config.seed() ^ 0x7CF1L, config.seed() * 31 + 7);
        // the interface's effective MTU (the config's 0 means the device's): a SYN that arrives before the first
        // dispatch tells TCP the MTU gets its MSS from this
        tcp.mtu(stack.iface().mtu());
        // what found no socket, for a prober that asks which of its probes arrived (the UDP listeners answer it)
        tcp.unclaimedArrivals(stack.unclaimedArrivals());
        stack.addProtocol(tcp);
        // frames are stamped as they are read from the device, on the engine's clock (receive timestamps)
        stack.iface().receiveClock(System::nanoTime);
        this.lastNowNs = System.nanoTime();
    }

    public NetworkStack stack()
    {
        return stack;
    }

    public TcpProtocol tcp()
    {
        return tcp;
    }

    public FrameDevice device()
    {
        return device;
    }

    /** The pcap writer in the device chain, or null when not recording. */
    public PcapWriterDevice pcap()
    {
        return pcap;
    }

    /** A builder of a host on {@code base} (owned from then on: closed with the host, or if building fails). */
    public static Builder builder(final FrameDevice base, final InterfaceConfig config)
    {
        return new Builder(base, config);
    }

    /** The plain services on this stack (none unless the builder was given some). */
    public PlainServices services()
    {
        if (services == null)
        {
            services = new PlainServices(this, List.of(), false);
        }
        return services;
    }

    /** This interface's IPv4 address: the static one, or the DHCP lease's (0 until it is bound). */
    public int address()
    {
        return stack.iface().ipv4().address();
    }

    /**
     * Starts the stack's DHCP client ({@code --ipv4 dhcp}; the interface was built with
     * {@link InterfaceConfig#unassigned()}): it assigns the address when a lease is bound. Its steps are kept for
     * {@link #drainDhcpSteps} (the engine's events) and told to {@code echo} at once (null for none).
     */
    public void startDhcp(final io.conntest.stack.dhcp.DhcpConfig config,
        final Consumer<io.conntest.core.transport.DhcpStep> echo)
    {
        dhcpSteps = new StackDhcpSteps(echo);
        stack.startDhcp(config, dhcpSteps);
    }

    /** Hands {@code sink} the DHCP client's steps since the last call (none without {@link #startDhcp}). */
    public void drainDhcpSteps(final Consumer<io.conntest.core.transport.DhcpStep> sink)
    {
        if (dhcpSteps != null)
        {
            dhcpSteps.drain(sink);
        }
    }

    /**
     * The stack's IPv6 addresses with their states ({@code fe80::... preferred}, {@code fd00:...::1 tentative}) when
     * they changed since the last call, else null. Asked about once a second (the engine's {@code ipv6} event).
     */
    public String ipv6AddressesIfChanged()
    {
        final String now = String.join(", ", stack.iface().ipv6().addresses());
        if (now.equals(lastIpv6Addresses))
        {
            return null;
        }
        lastIpv6Addresses = now;
        return now;
    }

    /** Whether the stack has an IPv4 address: static, or a bound DHCP lease. */
    public boolean hasAddress()
    {
        return stack.iface().ipv4().isAssigned();
    }

    /** The time of the last {@link #poll}. */
    public long nowNs()
    {
        return lastNowNs;
    }

    /**
     * When the newest frame of the last {@link #poll} was read from the device ({@link System#nanoTime()}; the
     * poll's time if it read none): the receive timestamp of what is delivered in or right after that poll.
     */
    public long receivedAtNs()
    {
        return stack.iface().receivedAtNs();
    }

    /** One turn of the stack (ingress, egress of every socket, timers); socket callbacks run inside. */
    public boolean poll(final long nowNs)
    {
        lastNowNs = nowNs;
        return !closed && stack.poll(nowNs);
    }

    /** When the stack needs polling again without a frame arriving. */
    public long pollAtNs(final long nowNs)
    {
        return closed ? Long.MAX_VALUE : stack.pollAtNs(nowNs);
    }

    /**
     * Sleeps until a frame may have arrived, {@code deadlineNs} or a {@link #wakeup()}, whichever comes first (and
     * at most one {@link #WAKEUP_SLICE_NS} slice on a device that cannot be woken).
     */
    public void idle(final long nowNs, final long deadlineNs)
    {
        if (wakeRequested)
        {
            wakeRequested = false;
            return;
        }
        if (closed || deadlineNs <= nowNs)
        {
            return;
        }
        final long waitNs = deadlineNs - nowNs;
        device.awaitReceive(device.canWakeUp() ? waitNs : Math.min(waitNs, WAKEUP_SLICE_NS));
    }

    /** Makes the current or next {@link #idle} return; safe from any thread. */
    public void wakeup()
    {
        wakeRequested = true;
        if (!closed)
        {
            device.wakeup();
        }
    }

    public boolean isClosed()
    {
        return closed;
    }

    /** Closes the device. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (services != null)
            {
                services.close();
            }
            stack.close();
        }
    }

    /** Builds a {@link StackHost}: the device chain, then the stack, then the plain services. */
    public static final class Builder
    {
        private final FrameDevice base;
        private final InterfaceConfig config;
        private TcpConfig tcpConfig = new TcpConfig();
        private FaultConfig rxFaults = FaultConfig.none();
        private FaultConfig txFaults = FaultConfig.none();
        private long faultSeed;
        private Path pcapFile;
        private Consumer<String> trace;
        private List<ListenSpec> services = List.of();
        private boolean conntestAsEcho;
        private boolean ipv6Autoconfigure;
        /** Configured IPv6 addresses: {hi, lo, prefix length} each. */
        private final List<long[]> ipv6Addresses = new java.util.ArrayList<>();
        private long[] ipv6Gateway;

        private Builder(final FrameDevice base, final InterfaceConfig config)
        {
            this.base = base;
            this.config = config;
        }

        public Builder tcpConfig(final TcpConfig tcpConfig)
        {
            this.tcpConfig = tcpConfig;
            return this;
        }

        /** Seeded faults on frames from the device ({@code rx}) and to it ({@code tx}), closest to the wire. */
        public Builder faults(final FaultConfig rx, final FaultConfig tx, final long seed)
        {
            this.rxFaults = rx;
            this.txFaults = tx;
            this.faultSeed = seed;
            return this;
        }

        /**
         * IPv6 autoconfiguration ({@code --ipv6 auto}): DAD, Router Solicitations, SLAAC addresses from advertised
         * prefixes, MLDv2 ({@code Ipv6Host.autoconfigure}); off, the link-local address answers and nothing else.
         */
        public Builder ipv6Autoconfigure(final boolean on)
        {
            this.ipv6Autoconfigure = on;
            return this;
        }

        /**
         * A configured IPv6 address ({@code --ipv6 ADDR/PREFIX}; repeatable): its prefix on-link, in use once
         * Duplicate Address Detection passes ({@code Ipv6Host.addStaticAddress}), with or without autoconfiguration.
         */
        public Builder ipv6Address(final long hi, final long lo, final int prefixLength)
        {
            ipv6Addresses.add(new long[] {hi, lo, prefixLength});
            return this;
        }

        /** A configured default IPv6 router ({@code --ipv6-gateway}; {@code Ipv6Host.staticGateway}). */
        public Builder ipv6Gateway(final long hi, final long lo)
        {
            this.ipv6Gateway = new long[] {hi, lo};
            return this;
        }

        /** Records every frame the stack sees and sends in {@code file} (null: no recording). */
        public Builder pcap(final Path file)
        {
            this.pcapFile = file;
            return this;
        }

        /** One line per frame to {@code lines} (null: no tracing). */
        public Builder trace(final Consumer<String> lines)
        {
            this.trace = lines;
            return this;
        }

        /**
         * The plain services among {@code listens} (see {@link PlainServices}).
         *
         * @param conntestAsEcho serve conntest listeners as echo (the stack-only instance)
         */
        public Builder services(final List<ListenSpec> listens, final boolean conntestAsEcho)
        {
            this.services = List.copyOf(listens);
            this.conntestAsEcho = conntestAsEcho;
            return this;
        }

        /**
         * Builds the host; on failure the device chain is closed.
         *
         * @throws UncheckedIOException when the pcap file cannot be written
         * @throws IllegalStateException when a service's port is in use
         */
        public StackHost build()
        {
            FrameDevice chain = base;
            try
            {
                if (!rxFaults.isNone() || !txFaults.isNone())
                {
                    chain = new FaultInjectingDevice(chain, rxFaults, txFaults, faultSeed, System::nanoTime);
                }
                PcapWriterDevice pcap = null;
                if (pcapFile != null)
                {
                    pcap = new PcapWriterDevice(chain, pcapFile);
                    chain = pcap;
                }
                if (trace != null)
                {
                    chain = new TracingDevice(chain, trace);
                }
                final StackHost host = new StackHost(chain, pcap, config, tcpConfig);
                try
                {
                    // all before the first poll
                    final io.conntest.stack.ipv6.Ipv6Host ipv6 = host.stack.iface().ipv6();
                    if (ipv6Autoconfigure)
                    {
                        ipv6.autoconfigure();
                    }
                    for (final long[] a : ipv6Addresses)
                    {
                        ipv6.addStaticAddress(a[0], a[1], (int)a[2]);
                    }
                    if (ipv6Gateway != null)
                    {
                        ipv6.staticGateway(ipv6Gateway[0], ipv6Gateway[1]);
                    }
                    host.services = new PlainServices(host, services, conntestAsEcho);
                }
                catch (final RuntimeException ex)
                {
                    host.close();
                    throw ex;
                }
                return host;
            }
            catch (final IOException ex)
            {
                chain.close();
                throw new UncheckedIOException("cannot write pcap file " + pcapFile + ": " + IoErrors.why(ex)
                    + " (check the directory exists and is writable)", ex);
            }
            catch (final RuntimeException ex)
            {
                chain.close();
                throw ex;
            }
        }
    }
}
