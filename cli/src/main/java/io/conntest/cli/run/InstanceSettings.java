package io.conntest.cli.run;

import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.options.Ipv6Settings;
import io.conntest.core.engine.ListenSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything that defines one instance with its own stack: validated values from the command line.
 *
 * @param name    the instance's name, shown in the log.
 * @param tap     the TAP interface to attach to (or create).
 * @param ipv4    the stack's address and prefix.
 * @param gateway the default gateway, 0 for none.
 * @param mac     the stack's MAC, -1 for a random locally administered one.
 * @param mtu     the MTU (also set on the TAP), 0 to use the TAP's.
 * @param pcap    where to record every frame, or null.
 * @param listens the listeners.
 * @param verbose whether to log counters every second instead of every ten.
 * @param trace   whether to log every frame.
 * @param ipv6    the IPv6 settings ({@code --ipv6}, {@code --ipv6-gateway}).
 */
public record InstanceSettings(
    String name,
    String tap,
    Ipv4Cidr ipv4,
    int gateway,
    long mac,
    int mtu,
    Path pcap,
    List<ListenSpec> listens,
    boolean verbose,
    boolean trace,
    Ipv6Settings ipv6)
{
    public InstanceSettings
    {
        listens = List.copyOf(listens);
    }

    /** Without IPv6 settings (the link-local address only). */
    public InstanceSettings(final String name, final String tap, final Ipv4Cidr ipv4, final int gateway,
        final long mac, final int mtu, final Path pcap, final List<ListenSpec> listens, final boolean verbose,
        final boolean trace)
    {
        this(name, tap, ipv4, gateway, mac, mtu, pcap, listens, verbose, trace, Ipv6Settings.NONE);
    }
}
