package io.conntest.core.iperf3;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;

/**
 * The UDP side of a {@code -u} test (iperf3's iperf_udp.c): the server's UDP socket on the test's port, the connect
 * handshake that makes each new client address a stream (the client sends the 4-byte UDP_CONNECT_MSG, the server
 * answers UDP_CONNECT_REPLY), the datagram header of sent and received data (seconds, microseconds, sequence
 * number; big-endian; the sequence 32 or, with {@code udp_counters_64bit}, 64 bits) and the paced sending of
 * {@code -R}/{@code --bidir}.
 */
final class UdpStreams implements DatagramHandler
{
    /** iperf3's UDP_CONNECT_MSG, written as a host-order int by the client (little-endian on x86: "9876"). */
    static final int CONNECT_MSG = 0x36373839;
    /** iperf3's UDP_CONNECT_REPLY. */
    static final int CONNECT_REPLY = 0x39383736;
    /** Datagrams sent per stream and pump at most (the pace is kept by the time between pumps). */
    private static final int MAX_BURST = 256;

    private final Iperf3Test test;
    private final boolean counters64;
    private final int length;
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[4]);
    private final UnsafeBuffer datagram;
    /** Wall clock in microseconds at {@link #baseNs} on the engine clock: the timestamps of sent datagrams. */
    private final long baseEpochUs;
    private final long baseNs;
    DatagramPort port;
    long ignored;
    /** Datagrams the socket dropped because its receive queue was full (read when it closes). */
    long socketDrops;

    UdpStreams(final Iperf3Test test, final boolean counters64, final int length, final long nowNs)
    {
        this.test = test;
        this.counters64 = counters64;
        this.length = length;
        this.datagram = new UnsafeBuffer(new byte[length]);
        this.baseEpochUs = System.currentTimeMillis() * 1000L;
        this.baseNs = nowNs;
    }

    /** The smallest datagram that holds the header. */
    static int headerLength(final boolean counters64)
    {
        return counters64 ? 16 : 12;
    }

    private long epochUs(final long nowNs)
    {
        return baseEpochUs + (nowNs - baseNs) / 1000L;
    }

    @Override
    public void onDatagram(final DatagramPort p, final int srcAddr, final int srcPort, final DirectBuffer buffer,
        final int offset, final int len, final long nowNs)
    {
        final Iperf3Stream known = test.udpStream(srcAddr, srcPort);
        if (len == 4 && isConnectMessage(buffer, offset))
        {
            if (known == null && !test.wantsStream())
            {
                ignored++;
                return;
            }
            // The reply in the byte order the client used for its message (iperf3 writes host-order ints).
            final boolean little = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) == CONNECT_MSG;
            reply.putInt(0, CONNECT_REPLY, little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            p.send(srcAddr, srcPort, reply, 0, 4);
            if (known == null)
            {
                test.addUdpStream(srcAddr, srcPort, nowNs);
            }
            return;
        }
        if (known == null || known.serverSends || len < headerLength(counters64) || !test.running())
        {
            ignored++;
            return;
        }
        final long sec = buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long usec = buffer.getInt(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long sequence = counters64 ? buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN)
            : buffer.getInt(offset + 8, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final double transitS = (epochUs(nowNs) - (sec * 1_000_000L + usec)) / 1e6;
        known.onDatagram(len, sequence, transitS);
        test.progress(nowNs);
    }

    private static boolean isConnectMessage(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) == CONNECT_MSG
            || buffer.getInt(offset, ByteOrder.BIG_ENDIAN) == CONNECT_MSG;
    }

    /**
     * Sends on a UDP stream the datagrams its pace allows by now; returns the bytes sent. Stops at a full queue
     * (the datagram is not counted: iperf3 counts what its {@code write} took).
     */
    long send(final Iperf3Stream s, final long allowedBytes, final long nowNs)
    {
        long sent = 0;
        for (int i = 0; i < MAX_BURST && sent + length <= allowedBytes && port != null; i++)
        {
            final long us = epochUs(nowNs);
            datagram.putInt(0, (int)(us / 1_000_000L), ByteOrder.BIG_ENDIAN);
            datagram.putInt(4, (int)(us % 1_000_000L), ByteOrder.BIG_ENDIAN);
            final long sequence = s.packetCount + 1;
            if (counters64)
            {
                datagram.putLong(8, sequence, ByteOrder.BIG_ENDIAN);
            }
            else
            {
                datagram.putInt(8, (int)sequence, ByteOrder.BIG_ENDIAN);
            }
            if (!port.send(s.udpAddr, s.udpPort, datagram, 0, length))
            {
                break;
            }
            s.packetCount = sequence;
            s.bytes += length;
            sent += length;
        }
        return sent;
    }

    int length()
    {
        return length;
    }

    void close()
    {
        if (port != null)
        {
            socketDrops = port.receiveDrops();
            port.close();
            port = null;
        }
    }
}
