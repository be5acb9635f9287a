package io.conntest.tap.libc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a kernel TCP socket's {@code struct tcp_info} ({@code getsockopt(fd, IPPROTO_TCP, TCP_INFO)}, linux/tcp.h)
 * into pre-allocated memory: one system call, nothing allocated. The fields are those of the stable prefix of the
 * structure (every kernel since 2.6 fills it), at their fixed offsets. One reader per thread.
 */
public final class TcpInfoReader
{
    /** Bytes of {@code struct tcp_info} up to and including {@code tcpi_total_retrans}. */
    static final int PREFIX_BYTES = 104;
    private static final int OFFSET_RETRANSMITS = 2;
    private static final int OFFSET_SND_MSS = 16;
    private static final int OFFSET_LOST = 32;
    private static final int OFFSET_PMTU = 60;
    private static final int OFFSET_RTT = 68;
    private static final int OFFSET_RTTVAR = 72;
    private static final int OFFSET_SND_CWND = 80;
    private static final int OFFSET_TOTAL_RETRANS = 100;
    private static final int ROOM = 256;

    private final LibC libc = Native.libc();
    private final UnsafeBuffer info = new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM).order(ByteOrder.nativeOrder()));
    private final UnsafeBuffer length = new UnsafeBuffer(ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()));

    /** Reads the socket's figures; false when the call failed or the kernel returned less than the prefix. */
    public boolean read(final int fd)
    {
        length.putInt(0, ROOM, ByteOrder.nativeOrder());
        final int rc = libc.getsockopt(fd, Linux.IPPROTO_TCP, Linux.TCP_INFO, info.addressOffset(),
            length.addressOffset());
        return rc == 0 && length.getInt(0, ByteOrder.nativeOrder()) >= PREFIX_BYTES;
    }

    /** Smoothed RTT, microseconds ({@code tcpi_rtt}). */
    public long rttUs()
    {
        return u32(OFFSET_RTT);
    }

    /** RTT variation, microseconds ({@code tcpi_rttvar}). */
    public long rttVarUs()
    {
        return u32(OFFSET_RTTVAR);
    }

    /** Congestion window, segments ({@code tcpi_snd_cwnd}). */
    public long sendCwndSegments()
    {
        return u32(OFFSET_SND_CWND);
    }

    /** Sender MSS, bytes ({@code tcpi_snd_mss}). */
    public long sendMss()
    {
        return u32(OFFSET_SND_MSS);
    }

    /** Path MTU, bytes ({@code tcpi_pmtu}). */
    public long pmtu()
    {
        return u32(OFFSET_PMTU);
    }

    /** Retransmissions over the connection's life ({@code tcpi_total_retrans}). */
    public long totalRetransmissions()
    {
        return u32(OFFSET_TOTAL_RETRANS);
    }

    /** Unrecovered retransmission timeouts now ({@code tcpi_retransmits}). */
    public int retransmitsNow()
    {
        return info.getByte(OFFSET_RETRANSMITS) & 0xFF;
    }

    /** Segments the kernel deems lost now ({@code tcpi_lost}). */
    public long lostNow()
    {
        return u32(OFFSET_LOST);
    }

    private long u32(final int offset)
    {
        return info.getInt(offset, ByteOrder.nativeOrder()) & 0xFFFF_FFFFL;
    }
}
