package io.conntest.tap.libc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * UDP generic segmentation and receive offload on a kernel UDP socket, which the JDK does not expose: a
 * {@code sendmsg(2)} carrying a {@code UDP_SEGMENT} control message hands the kernel up to 64 KB that it cuts into
 * datagrams of one size (the last may be shorter), and with {@code UDP_GRO} on, one {@code recvmsg(2)} returns
 * same-flow datagrams coalesced, with their size in a {@code UDP_GRO} control message (linux/udp.h; Linux 4.18 and
 * 5.0). One system call per up to 64 datagrams instead of one each.
 *
 * <p>The {@code msghdr}, {@code iovec}, {@code sockaddr_in} and control buffer live in one pre-allocated block of
 * direct memory laid out as on 64-bit Linux, so a call allocates nothing. One instance per thread.
 */
public final class UdpSegmentCalls
{
    /** {@code UDP_MAX_SEGMENTS} of Linux 4.18 to 6.x (newer kernels take 128): datagrams per send at most. */
    public static final int MAX_SEGMENTS = 64;

    // struct msghdr (x86_64/aarch64): name, namelen, iov, iovlen, control, controllen, flags
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int IOV = 64;
    private static final int NAME = 96;
    private static final int SOCKADDR_IN_LENGTH = 16;
    private static final int CONTROL = 128;
    /** UDP_GRO, IP_TTL and IP_TOS: three CMSG_SPACE(4) = 24 bytes. */
    private static final int CONTROL_ROOM = 96;
    private static final int OPTION = 232;
    private static final int BLOCK = 256;
    // struct cmsghdr: len (size_t), level, type, data; CMSG_LEN(2) = 18, CMSG_SPACE(2) = 24
    private static final int CMSG_LEVEL = 8;
    private static final int CMSG_TYPE = 12;
    private static final int CMSG_DATA = 16;
    private static final int CMSG_HEADER = 16;

    private final LibC libc = Native.libc();
    private final UnsafeBuffer block = new UnsafeBuffer(ByteBuffer.allocateDirect(BLOCK).order(ByteOrder.nativeOrder()));
    private final long base = block.addressOffset();
    private int segmentSize;
    private int sourceAddress;
    private int sourcePort;
    private int ttl = -1;
    private int tos = -1;

    /**
     * Turns on {@code UDP_GRO} for {@code fd} and checks that {@code UDP_SEGMENT} is known (setting it to 0, "no
     * default size", changes nothing else). False when the kernel refuses either: then the socket is used plainly.
     */
    public boolean enable(final int fd)
    {
        block.putInt(OPTION, 0, ByteOrder.nativeOrder());
        if (libc.setsockopt(fd, Linux.SOL_UDP, Linux.UDP_SEGMENT, base + OPTION, 4) != 0)
        {
            return false;
        }
        block.putInt(OPTION, 1, ByteOrder.nativeOrder());
        if (libc.setsockopt(fd, Linux.SOL_UDP, Linux.UDP_GRO, base + OPTION, 4) != 0)
        {
            return false;
        }
        // each datagram's TTL and TOS byte come along as control messages (what the peer's packets look like on
        // arrival: hop count, DSCP); a kernel that refuses them only loses that, not the offloads
        libc.setsockopt(fd, Linux.SOL_IP, Linux.IP_RECVTTL, base + OPTION, 4);
        libc.setsockopt(fd, Linux.SOL_IP, Linux.IP_RECVTOS, base + OPTION, 4);
        return true;
    }

    /**
     * Sends {@code length} bytes at {@code address} as datagrams of {@code segmentSize} bytes (the last one may be
     * shorter; one datagram when {@code length <= segmentSize}), to {@code dstAddress:dstPort} (IPv4 as an int,
     * most significant byte first) or, with {@code dstPort < 0}, to the socket's connected peer.
     *
     * @return the bytes sent (all of them: the kernel takes a segmented send whole or not at all), 0 when the socket
     *         would block, or {@code -errno}.
     */
    public long send(final int fd, final long address, final int length, final int segmentSize, final int dstAddress,
        final int dstPort)
    {
        block.putLong(IOV, address);
        block.putLong(IOV + 8, length);
        if (dstPort >= 0)
        {
            putSockaddr(dstAddress, dstPort);
            block.putLong(MSG_NAME, base + NAME);
            block.putInt(MSG_NAMELEN, SOCKADDR_IN_LENGTH);
        }
        else
        {
            block.putLong(MSG_NAME, 0);
            block.putInt(MSG_NAMELEN, 0);
        }
        block.putLong(MSG_IOV, base + IOV);
        block.putLong(MSG_IOVLEN, 1);
        if (length > segmentSize)
        {
            block.putLong(CONTROL, CMSG_HEADER + 2);
            block.putInt(CONTROL + CMSG_LEVEL, Linux.SOL_UDP);
            block.putInt(CONTROL + CMSG_TYPE, Linux.UDP_SEGMENT);
            block.putShort(CONTROL + CMSG_DATA, (short)segmentSize);
            block.putLong(MSG_CONTROL, base + CONTROL);
            block.putLong(MSG_CONTROLLEN, CMSG_HEADER + 8); // CMSG_SPACE(sizeof(uint16_t))
        }
        else
        {
            block.putLong(MSG_CONTROL, 0);
            block.putLong(MSG_CONTROLLEN, 0);
        }
        block.putInt(MSG_FLAGS, 0);
        final long n = libc.sendmsg(fd, base, 0);
        return n >= 0 ? n : wouldBlockOrError();
    }

    /**
     * Receives into {@code capacity} bytes at {@code address}: one datagram or, with {@code UDP_GRO}, several of
     * {@link #segmentSize()} bytes (the last may be shorter) from the same source.
     *
     * @return the bytes received, 0 when none is waiting, or {@code -errno}.
     */
    public long receive(final int fd, final long address, final int capacity)
    {
        block.putLong(IOV, address);
        block.putLong(IOV + 8, capacity);
        block.putLong(MSG_NAME, base + NAME);
        block.putInt(MSG_NAMELEN, SOCKADDR_IN_LENGTH);
        block.putLong(MSG_IOV, base + IOV);
        block.putLong(MSG_IOVLEN, 1);
        block.putLong(MSG_CONTROL, base + CONTROL);
        block.putLong(MSG_CONTROLLEN, CONTROL_ROOM);
        block.putInt(MSG_FLAGS, 0);
        final long n = libc.recvmsg(fd, base, 0);
        if (n < 0)
        {
            return wouldBlockOrError();
        }
        segmentSize = 0;
        ttl = -1;
        tos = -1;
        final long controlLength = block.getLong(MSG_CONTROLLEN);
        int at = 0;
        while (at + CMSG_HEADER <= controlLength)
        {
            final long cmsgLength = block.getLong(CONTROL + at);
            if (cmsgLength < CMSG_HEADER || at + cmsgLength > controlLength)
            {
                break;
            }
            final int level = block.getInt(CONTROL + at + CMSG_LEVEL);
            final int type = block.getInt(CONTROL + at + CMSG_TYPE);
            if (level == Linux.SOL_UDP && type == Linux.UDP_GRO && cmsgLength >= CMSG_HEADER + 4)
            {
                segmentSize = block.getInt(CONTROL + at + CMSG_DATA);
            }
            else if (level == Linux.SOL_IP && type == Linux.IP_TTL && cmsgLength >= CMSG_HEADER + 4)
            {
                ttl = block.getInt(CONTROL + at + CMSG_DATA) & 0xFF;
            }
            else if (level == Linux.SOL_IP && type == Linux.IP_TOS && cmsgLength >= CMSG_HEADER + 1)
            {
                tos = block.getByte(CONTROL + at + CMSG_DATA) & 0xFF;
            }
            at += (int)((cmsgLength + 7) & ~7L);
        }
        sourcePort = Short.toUnsignedInt(block.getShort(NAME + 2, ByteOrder.BIG_ENDIAN));
        sourceAddress = block.getInt(NAME + 4, ByteOrder.BIG_ENDIAN);
        return n;
    }

    /** The size of the datagrams the last {@link #receive} returned coalesced, 0 when it returned one datagram. */
    public int segmentSize()
    {
        return segmentSize;
    }

    /** The TTL the last {@link #receive}'s datagram arrived with, -1 when the kernel did not say. */
    public int ttl()
    {
        return ttl;
    }

    /** The TOS byte (DSCP and ECN) the last {@link #receive}'s datagram arrived with, -1 when the kernel did not say. */
    public int tos()
    {
        return tos;
    }

    /** The IPv4 source of the last {@link #receive}, most significant byte first. */
    public int sourceAddress()
    {
        return sourceAddress;
    }

    /** The source port of the last {@link #receive}. */
    public int sourcePort()
    {
        return sourcePort;
    }

    private void putSockaddr(final int address, final int port)
    {
        block.putShort(NAME, (short)Linux.AF_INET);
        block.putShort(NAME + 2, (short)port, ByteOrder.BIG_ENDIAN);
        block.putInt(NAME + 4, address, ByteOrder.BIG_ENDIAN);
        block.putLong(NAME + 8, 0);
    }

    private static long wouldBlockOrError()
    {
        final int errno = Native.errno();
        return errno == Errno.EAGAIN || errno == Errno.EINTR ? 0 : -errno;
    }
}
