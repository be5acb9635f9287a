package io.conntest.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The kernel's side of the UDP scenarios, as load threads using plain JDK sockets (each opens its socket on its
 * own thread, so the socket belongs to the namespace the thread runs in).
 */
public final class KernelUdp
{
    /** The UDP port every source sends from, so that sinks can connect to it and read without allocating. */
    public static final int SOURCE_PORT = 40_001;
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;

    private KernelUdp()
    {
    }

    /** Receives datagrams from {@code peer:SOURCE_PORT} on {@code local:port} and counts them. */
    public static final class Sink extends LoadThread
    {
        private final String local;
        private final int port;
        private final String peer;
        private volatile DatagramChannel channel;

        public Sink(final String local, final int port, final String peer)
        {
            super("kernel-udp-sink");
            this.local = local;
            this.port = port;
            this.peer = peer;
        }

        @Override
        protected void run() throws IOException
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            try (DatagramChannel ch = DatagramChannel.open())
            {
                channel = ch;
                ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
                ch.bind(new InetSocketAddress(local, port));
                ch.connect(new InetSocketAddress(peer, SOURCE_PORT));
                ready();
                while (running())
                {
                    buffer.clear();
                    final int n = ch.read(buffer);
                    units = units + 1;
                    bytes = bytes + n;
                }
            }
        }

        @Override
        protected void wakeUp()
        {
            closeQuietly(channel);
        }
    }

    /** Sends {@code payload}-byte datagrams from {@code local:SOURCE_PORT} to {@code remote:port} as fast as it can. */
    public static final class Source extends LoadThread
    {
        private final String local;
        private final String remote;
        private final int port;
        private final int payload;
        private final long maxDatagrams;
        private volatile DatagramChannel channel;
        private volatile long refused;

        public Source(final String local, final String remote, final int port, final int payload,
            final long maxDatagrams)
        {
            super("kernel-udp-source");
            this.local = local;
            this.remote = remote;
            this.port = port;
            this.payload = payload;
            this.maxDatagrams = maxDatagrams;
        }

        @Override
        protected void run() throws IOException
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(payload);
            try (DatagramChannel ch = DatagramChannel.open())
            {
                channel = ch;
                ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
                ch.bind(new InetSocketAddress(local, SOURCE_PORT));
                ch.connect(new InetSocketAddress(remote, port));
                ready();
                long sent = 0;
                while (sent < maxDatagrams && running())
                {
                    buffer.clear();
                    try
                    {
                        ch.write(buffer);
                        sent++;
                        units = sent;
                        bytes = bytes + payload;
                    }
                    catch (final java.net.PortUnreachableException ex)
                    {
                        refused++;
                    }
                    catch (final IOException ex)
                    {
                        if (!String.valueOf(ex.getMessage()).contains("No buffer space"))
                        {
                            throw ex;
                        }
                        refused++;
                    }
                }
            }
        }

        /** Sends that failed (ENOBUFS, or a port unreachable reported back). */
        public long refused()
        {
            return refused;
        }

        @Override
        protected void wakeUp()
        {
            closeQuietly(channel);
        }
    }

    /** Echoes every datagram on {@code local:port} back to its sender (blocking, with a 100 ms timeout to stop). */
    public static final class EchoServer extends LoadThread
    {
        private final String local;
        private final int port;

        public EchoServer(final String local, final int port)
        {
            super("kernel-udp-echo");
            this.local = local;
            this.port = port;
        }

        @Override
        protected void run() throws IOException
        {
            final DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, port)))
            {
                socket.setSoTimeout(100);
                ready();
                while (running())
                {
                    packet.setLength(65536);
                    try
                    {
                        socket.receive(packet);
                    }
                    catch (final SocketTimeoutException ex)
                    {
                        continue;
                    }
                    socket.send(packet);
                    units = units + 1;
                    bytes = bytes + packet.getLength();
                }
            }
        }
    }

    /**
     * Ping-pong: sends one datagram, waits for its echo, records the round trip; one outstanding at a time. Warms
     * up for {@code warmupNs} without recording, then records for {@code measureNs} (or {@code maxRoundTrips}),
     * then ends by itself. A datagram with no echo within 100 ms counts as lost.
     */
    public static final class PingClient extends LoadThread
    {
        private final String remote;
        private final int port;
        private final int payload;
        private final long warmupNs;
        private final long measureNs;
        private final long maxRoundTrips;
        private final Histogram rttNs = new Histogram(1_000_000_000L, 3);
        private volatile long lost;
        private volatile long measuredNs;

        public PingClient(final String remote, final int port, final int payload, final long warmupNs,
            final long measureNs, final long maxRoundTrips)
        {
            super("kernel-udp-ping");
            this.remote = remote;
            this.port = port;
            this.payload = payload;
            this.warmupNs = warmupNs;
            this.measureNs = measureNs;
            this.maxRoundTrips = maxRoundTrips;
        }

        @Override
        protected void run() throws IOException
        {
            final byte[] out = new byte[payload];
            final DatagramPacket request = new DatagramPacket(out, payload);
            final DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
            try (DatagramSocket socket = new DatagramSocket())
            {
                socket.connect(new InetSocketAddress(remote, port));
                socket.setSoTimeout(100);
                ready();
                final long start = System.nanoTime();
                final long measureFrom = start + warmupNs;
                final long measureUntil = measureFrom + measureNs;
                long sequence = 0;
                long measuredFrom = 0;
                long recorded = 0;
                while (running() && recorded < maxRoundTrips)
                {
                    final long sentNs = System.nanoTime();
                    if (sentNs >= measureUntil)
                    {
                        break;
                    }
                    sequence++;
                    for (int i = 0; i < 8; i++)
                    {
                        out[i] = (byte)(sequence >>> (56 - 8 * i));
                    }
                    socket.send(request);
                    if (!awaitEcho(socket, reply, sequence))
                    {
                        if (sentNs >= measureFrom)
                        {
                            lost++;
                        }
                        continue;
                    }
                    final long rtt = System.nanoTime() - sentNs;
                    if (sentNs >= measureFrom)
                    {
                        if (measuredFrom == 0)
                        {
                            measuredFrom = sentNs;
                        }
                        rttNs.recordValue(Math.min(rtt, rttNs.getHighestTrackableValue()));
                        recorded++;
                        units = recorded;
                        bytes = bytes + payload;
                        measuredNs = System.nanoTime() - measuredFrom;
                    }
                }
            }
        }

        /** Reads until the echo of {@code sequence} arrives (older ones are late echoes); false on timeout. */
        private static boolean awaitEcho(final DatagramSocket socket, final DatagramPacket reply,
            final long sequence) throws IOException
        {
            while (true)
            {
                reply.setLength(65536);
                try
                {
                    socket.receive(reply);
                }
                catch (final SocketTimeoutException ex)
                {
                    return false;
                }
                final byte[] in = reply.getData();
                long got = 0;
                for (int i = 0; i < 8; i++)
                {
                    got = (got << 8) | (in[i] & 0xFF);
                }
                if (got == sequence)
                {
                    return true;
                }
            }
        }

        /** Round-trip times in ns of the measured part. Read after the thread ended. */
        public Histogram rttNs()
        {
            return rttNs;
        }

        public long lost()
        {
            return lost;
        }

        /** How long the measured part lasted. */
        public long measuredNs()
        {
            return measuredNs;
        }
    }

    static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable != null)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignored)
            {
                // Closing to unblock a thread: an error here changes nothing.
            }
        }
    }
}
