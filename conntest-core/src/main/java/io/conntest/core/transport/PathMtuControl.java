package io.conntest.core.transport;

import java.nio.channels.DatagramChannel;

/**
 * What a path MTU prober needs of the kernel that the JDK does not offer (ip(7)): DF set on a UDP socket's
 * datagrams with the learnt path MTU ignored ({@code IP_PMTUDISC_PROBE}), and the path MTU the kernel holds for a
 * destination ({@code IP_MTU}). core binds no native code: the command line supplies it (jnr-ffi, the tap module)
 * through {@link KernelTransport#pathMtuControl(PathMtuControl)}; without one the kernel transport cannot probe.
 */
public interface PathMtuControl
{
    /** Puts the channel in probe mode; false when it cannot. */
    boolean probeMode(DatagramChannel channel);

    /**
     * The kernel's path MTU towards {@code dstAddr} (IPv4 as an int), read on a socket connected there for the
     * purpose: the route's device MTU, or lower when ICMP "fragmentation needed" taught it so; 0 when unknown.
     */
    int routeMtu(int dstAddr, int dstPort);
}
