package io.conntest.core.iperf3;

import org.agrona.DirectBuffer;

import io.conntest.core.transport.Connection;

/**
 * One data stream of a test: its iperf3 id, its direction, and what it carried. The server counts bytes received
 * or written; what fell in the {@code -O} omit period is subtracted when the results are made, as iperf3 resets its
 * counters when the omit period ends. A UDP stream has no connection but the client's address and port, and keeps
 * iperf3's datagram accounting (highest sequence number, losses, out-of-order, RFC 1889 jitter).
 */
final class Iperf3Stream
{
    final Connection connection;
    /** iperf3's stream id: 1, then 3, 4, 5... (iperf_add_stream skips 2 for compatibility). */
    final int id;
    final boolean serverSends;
    long bytes;
    long bytesAtOmitEnd;
    boolean writeBlocked;

    /** UDP: the client's address and port (the stream's identity). */
    int udpAddr;
    int udpPort;
    /** UDP: highest sequence number received, or the last one sent (iperf3's packet_count). */
    long packetCount;
    /** UDP: datagrams lost (gaps in the sequence, less the late ones that filled them; iperf3's cnt_error). */
    long lost;
    long outOfOrder;
    /** UDP: RFC 1889 §6.3.1 interarrival jitter in seconds, and the transit time of the previous datagram. */
    double jitter;
    double previousTransit;
    long packetsAtOmitEnd;
    long lostAtOmitEnd;

    Iperf3Stream(final Connection connection, final int index, final boolean serverSends)
    {
        this.connection = connection;
        this.id = index == 0 ? 1 : index + 2;
        this.serverSends = serverSends;
    }

    /** A UDP stream. */
    Iperf3Stream(final int udpAddr, final int udpPort, final int index, final boolean serverSends)
    {
        this(null, index, serverSends);
        this.udpAddr = udpAddr;
        this.udpPort = udpPort;
    }

    boolean isUdp()
    {
        return connection == null;
    }

    /**
     * One datagram received (iperf3's {@code iperf_udp_recv}): a sequence number beyond the next counts the gap as
     * lost, one behind the highest is out of order and takes a loss back; the jitter is smoothed by 1/16 as
     * RFC 1889 §6.3.1 does.
     *
     * @param transitS arrival time minus the sender's timestamp, in seconds (the clocks need not agree)
     */
    void onDatagram(final int length, final long sequence, final double transitS)
    {
        final boolean first = bytes == 0;
        bytes += length;
        if (sequence >= packetCount + 1)
        {
            if (sequence > packetCount + 1)
            {
                lost += sequence - 1 - packetCount;
            }
            packetCount = sequence;
        }
        else
        {
            outOfOrder++;
            if (lost > 0)
            {
                lost--;
            }
        }
        if (first)
        {
            previousTransit = transitS;
        }
        final double d = Math.abs(transitS - previousTransit);
        previousTransit = transitS;
        jitter += (d - jitter) / 16.0;
    }

    /** Bytes after the omit period. */
    long measuredBytes()
    {
        return bytes - bytesAtOmitEnd;
    }

    /**
     * Writes up to {@code budget} bytes from the block; returns how many were taken. Stops when the connection
     * takes less than offered (it calls back when writable).
     */
    long send(final DirectBuffer block, final long budget)
    {
        if (connection == null)
        {
            return 0;
        }
        long sent = 0;
        while (sent < budget && connection.isOpen())
        {
            final int want = (int)Math.min(block.capacity(), budget - sent);
            final int n = connection.write(block, 0, want);
            sent += Math.max(n, 0);
            if (n < want)
            {
                writeBlocked = true;
                break;
            }
        }
        bytes += sent;
        return sent;
    }
}
