package io.conntest.stack.sim;

import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A UDP echo client on stack A talking to the RFC 862 echo service on stack B: one datagram of each given size in
 * turn, the echo verified byte for byte, a datagram sent again when its echo is late (for lossy links).
 */
final class UdpEchoExchange implements UdpSocketListener, UdpDatagramHandler
{
    static final int PORT = 7;

    private final TwoStacks sim;
    private final int[] sizes;
    private final UnsafeBuffer pattern;
    private final UdpSocket socket;
    private final long retransmitAfterNs;
    private int index;
    private long sentAtNs;
    private long retransmissions;
    private long stale;
    private long verifiedBytes;

    UdpEchoExchange(final TwoStacks sim, final int[] sizes, final long seed, final long retransmitAfterNs)
    {
        this.sim = sim;
        this.sizes = sizes;
        this.retransmitAfterNs = retransmitAfterNs;
        final byte[] bytes = new byte[65_507 + 256];
        new Random(seed).nextBytes(bytes);
        this.pattern = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        pattern.putBytes(0, bytes);
        new UdpEchoService(sim.b.udp(), PORT);
        this.socket = sim.a.udp().open(this, 1 << 20, 1 << 20);
        socket.bind(0);
    }

    /** Runs the whole exchange; fails the test if it takes more than {@code maxSimNs} of simulated time. */
    void run(final long maxSimNs)
    {
        final long end = sim.clock.nowNs() + maxSimNs;
        send();
        while (index < sizes.length)
        {
            if (sim.clock.nowNs() > end)
            {
                fail("exchange stuck at size " + sizes[index] + " (" + index + " of " + sizes.length + "); A "
                    + sim.a.iface().counters() + "; B " + sim.b.iface().counters());
            }
            sim.step();
            if (index < sizes.length && sim.clock.nowNs() - sentAtNs > retransmitAfterNs)
            {
                retransmissions++;
                send();
            }
        }
    }

    private void send()
    {
        final int size = sizes[index];
        if (!socket.sendTo(TwoStacks.ADDR_B, PORT, pattern, offsetOf(size), size))
        {
            fail("send queue full");
        }
        sentAtNs = sim.clock.nowNs();
    }

    @Override
    public void onReadable(final UdpSocket socket)
    {
        socket.receive(this, Integer.MAX_VALUE);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        assertEquals(TwoStacks.ADDR_B, srcAddr);
        assertEquals(PORT, srcPort);
        if (index >= sizes.length || length != sizes[index])
        {
            stale++;
            return;
        }
        final int expected = offsetOf(length);
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (buffer.getLong(offset + i) != pattern.getLong(expected + i))
            {
                fail("echo of " + length + " bytes differs near byte " + i);
            }
        }
        for (; i < length; i++)
        {
            if (buffer.getByte(offset + i) != pattern.getByte(expected + i))
            {
                fail("echo of " + length + " bytes differs at byte " + i);
            }
        }
        verifiedBytes += length;
        index++;
        if (index < sizes.length)
        {
            send();
        }
    }

    private static int offsetOf(final int size)
    {
        return size % 251;
    }

    long retransmissions()
    {
        return retransmissions;
    }

    long stale()
    {
        return stale;
    }

    long verifiedBytes()
    {
        return verifiedBytes;
    }

    int completed()
    {
        return index;
    }
}
