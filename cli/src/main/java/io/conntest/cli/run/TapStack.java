package io.conntest.cli.run;

import io.conntest.cli.exit.UsageFailure;
import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.options.Ipv6Cidr;
import io.conntest.cli.options.Ipv6Settings;
import io.conntest.cli.options.NetworkOptions;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.Ipv4Assignment;
import io.conntest.stack.phy.Offloads;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.tap.OffloadMode;
import io.conntest.stack.wire.MacAddress;
import io.conntest.tap.TapDevice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The own stack on a TAP device, as the command line describes it, for the engine ({@code --tap}), the stack-only
 * instance and the prober ({@code probe --tap}): opens the TAP (attaching or creating it), sets its MTU, and hands
 * the rest (pcap writer, tracer, interface, TCP, services) to {@link StackHost#builder}, the one way a stack is
 * built.
 *
 * @param tap     interface name
 * @param ipv4    the stack's address and prefix
 * @param gateway default gateway, 0 for none
 * @param mac     the stack's MAC, -1 for a random one
 * @param mtu     MTU (also set on the TAP), 0 to keep the TAP's
 * @param pcap    pcap file, or null
 * @param trace   where frame trace lines go, or null for no tracing
 * @param offload whether the TAP negotiates offloads ({@code --offload}, default auto)
 * @param tcp     the stack's TCP configuration ({@code --tcp-max-connections}, {@code --tcp-syn-backlog},
 *                {@code --tcp-buffer}; defaults otherwise)
 * @param ipv6    IPv6: autoconfiguration ({@code --ipv6 auto}: DAD, router solicitations, SLAAC, MLDv2), configured
 *                addresses ({@code --ipv6 ADDR/PREFIX}), the configured router ({@code --ipv6-gateway})
 */
public record TapStack(String tap, Ipv4Cidr ipv4, int gateway, long mac, int mtu, Path pcap, Consumer<String> trace,
    OffloadMode offload, TcpConfig tcp, Ipv6Settings ipv6)
{
    /** Without IPv6 configuration (the link-local address only). */
    public TapStack(final String tap, final Ipv4Cidr ipv4, final int gateway, final long mac, final int mtu,
        final Path pcap, final Consumer<String> trace, final OffloadMode offload, final TcpConfig tcp)
    {
        this(tap, ipv4, gateway, mac, mtu, pcap, trace, offload, tcp, Ipv6Settings.NONE);
    }

    /** With the default TCP configuration. */
    public TapStack(final String tap, final Ipv4Cidr ipv4, final int gateway, final long mac, final int mtu,
        final Path pcap, final Consumer<String> trace, final OffloadMode offload)
    {
        this(tap, ipv4, gateway, mac, mtu, pcap, trace, offload, new TcpConfig());
    }

    /** Without an offload choice: {@link OffloadMode#AUTO}, the default of {@code --offload}. */
    public TapStack(final String tap, final Ipv4Cidr ipv4, final int gateway, final long mac, final int mtu,
        final Path pcap, final Consumer<String> trace)
    {
        this(tap, ipv4, gateway, mac, mtu, pcap, trace, OffloadMode.AUTO);
    }

    /**
     * The --tap options, checked; a usage error names the option.
     *
     * @param trace where frame trace lines go, or null
     */
    public static TapStack from(final NetworkOptions network, final Consumer<String> trace)
    {
        final Ipv4Cidr ipv4 = network.ipv4();
        if (ipv4 == null)
        {
            throw new UsageFailure("missing --ipv4 ADDR/PREFIX (or --ipv4 dhcp) for the stack on " + network.tap());
        }
        final Integer gateway = network.gateway();
        if (gateway != null && ipv4.isDhcp())
        {
            throw new UsageFailure("--ipv4-gateway does not go with --ipv4 dhcp (the DHCP server names the router)");
        }
        if (gateway != null && !ipv4.contains(gateway))
        {
            throw new UsageFailure("--ipv4-gateway " + Ipv4Cidr.format(gateway) + " is not in " + ipv4
                + " (a gateway must be on-link)");
        }
        final Integer mtu = network.mtu();
        if (mtu != null)
        {
            try
            {
                InterfaceConfig.checkMtu(mtu);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UsageFailure("--mtu " + mtu + " is not in " + InterfaceConfig.MIN_MTU + ".."
                    + InterfaceConfig.MAX_MTU);
            }
        }
        final OffloadMode offload;
        try
        {
            offload = network.offload() == null ? OffloadMode.AUTO : OffloadMode.parse(network.offload());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageFailure("--" + ex.getMessage());
        }
        return new TapStack(network.tap(), ipv4, gateway == null ? 0 : gateway,
            network.mac() == null ? -1 : network.mac(), mtu == null ? 0 : mtu, network.pcap(), trace, offload,
            tcpConfig(network), ipv6Settings(network));
    }

    /** The --ipv6 and --ipv6-gateway options, checked together ({@link Ipv6Settings#of}). */
    static Ipv6Settings ipv6Settings(final NetworkOptions network)
    {
        try
        {
            return Ipv6Settings.of(network.ipv6(), network.ipv6Gateway());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageFailure(ex.getMessage());
        }
    }

    /** The stack's TCP configuration from the --tcp-* options, checked by TcpConfig's own rules. */
    static TcpConfig tcpConfig(final NetworkOptions network)
    {
        final TcpConfig tcp = new TcpConfig();
        if (network.tcpMaxConnections() != null)
        {
            tcp.maxConnections(network.tcpMaxConnections());
        }
        if (network.tcpSynBacklog() != null)
        {
            tcp.synBacklog(network.tcpSynBacklog());
        }
        if (network.tcpBuffer() != null)
        {
            final long bytes = network.tcpBuffer();
            if (bytes < 1024 || bytes > (1 << 30))
            {
                throw new UsageFailure("--tcp-buffer " + bytes + " is not in 1KB..1GB");
            }
            tcp.sendBufferBytes((int)bytes).receiveBufferBytes((int)bytes);
        }
        try
        {
            tcp.validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageFailure("--tcp-max-connections / --tcp-syn-backlog: " + ex.getMessage());
        }
        return tcp;
    }

    /** Opens the TAP with {@code open} and sets its MTU; the caller owns it. */
    public TapDevice openTap(final Supplier<TapDevice> open)
    {
        final TapDevice device;
        try
        {
            device = open.get();
        }
        catch (final IllegalArgumentException ex)
        {
            // a name the kernel could never take (too long, '/'): the option is wrong, not the machine
            throw new UsageFailure("--tap " + tap + ": " + ex.getMessage(), ex);
        }
        try
        {
            if (mtu != 0 && device.mtu() != mtu)
            {
                device.setMtu(mtu);
            }
        }
        catch (final RuntimeException ex)
        {
            device.close();
            throw ex;
        }
        return device;
    }

    /** The interface configuration. */
    public InterfaceConfig interfaceConfig()
    {
        final InterfaceConfig.Builder config = ipv4.isDhcp() ? InterfaceConfig.unassigned()
            : InterfaceConfig.builder(ipv4.address(), ipv4.prefixLength());
        if (mac >= 0)
        {
            config.mac(mac);
        }
        if (gateway != 0)
        {
            config.gateway(gateway);
        }
        if (mtu != 0)
        {
            config.mtu(mtu);
        }
        return config.build();
    }

    /** A host builder on the TAP opened by {@code open}, with the pcap writer and tracer asked for. */
    public StackHost.Builder hostBuilder(final Supplier<TapDevice> open)
    {
        return ipv6(StackHost.builder(openTap(open), interfaceConfig()).pcap(pcap).trace(trace).tcpConfig(tcp),
            ipv6);
    }

    /** {@code builder} with the IPv6 settings: autoconfiguration, configured addresses, the configured router. */
    public static StackHost.Builder ipv6(final StackHost.Builder builder, final Ipv6Settings ipv6)
    {
        builder.ipv6Autoconfigure(ipv6.auto());
        for (final Ipv6Cidr address : ipv6.addresses())
        {
            builder.ipv6Address(address.hi(), address.lo(), address.prefixLength());
        }
        if (ipv6.gateway() != null)
        {
            builder.ipv6Gateway(ipv6.gateway().hi(), ipv6.gateway().lo());
        }
        return builder;
    }

    /** Opens the TAP in the calling thread's namespace, negotiating the offloads asked for. */
    public TapDevice openTap()
    {
        return openTap(() -> TapDevice.open(tap, TapDevice.Mode.ATTACH_OR_CREATE, offload));
    }

    /** A stack host on the TAP, opened in the calling thread's namespace, with the plain services in {@code listens}. */
    public StackHost openHost(final List<ListenSpec> listens)
    {
        return hostBuilder(() -> TapDevice.open(tap, TapDevice.Mode.ATTACH_OR_CREATE, offload))
            .services(listens, false).build();
    }

    /** A stack host on the TAP opened by {@code open}, without services (the prober, tests). */
    public StackHost openHost(final Supplier<TapDevice> open)
    {
        return hostBuilder(open).build();
    }

    /**
     * What the outputs show as the instance's addresses, with the offloads the TAP negotiated
     * ({@code offloads csum tso4 tso6}, {@code offloads none}): in the text and JSON start event.
     */
    public List<String> describe(final long actualMac, final int offloads)
    {
        return describe(actualMac, offloads, null);
    }

    /** As {@link #describe(long, int)}, with the stack's current address ({@code --ipv4 dhcp}: the lease's). */
    public List<String> describe(final long actualMac, final int offloads, final Ipv4Assignment current)
    {
        final List<String> lines = describe(actualMac, current);
        lines.add("offloads " + Offloads.describe(offloads));
        return lines;
    }

    /** What the outputs show as the instance's addresses. */
    public List<String> describe(final long actualMac)
    {
        return describe(actualMac, null);
    }

    /**
     * What the outputs show as the instance's addresses; with {@code --ipv4 dhcp} the lease's address and router
     * from {@code current} ({@code 10.0.0.103/24 (dhcp)}, {@code via 10.0.0.1}), or {@code dhcp} while there is none.
     */
    public List<String> describe(final long actualMac, final Ipv4Assignment current)
    {
        final List<String> lines = new ArrayList<>();
        final boolean leased = ipv4.isDhcp() && current != null && current.isAssigned();
        lines.add(leased ? Ipv4Cidr.format(current.address()) + "/" + current.prefixLength() + " (dhcp)"
            : ipv4.toString());
        final int via = leased ? current.gateway() : gateway;
        if (via != 0)
        {
            lines.add("via " + Ipv4Cidr.format(via));
        }
        lines.addAll(describeIpv6(ipv6));
        lines.add("mac " + MacAddress.toString(actualMac));
        lines.add("on " + tap);
        return lines;
    }

    /**
     * The IPv6 lines of the start event: {@code ipv6 fd00:c0::2/64} per configured address, {@code ipv6 auto
     * (slaac)}, {@code ipv6 via fd00:c0::1}; none without IPv6 settings.
     */
    static List<String> describeIpv6(final Ipv6Settings ipv6)
    {
        final List<String> lines = new ArrayList<>();
        for (final Ipv6Cidr address : ipv6.addresses())
        {
            lines.add("ipv6 " + address);
        }
        if (ipv6.auto())
        {
            lines.add("ipv6 auto (slaac)");
        }
        if (ipv6.gateway() != null)
        {
            lines.add("ipv6 via " + ipv6.gateway());
        }
        return lines;
    }
}
