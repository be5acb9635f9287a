package io.conntest.cli.options;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The network options (stack selection): kernel sockets unless {@code --tap} is given. */
public final class NetworkOptions
{
    @Option(names = "--tap", paramLabel = "IFNAME",
        description = "Run on the own stack on this TAP device (attached if it exists, else created). "
            + "Default: the kernel's sockets.")
    String tap;

    @Option(names = "--ipv4", paramLabel = "ADDR/PREFIX|dhcp", converter = Converters.Ipv4CidrConverter.class,
        description = "With --tap: the stack's IPv4 address and prefix, e.g. 10.0.0.2/24; or dhcp: get address, "
            + "prefix and gateway from a DHCP server (RFC 2131) and wait for the lease before connecting.")
    Ipv4Cidr ipv4;

    @Option(names = "--ipv6", paramLabel = "auto|off|ADDR/PREFIX", converter = Converters.Ipv6ChoiceConverter.class,
        description = "With --tap (repeatable): auto: IPv6 autoconfiguration (RFC 4862): duplicate address "
            + "detection, router solicitations, a stable SLAAC address from each advertised prefix (RFC 7217), the "
            + "default router and MTU from the advertisements, MLDv2 reports. ADDR/PREFIX (e.g. fd00:c0::2/64): a "
            + "configured address, its prefix on-link, used once duplicate address detection passes (a duplicate is "
            + "reported and never used); up to 7, and with auto too. Each change of the addresses is an ipv6 event. "
            + "off (default): the link-local address answers NDP and ping, nothing else.")
    List<Ipv6Choice> ipv6;

    @Option(names = "--ipv6-gateway", paramLabel = "ADDR", converter = Converters.Ipv6GatewayConverter.class,
        description = "With --tap and --ipv6: the default IPv6 router (on-link: link-local, or in a --ipv6 prefix), "
            + "used when no router advertisement names one.")
    Ipv6Gateway ipv6Gateway;

    @Option(names = "--ipv4-gateway", paramLabel = "ADDR", converter = Converters.Ipv4AddressConverter.class,
        description = "With --tap: the default gateway (on-link).")
    Integer gateway;

    @Option(names = "--mac", paramLabel = "MAC", converter = Converters.MacConverter.class,
        description = "With --tap: the stack's MAC (default: random, locally administered).")
    Long mac;

    @Option(names = "--mtu", paramLabel = "N", description = "With --tap: MTU of the stack and the TAP (68..65535).")
    Integer mtu;

    @Option(names = "--pcap", paramLabel = "FILE", description = "With --tap: record every frame in this pcap file.")
    Path pcap;

    @Option(names = "--offload", paramLabel = "auto|none", description = "auto (default): with --tap, negotiate "
        + "checksum and TCP/UDP segmentation offload with the kernel (64 KB segments per system call); on kernel "
        + "sockets, send and receive reliable UDP with UDP_SEGMENT/UDP_GRO (up to 64 datagrams per system call). "
        + "none: one MTU-sized frame (or one datagram) per system call, checksums in Java, as a unikernel on a TAP.")
    String offload;

    @Option(names = "--tcp-max-connections", paramLabel = "N", description = "With --tap: the stack's TCP "
        + "connection table, every state (default 256; each connection has its own buffers).")
    Integer tcpMaxConnections;

    @Option(names = "--tcp-syn-backlog", paramLabel = "N", description = "With --tap: half-open connections per "
        + "listener before SYN cookies answer (default 128).")
    Integer tcpSynBacklog;

    @Option(names = "--tcp-buffer", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
        description = "With --tap: send and receive buffer of each TCP connection (default 1MB; 1KB..1GB).")
    Long tcpBuffer;

    /** {@code --tcp-max-connections}, or null for the default. */
    public Integer tcpMaxConnections()
    {
        return tcpMaxConnections;
    }

    /** {@code --tcp-syn-backlog}, or null for the default. */
    public Integer tcpSynBacklog()
    {
        return tcpSynBacklog;
    }

    /** {@code --tcp-buffer} in bytes, or null for the default. */
    public Long tcpBuffer()
    {
        return tcpBuffer;
    }

    /** The TAP interface name, or null for the kernel's sockets. */
    public String tap()
    {
        return tap;
    }

    /** The {@code --ipv6} values in order (empty when none). */
    public List<Ipv6Choice> ipv6()
    {
        return ipv6 == null ? List.of() : ipv6;
    }

    /** {@code --ipv6-gateway}, or null. */
    public Ipv6Gateway ipv6Gateway()
    {
        return ipv6Gateway;
    }

    /** {@code --ipv4}, or null. */
    public Ipv4Cidr ipv4()
    {
        return ipv4;
    }

    /** {@code --ipv4-gateway}, or null. */
    public Integer gateway()
    {
        return gateway;
    }

    /** {@code --mac}, or null for a random one. */
    public Long mac()
    {
        return mac;
    }

    /** {@code --mtu}, or null for the TAP's. */
    public Integer mtu()
    {
        return mtu;
    }

    /** {@code --pcap}, or null. */
    public Path pcap()
    {
        return pcap;
    }

    /** {@code --offload} as given, or null for the default (auto). */
    public String offload()
    {
        return offload;
    }

    /** Whether any option that only makes sense with --tap was given without it; returns its name or null. */
    public String tapOnlyOptionWithoutTap()
    {
        if (tap != null)
        {
            return null;
        }
        return ipv4 != null ? "--ipv4" : ipv6 != null ? "--ipv6"
            : ipv6Gateway != null ? "--ipv6-gateway" : gateway != null ? "--ipv4-gateway" : mac != null ? "--mac"
            : mtu != null ? "--mtu" : pcap != null ? "--pcap"
            : tcpMaxConnections != null ? "--tcp-max-connections" : tcpSynBacklog != null ? "--tcp-syn-backlog"
            : tcpBuffer != null ? "--tcp-buffer" : null;
    }
}
