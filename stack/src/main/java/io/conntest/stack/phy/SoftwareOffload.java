package io.conntest.stack.phy;

import io.conntest.stack.wire.Checksum;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Does in software what a device with offloads does in hardware (or Linux's {@code tcp_gso_segment} does for a TAP):
 * cuts a TCP/IPv4 super-frame into segments of {@code gso_size} payload bytes (and a UDP/IPv4 super-datagram into
 * its datagrams) and completes partial checksums, so the frames that leave are plain ones a wire carries. Used by
 * the devices that emulate offloads in memory, by the fault injector, which impairs frames as a wire would, and by
 * the interface to split UDP super-datagrams before the sockets see them.
 *
 * <p>Each segment gets the super-frame's headers with the IPv4 total length, identification (+1 per segment, as
 * Linux does for TSO) and header checksum redone, the sequence number advanced, FIN and PSH on the last segment only,
 * CWR on the first only (RFC 3168 §6.1.2), and a full TCP checksum. Single-threaded; one scratch frame, no
 * allocation per frame.
 */
public final class SoftwareOffload
{
    /** Where the plain frames go. */
    @FunctionalInterface
    public interface Sink
    {
        /** One plain frame, lent for the duration of the call. */
        void onSegment(DirectBuffer buffer, int offset, int length);
    }

    private static final int ETH = 14;
    private static final int TCP_FLAGS_FIN_PSH = 0x09;
    private static final int TCP_FLAG_CWR = 0x80;

    private final UnsafeBuffer scratch;

    /** @param maxSegment the largest plain frame produced (Ethernet header included), e.g. MTU + 14. */
    public SoftwareOffload(final int maxSegment)
    {
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(maxSegment, FrameMetadata.MAX_SUPER_FRAME)));
    }

    /**
     * Hands {@code sink} the plain frames {@code [offset, offset + length)} of {@code frame} stands for under
     * {@code metadata}: itself when plain, itself with its checksum completed for NEEDS_CSUM, its segments for a
     * TCP/IPv4 super-frame.
     *
     * @return the number of frames handed over, or -1 when the frame is malformed for its metadata (nothing handed
     *         over: the caller counts and drops it).
     */
    public int resolve(final DirectBuffer frame, final int offset, final int length, final FrameMetadata metadata,
        final Sink sink)
    {
        if (metadata.isPlain() || !metadata.isSuperFrame() && !metadata.needsChecksum())
        {
            sink.onSegment(frame, offset, length);
            return 1;
        }
        if (!metadata.isConsistent(length))
        {
            return -1;
        }
        if (!metadata.isSuperFrame())
        {
            scratch.putBytes(0, frame, offset, length);
            completeChecksum(scratch, metadata.csumStart(), length - metadata.csumStart(),
                metadata.csumStart() + metadata.csumOffset());
            sink.onSegment(scratch, 0, length);
            return 1;
        }
        final int type = metadata.gsoType() & ~FrameMetadata.GSO_ECN;
        if (type == FrameMetadata.GSO_UDP_L4)
        {
            // USO carries no family in its GSO type: the Ethernet type says which
            return (frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) == 0x86DD
                ? segmentUdpV6(frame, offset, length, metadata.gsoSize(), sink)
                : segmentUdpV4(frame, offset, length, metadata.gsoSize(), sink);
        }
        if (type == FrameMetadata.GSO_TCPV6)
        {
            return segmentTcpV6(frame, offset, length, metadata.gsoSize(), sink);
        }
        if (type != FrameMetadata.GSO_TCPV4)
        {
            return -1;
        }
        return segmentTcpV4(frame, offset, length, metadata.gsoSize(), sink);
    }

    /**
     * Cuts a UDP/IPv4 super-datagram ({@code GSO_UDP_L4}: USO on send, UDP GRO on receive) into datagrams of
     * {@code gsoSize} payload bytes (the last may be shorter), as Linux's {@code __udp_gso_segment} does: each gets
     * the headers with the IPv4 total length, identification (+1 per datagram) and header checksum redone, the UDP
     * length set to its own (RFC 768), and a full UDP checksum (0 sent as 0xFFFF).
     */
    private int segmentUdpV4(final DirectBuffer frame, final int offset, final int length, final int gsoSize,
        final Sink sink)
    {
        if (length < ETH + 20 + 8 || (frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != 0x0800)
        {
            return -1;
        }
        final int ip = offset + ETH;
        final int ihl = (frame.getByte(ip) & 0x0F) * 4;
        final int total = frame.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((frame.getByte(ip) & 0xF0) != 0x40 || ihl < 20 || frame.getByte(ip + 9) != 17 || total < ihl + 8
            || ETH + total > length)
        {
            return -1;
        }
        final long addressSum = Checksum.ipv4AddressSum(frame.getInt(ip + 12, ByteOrder.BIG_ENDIAN),
            frame.getInt(ip + 16, ByteOrder.BIG_ENDIAN));
        return segmentUdp(frame, offset, ihl, total, gsoSize, addressSum, false, sink);
    }

    /**
     * Cuts a UDP/IPv6 super-datagram (GSO_UDP_L4 over IPv6: USO6, what a kernel socket with {@code UDP_SEGMENT}
     * hands a TAP with {@code TUN_F_USO6}) as {@link #segmentUdpV4} does, the IPv6 payload length set per datagram
     * and the checksum over the IPv6 pseudo-header (RFC 8200 §8.1). A UDP header right after the IPv6 one only.
     */
    private int segmentUdpV6(final DirectBuffer frame, final int offset, final int length, final int gsoSize,
        final Sink sink)
    {
        if (length < ETH + 40 + 8 || (frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != 0x86DD)
        {
            return -1;
        }
        final int ip = offset + ETH;
        final int total = 40 + (frame.getShort(ip + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        if ((frame.getByte(ip) & 0xF0) != 0x60 || frame.getByte(ip + 6) != 17 || total < 40 + 8
            || ETH + total > length)
        {
            return -1;
        }
        final long addressSum = Checksum.ipv6AddressSum(frame.getLong(ip + 8, ByteOrder.BIG_ENDIAN),
            frame.getLong(ip + 16, ByteOrder.BIG_ENDIAN), frame.getLong(ip + 24, ByteOrder.BIG_ENDIAN),
            frame.getLong(ip + 32, ByteOrder.BIG_ENDIAN));
        return segmentUdp(frame, offset, 40, total, gsoSize, addressSum, true, sink);
    }

    /** The UDP cut both families share; {@code ipLength} is the IP header's length, {@code total} the packet's. */
    private int segmentUdp(final DirectBuffer frame, final int offset, final int ipLength, final int total,
        final int gsoSize, final long addressSum, final boolean ipv6, final Sink sink)
    {
        final int headers = ETH + ipLength + 8;
        final int payload = total - ipLength - 8;
        if (gsoSize <= 0 || headers + Math.min(gsoSize, payload) > scratch.capacity())
        {
            return -1;
        }
        final int id = frame.getShort(offset + ETH + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        int sent = 0;
        int done = 0;
        do
        {
            final int piece = Math.min(gsoSize, payload - done);
            scratch.putBytes(0, frame, offset, headers);
            scratch.putBytes(headers, frame, offset + headers + done, piece);
            if (ipv6)
            {
                scratch.putShort(ETH + 4, (short)(8 + piece), ByteOrder.BIG_ENDIAN);
            }
            else
            {
                scratch.putShort(ETH + 2, (short)(ipLength + 8 + piece), ByteOrder.BIG_ENDIAN);
                scratch.putShort(ETH + 4, (short)(id + sent), ByteOrder.BIG_ENDIAN);
                scratch.putShort(ETH + 10, (short)0);
                scratch.putShort(ETH + 10, (short)Checksum.compute(scratch, ETH, ipLength), ByteOrder.BIG_ENDIAN);
            }
            final int u = ETH + ipLength;
            scratch.putShort(u + 4, (short)(8 + piece), ByteOrder.BIG_ENDIAN);
            scratch.putShort(u + 6, (short)0);
            long sum = addressSum + 17 + 8 + piece;
            sum = Checksum.add(sum, scratch, u, 8 + piece);
            final int checksum = Checksum.finish(sum);
            scratch.putShort(u + 6, (short)(checksum == 0 ? 0xFFFF : checksum), ByteOrder.BIG_ENDIAN);
            sink.onSegment(scratch, 0, headers + piece);
            sent++;
            done += piece;
        }
        while (done < payload);
        return sent;
    }

    /**
     * Cuts a TCP/IPv4 super-segment ({@code GSO_TCPV4}) into segments of {@code gsoSize} payload bytes, as Linux's
     * {@code tcp_gso_segment} does: the IPv4 total length, identification (+1 each) and header checksum redone, the
     * sequence number advanced, FIN and PSH on the last only, CWR on the first only, a full TCP checksum.
     */
    private int segmentTcpV4(final DirectBuffer frame, final int offset, final int length, final int gsoSize,
        final Sink sink)
    {
        if (length < ETH + 20 + 20 || (frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != 0x0800)
        {
            return -1;
        }
        final int ip = offset + ETH;
        final int ihl = (frame.getByte(ip) & 0x0F) * 4;
        final int total = frame.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((frame.getByte(ip) & 0xF0) != 0x40 || ihl < 20 || frame.getByte(ip + 9) != 6 || total < ihl + 20 ||
            ETH + total > length)
        {
            return -1;
        }
        final long addressSum = Checksum.ipv4AddressSum(frame.getInt(ip + 12, ByteOrder.BIG_ENDIAN),
            frame.getInt(ip + 16, ByteOrder.BIG_ENDIAN));
        return segmentTcp(frame, offset, ihl, total, gsoSize, addressSum, false, sink);
    }

    /**
     * Cuts a TCP/IPv6 super-segment ({@code GSO_TCPV6}, what a TAP with {@code TUN_F_TSO6} is handed by the kernel's
     * TCP over IPv6) as {@link #segmentTcpV4} does, the IPv6 payload length set per segment (RFC 8200 §3; IPv6 has
     * no header checksum or identification to redo). Only a TCP header right after the IPv6 header is taken: the
     * kernel's TCP adds no extension header.
     */
    private int segmentTcpV6(final DirectBuffer frame, final int offset, final int length, final int gsoSize,
        final Sink sink)
    {
        if (length < ETH + 40 + 20 || (frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != 0x86DD)
        {
            return -1;
        }
        final int ip = offset + ETH;
        final int total = 40 + (frame.getShort(ip + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        if ((frame.getByte(ip) & 0xF0) != 0x60 || frame.getByte(ip + 6) != 6 || total < 40 + 20
            || ETH + total > length)
        {
            return -1;
        }
        final long addressSum = Checksum.ipv6AddressSum(frame.getLong(ip + 8, ByteOrder.BIG_ENDIAN),
            frame.getLong(ip + 16, ByteOrder.BIG_ENDIAN), frame.getLong(ip + 24, ByteOrder.BIG_ENDIAN),
            frame.getLong(ip + 32, ByteOrder.BIG_ENDIAN));
        return segmentTcp(frame, offset, 40, total, gsoSize, addressSum, true, sink);
    }

    /** The cut both families share; {@code ipLength} is the IP header's length, {@code total} the packet's. */
    private int segmentTcp(final DirectBuffer frame, final int offset, final int ipLength, final int total,
        final int gsoSize, final long addressSum, final boolean ipv6, final Sink sink)
    {
        final int tcp = offset + ETH + ipLength;
        final int thl = ((frame.getByte(tcp + 12) & 0xF0) >>> 4) * 4;
        if (thl < 20 || ipLength + thl > total || gsoSize <= 0)
        {
            return -1;
        }
        final int headers = ETH + ipLength + thl;
        final int payload = total - ipLength - thl;
        final int id = frame.getShort(offset + ETH + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int seq = frame.getInt(tcp + 4, ByteOrder.BIG_ENDIAN);
        final int flags = frame.getByte(tcp + 13) & 0xFF;
        int sent = 0;
        int done = 0;
        do
        {
            final int piece = Math.min(gsoSize, payload - done);
            final boolean last = done + piece >= payload;
            scratch.putBytes(0, frame, offset, headers);
            scratch.putBytes(headers, frame, offset + headers + done, piece);
            if (ipv6)
            {
                scratch.putShort(ETH + 4, (short)(thl + piece), ByteOrder.BIG_ENDIAN);
            }
            else
            {
                // IPv4: total length, identification, header checksum.
                scratch.putShort(ETH + 2, (short)(ipLength + thl + piece), ByteOrder.BIG_ENDIAN);
                scratch.putShort(ETH + 4, (short)(id + sent), ByteOrder.BIG_ENDIAN);
                scratch.putShort(ETH + 10, (short)0);
                scratch.putShort(ETH + 10, (short)Checksum.compute(scratch, ETH, ipLength), ByteOrder.BIG_ENDIAN);
            }
            // TCP: sequence number, flags, checksum.
            final int t = ETH + ipLength;
            scratch.putInt(t + 4, seq + done, ByteOrder.BIG_ENDIAN);
            int f = flags;
            if (!last)
            {
                f &= ~TCP_FLAGS_FIN_PSH;
            }
            if (sent > 0)
            {
                f &= ~TCP_FLAG_CWR;
            }
            scratch.putByte(t + 13, (byte)f);
            scratch.putShort(t + 16, (short)0);
            long sum = addressSum + 6 + thl + piece;
            sum = Checksum.add(sum, scratch, t, thl + piece);
            scratch.putShort(t + 16, (short)Checksum.finish(sum), ByteOrder.BIG_ENDIAN);
            sink.onSegment(scratch, 0, headers + piece);
            sent++;
            done += piece;
        }
        while (done < payload);
        return sent;
    }

    /**
     * Completes a partial checksum as a device does for NEEDS_CSUM: the field holds the pseudo-header sum; the sum
     * over {@code [start, start + length)} with it in place, complemented, goes into the field.
     */
    public static void completeChecksum(final MutableDirectBuffer frame, final int start, final int length,
        final int field)
    {
        final long sum = Checksum.add(0, frame, start, length);
        final int value = Checksum.finish(sum);
        frame.putShort(field, (short)value, ByteOrder.BIG_ENDIAN);
    }
}
