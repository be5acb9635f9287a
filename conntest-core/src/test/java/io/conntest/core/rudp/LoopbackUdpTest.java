package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two channels over real kernel UDP sockets on 127.0.0.1 (loopback only), one thread, wall clock: the way the engine's
 * kernel transport will drive them. Bounded in bytes and in time. Prints the throughput reached with retransmission on.
 */
class LoopbackUdpTest
{
    /** One UDP socket and its channel: reads into a direct buffer, writes from one (no allocation per datagram). */
    private static final class End implements DatagramSink
    {
        final DatagramChannel socket;
        final ReliableUdpChannel channel;
        final ByteBuffer in = ByteBuffer.allocateDirect(RudpHeader.MAX_DATAGRAM);
        final UnsafeBuffer inView = new UnsafeBuffer(in);
        final ByteBuffer out = ByteBuffer.allocateDirect(RudpHeader.MAX_DATAGRAM);

        End(final ReliableUdpChannel channel) throws IOException
        {
            this.channel = channel;
            socket = DatagramChannel.open();
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            socket.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            socket.configureBlocking(false);
        }

        @Override
        public boolean send(final DirectBuffer buf, final int offset, final int length)
        {
            out.clear();
            buf.getBytes(offset, out, length);
            out.flip();
            try
            {
                return socket.write(out) > 0;
            }
            catch (final IOException ex)
            {
                return true; // e.g. ECONNREFUSED from an ICMP error: the datagram is gone, as on a real path
            }
        }

        int receive(final long nowNs, final MessageHandler handler) throws IOException
        {
            int count = 0;
            while (count < 64)
            {
                in.clear();
                final int n = socket.read(in);
                if (n <= 0)
                {
                    break;
                }
                channel.onDatagram(inView, 0, n, nowNs, handler);
                count++;
            }
            return count;
        }
    }

    @ParameterizedTest(name = "size={0}")
    @CsvSource({"1400, 40000", "8192, 10000", "65471, 1500"})
    void transfersOverKernelUdpOnLoopback(final int size, final int messages) throws IOException
    {
        final long start = System.nanoTime();
        final ReliableUdpConfig config = ReliableUdpConfig.defaults();
        final End client = new End(new ReliableUdpChannel(config, Role.CLIENT, start));
        final End server = new End(new ReliableUdpChannel(config, Role.SERVER, start));
        try
        {
            client.socket.connect(server.socket.getLocalAddress());
            server.socket.connect(client.socket.getLocalAddress());
            final Sim.Stream stream = new Sim.Stream();
            stream.fixedLength = size;
            stream.toSend = messages;
            final MessageHandler ignore = (buf, offset, length) -> { };
            final long deadline = start + 20_000_000_000L;
            long now = start;
            long loops = 0;
            while (now < deadline && !(stream.done() && client.channel.isSendIdle()))
            {
                now = System.nanoTime();
                stream.produce(client.channel, now);
                client.channel.poll(System.nanoTime(), client);
                server.receive(System.nanoTime(), stream);
                server.channel.poll(System.nanoTime(), server);
                client.receive(System.nanoTime(), ignore);
                client.channel.poll(System.nanoTime(), client);
                loops++;
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(stream.done(),
                () -> "incomplete after " + seconds + " s: " + client.channel + " / " + server.channel);
            assertEquals(0, stream.errors);
            final ReliableUdpStats s = client.channel.stats();
            System.out.printf("rudp over kernel UDP loopback, size=%d: %,d messages in %.3f s: %,.0f msg/s, " +
                    "%.1f MB/s; " +
                    "retransmitted=%d lost=%d timeouts=%d srtt=%d us, %d loops%n",
                size, messages, seconds, messages / seconds, (double)messages * size / seconds / 1e6,
                s.retransmitted(), s.lost(), s.timeouts(), s.srttNs() / 1000, loops);
        }
        finally
        {
            client.socket.close();
            server.socket.close();
        }
    }
}
