package io.conntest.cli;

import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.run.TapStack;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import io.conntest.tap.OffloadMode;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The network options (stack selection): kernel sockets unless {@code --tap} is given. */
public final class NetworkOptions
{
    @Option(names = "--tap", paramLabel = "IFNAME",
        description = "Run on the own stack on this TAP device (attached if it exists, else created). "
            + "Default: the kernel's sockets.")
    String tap;

    @Option(names = "--ipv4", paramLabel = "ADDR/PREFIX", converter = Converters.Ipv4CidrConverter.class,
        description = "With --tap: the stack's IPv4 address and prefix, e.g. 10.0.0.2/24.")
    Ipv4Cidr ipv4;

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

    @Option(names = "--offload", paramLabel = "auto|none", description = "With --tap: auto (default) negotiates "
        + "checksum and TCP segmentation offload with the kernel (64 KB segments per system call); none sends one "
        + "MTU-sized frame per system call with checksums in Java, as a unikernel on a TAP.")
    String offload;

    /** The TAP interface name, or null for the kernel's sockets. */
    public String tap()
    {
        return tap;
    }

    /**
     * The --tap options, checked; a usage error names the option.
     *
     * @param trace where frame trace lines go, or null
     */
    public TapStack tapStack(final CommandLine commandLine, final Consumer<String> trace)
    {
        if (ipv4 == null)
        {
            throw new ParameterException(commandLine, "missing --ipv4 ADDR/PREFIX for the stack on " + tap);
        }
        if (gateway != null && !ipv4.contains(gateway))
        {
            throw new ParameterException(commandLine, "--ipv4-gateway " + Ipv4Cidr.format(gateway) + " is not in "
                + ipv4 + " (a gateway must be on-link)");
        }
        if (mtu != null && (mtu < 68 || mtu > 65535))
        {
            throw new ParameterException(commandLine, "--mtu " + mtu + " is not in 68..65535");
        }
        final OffloadMode offloadMode;
        try
        {
            offloadMode = offload == null ? OffloadMode.AUTO : OffloadMode.parse(offload);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(commandLine, "--" + ex.getMessage());
        }
        return new TapStack(tap, ipv4, gateway == null ? 0 : gateway, mac == null ? -1 : mac, mtu == null ? 0 : mtu,
            pcap, trace, offloadMode);
    }

    /** Whether any option that only makes sense with --tap was given without it; returns its name or null. */
    public String tapOnlyOptionWithoutTap()
    {
        if (tap != null)
        {
            return null;
        }
        return ipv4 != null ? "--ipv4" : gateway != null ? "--ipv4-gateway" : mac != null ? "--mac"
            : mtu != null ? "--mtu" : pcap != null ? "--pcap" : offload != null ? "--offload" : null;
    }
}
