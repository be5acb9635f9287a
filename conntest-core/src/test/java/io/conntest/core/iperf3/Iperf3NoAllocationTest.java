package io.conntest.core.iperf3;

import java.lang.management.ManagementFactory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.transport.Connection;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.TransportStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-datagram and per-write work of an iperf3 stream allocates nothing. */
class Iperf3NoAllocationTest
{
    @Test
    void udpAccountingAndTcpSendingAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final Iperf3Stream udp = new Iperf3Stream(0x0a000001, 40000, 0, false);
        final Iperf3Stream tcp = new Iperf3Stream(new Sink(), 1, true);
        final DirectBuffer block = new UnsafeBuffer(new byte[128 * 1024]);
        long allocated = 0;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 1; i <= 100_000; i++)
            {
                // every 100th datagram late by one: losses and out-of-order on the way
                final long sequence = round * 100_000L + (i % 100 == 0 ? i - 1 : i);
                udp.onDatagram(1448, sequence, 0.001 * (i % 7));
                tcp.send(block, 64 * 1024);
            }
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertTrue(udp.outOfOrder > 0);
        assertEquals(300L * 64 * 1024 * 1000, tcp.bytes);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 100,000 datagrams and writes");
    }

    /** A connection that takes every write whole. */
    private static final class Sink implements Connection
    {
        @Override
        public long id()
        {
            return 1;
        }

        @Override
        public TransportProtocol protocol()
        {
            return TransportProtocol.TCP;
        }

        @Override
        public boolean isStream()
        {
            return true;
        }

        @Override
        public int maxMessageLength()
        {
            return Integer.MAX_VALUE;
        }

        @Override
        public String localHost()
        {
            return "10.0.0.2";
        }

        @Override
        public int localPort()
        {
            return 5201;
        }

        @Override
        public String remoteHost()
        {
            return "10.0.0.1";
        }

        @Override
        public int remotePort()
        {
            return 40000;
        }

        @Override
        public int write(final DirectBuffer buffer, final int offset, final int length)
        {
            return length;
        }

        @Override
        public void close()
        {
        }

        @Override
        public boolean isOpen()
        {
            return true;
        }

        @Override
        public TransportStats stats()
        {
            return null;
        }
    }
}
