package io.conntest.tap.libc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The two socket options a path MTU prober needs on a kernel UDP socket, which the JDK does not expose (ip(7)):
 * {@code IP_MTU_DISCOVER = IP_PMTUDISC_PROBE} (DF on every datagram, the path MTU the kernel learnt ignored, so a
 * probe larger than the path leaves whole and is lost or answered by ICMP), and {@code IP_MTU}, the path MTU the
 * kernel holds for a connected socket's destination (the device's MTU lowered by ICMP "fragmentation needed",
 * RFC 1191). Pre-allocated memory: a call allocates nothing. One instance per thread.
 */
public final class PathMtuCalls
{
    private final LibC libc = Native.libc();
    private final UnsafeBuffer block = new UnsafeBuffer(ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()));
    private final long base = block.addressOffset();

    /** Puts the socket in probe mode; false when the kernel refuses. */
    public boolean probeMode(final int fd)
    {
        block.putInt(0, Linux.IP_PMTUDISC_PROBE, ByteOrder.nativeOrder());
        return libc.setsockopt(fd, Linux.SOL_IP, Linux.IP_MTU_DISCOVER, base, 4) == 0;
    }

    /** The connected socket's path MTU, or {@code -errno} (ENOTCONN when it is not connected). */
    public int pathMtu(final int fd)
    {
        block.putInt(8, 4, ByteOrder.nativeOrder());
        if (libc.getsockopt(fd, Linux.SOL_IP, Linux.IP_MTU, base, base + 8) != 0)
        {
            return -Native.errno();
        }
        return block.getInt(0, ByteOrder.nativeOrder());
    }
}
