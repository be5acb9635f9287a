package io.conntest.core.iperf3;

import org.agrona.DirectBuffer;

import io.conntest.core.transport.Connection;

/**
 * One data stream of a test: its iperf3 id, its direction, and what it carried. The server counts bytes received
 * or written; what fell in the {@code -O} omit period is subtracted when the results are made, as iperf3 resets its
 * counters when the omit period ends.
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

    Iperf3Stream(final Connection connection, final int index, final boolean serverSends)
    {
        this.connection = connection;
        this.id = index == 0 ? 1 : index + 2;
        this.serverSends = serverSends;
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
