package io.conntest.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.rudp.Role;

/**
 * How reliable-UDP datagrams are gathered into segmented sends ({@code UDP_SEGMENT}): same-sized ones together, a
 * shorter one last, never more than the kernel takes, another connection's or size's datagram after a send; a
 * socket that would block keeps what was gathered and refuses more (nothing dropped); an error is the connection's.
 * The kernel's side is a recording fake.
 */
class UdpSendBatchTest
{
    /** One segmented send as the kernel would see it: the datagrams it is cut into. */
    record Sent(int dstPort, List<byte[]> datagrams)
    {
    }

    /** The socket's side, recording. */
    static final class FakeKernel
    {
        final List<Sent> sent = new ArrayList<>();
        long nextResult = Long.MIN_VALUE; // MIN_VALUE: accept everything
        /** Segments this long or longer are refused, as past the route's MTU. */
        int mtuPayload = Integer.MAX_VALUE;

        long send(final DirectBuffer buffer, final int offset, final int length, final int segmentSize,
            final int dstPort)
        {
            if (nextResult != Long.MIN_VALUE)
            {
                return nextResult;
            }
            if (length > segmentSize && segmentSize > mtuPayload)
            {
                return -90; // EMSGSIZE (EINVAL on some paths)
            }
            final List<byte[]> datagrams = new ArrayList<>();
            for (int at = 0; at < length; at += segmentSize)
            {
                final byte[] d = new byte[Math.min(segmentSize, length - at)];
                buffer.getBytes(offset + at, d);
                datagrams.add(d);
            }
            sent.add(new Sent(dstPort, datagrams));
            return length;
        }
    }

    /** A connection whose gathered datagrams go to the fake kernel (its own handshake I/O is never used). */
    static final class Owner extends ReliableUdpConnection
    {
        private final FakeKernel kernel;
        private final int port;

        Owner(final FakeKernel kernel, final int port)
        {
            super(1, ReliableUdpConfig.defaults(), Role.CLIENT, null, 0);
            this.kernel = kernel;
            this.port = port;
        }

        @Override
        protected long sendGathered(final DirectBuffer buffer, final int offset, final int length,
            final int segmentSize)
        {
            return kernel.send(buffer, offset, length, segmentSize, port);
        }

        @Override
        protected String describeErrno(final int errno)
        {
            return errno == 111 ? "Connection refused" : "errno " + errno;
        }

        @Override
        public boolean send(final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }

        @Override
        protected void release()
        {
        }

        @Override
        public String localHost()
        {
            return "127.0.0.1";
        }

        @Override
        public int localPort()
        {
            return 1;
        }

        @Override
        public String remoteHost()
        {
            return "127.0.0.1";
        }

        @Override
        public int remotePort()
        {
            return port;
        }
    }

    private final FakeKernel kernel = new FakeKernel();
    private final UdpSendBatch batch = new UdpSendBatch(4);
    private final Owner a = new Owner(kernel, 1000);
    private final Owner b = new Owner(kernel, 2000);

    private static DirectBuffer datagram(final int length, final int fill)
    {
        final byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte)fill);
        return new UnsafeBuffer(bytes);
    }

    private boolean add(final Owner owner, final int length, final int fill)
    {
        return batch.add(owner, datagram(length, fill), 0, length);
    }

    @Test
    void sameSizedDatagramsLeaveInOneSendWithTheirBytesInOrder()
    {
        assertTrue(add(a, 100, 1));
        assertTrue(add(a, 100, 2));
        assertTrue(add(a, 100, 3));
        assertTrue(kernel.sent.isEmpty(), "nothing leaves before the turn ends");
        assertTrue(batch.flush(a));
        assertEquals(1, kernel.sent.size());
        final Sent s = kernel.sent.get(0);
        assertEquals(3, s.datagrams().size());
        assertEquals(1000, s.dstPort());
        for (int i = 0; i < 3; i++)
        {
            assertEquals(100, s.datagrams().get(i).length);
            assertEquals(i + 1, s.datagrams().get(i)[99]);
        }
        assertEquals(1, batch.sendCalls());
        assertEquals(3, batch.datagramsSent());
    }

    @Test
    void aShorterDatagramEndsTheSendAndALongerOneStartsAnother()
    {
        add(a, 100, 1);
        add(a, 40, 2); // shorter: the last of its send, which leaves at once
        assertEquals(1, kernel.sent.size());
        assertEquals(List.of(100, 40), kernel.sent.get(0).datagrams().stream().map(d -> d.length).toList());
        add(a, 100, 3);
        add(a, 120, 4); // longer: the gathered 100 leaves first
        assertEquals(2, kernel.sent.size());
        batch.flush(a);
        assertEquals(3, kernel.sent.size());
        assertEquals(120, kernel.sent.get(2).datagrams().get(0).length);
    }

    @Test
    void neverMoreDatagramsOrBytesThanTheKernelTakesInOneSend()
    {
        for (int i = 0; i < 9; i++)
        {
            add(a, 100, i);
        }
        batch.flush(a);
        assertEquals(List.of(4, 4, 1), kernel.sent.stream().map(s -> s.datagrams().size()).toList());
        kernel.sent.clear();
        add(a, 40_000, 1);
        add(a, 40_000, 2); // 80,000 bytes would pass the 65,507 of one UDP send
        batch.flush(a);
        assertEquals(2, kernel.sent.size());
        add(a, UdpSendBatch.MAX_BYTES, 3); // the largest datagram fits alone
        batch.flush(a);
        assertEquals(UdpSendBatch.MAX_BYTES, kernel.sent.get(2).datagrams().get(0).length);
    }

    @Test
    void anotherConnectionsDatagramSendsWhatTheFirstGathered()
    {
        add(a, 100, 1);
        add(b, 100, 2);
        assertEquals(1, kernel.sent.size());
        assertEquals(1000, kernel.sent.get(0).dstPort());
        assertTrue(batch.flush(a), "a has nothing left here");
        assertEquals(1, kernel.sent.size());
        batch.flush(b);
        assertEquals(2000, kernel.sent.get(1).dstPort());
    }

    @Test
    void aFullSocketKeepsWhatWasGatheredAndRefusesMoreUntilItDrains()
    {
        add(a, 100, 1);
        add(a, 100, 2);
        kernel.nextResult = 0; // EAGAIN
        assertFalse(batch.flush(a));
        assertFalse(add(b, 100, 3), "another connection waits too: the gathered datagrams go first");
        kernel.nextResult = Long.MIN_VALUE;
        assertTrue(batch.flush());
        assertEquals(2, kernel.sent.get(0).datagrams().size(), "nothing was dropped");
        assertTrue(add(b, 100, 3));
    }

    @Test
    void aSocketErrorIsTheOwnersAndTheDatagramsCountAsLost()
    {
        add(a, 100, 1);
        kernel.nextResult = -111; // ECONNREFUSED
        assertTrue(batch.flush(a));
        assertTrue(kernel.sent.isEmpty());
        assertEquals(1, a.onPoll(0), "the error reaches the connection at its next poll");
        assertTrue(a.isFinished());
        kernel.nextResult = Long.MIN_VALUE;
        add(a, 100, 2);
        batch.flush(a);
        assertEquals(1, kernel.sent.get(0).datagrams().size(), "the batch starts afresh");
        assertEquals(0, batch.datagramsSent() - 1);
    }

    @Test
    void datagramsTooLongToSegmentGoOneByOneFromThenOn()
    {
        kernel.mtuPayload = 1472;
        add(a, 1500, 1);
        add(a, 1500, 2);
        add(a, 1500, 3);
        batch.flush(a); // EINVAL: sent one by one instead
        assertEquals(List.of(1, 1, 1), kernel.sent.stream().map(s -> s.datagrams().size()).toList());
        add(a, 1500, 4); // from now on alone at once, never refused again
        assertEquals(4, kernel.sent.size());
        assertEquals(4, batch.datagramsSent());
        add(a, 1400, 5);
        add(a, 1400, 6);
        batch.flush(a);
        assertEquals(2, kernel.sent.get(4).datagrams().size(), "shorter datagrams are still segmented");
        assertEquals(0, a.onPoll(0), "no error reached the connection");
    }

    @Test
    void aReleasedConnectionsDatagramsAreForgotten()
    {
        add(a, 100, 1);
        batch.discard(b);
        batch.discard(a);
        assertTrue(batch.flush());
        assertTrue(kernel.sent.isEmpty());
    }
}
