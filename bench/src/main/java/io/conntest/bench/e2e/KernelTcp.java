package io.conntest.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The kernel's side of the TCP scenarios: blocking {@link SocketChannel}s with direct buffers (no copy through the
 * Java heap), opened on the load thread so they belong to its namespace. A stop closes the channel, which
 * unblocks the thread.
 */
public final class KernelTcp
{
    private static final int CHUNK = 128 * 1024;

    private KernelTcp()
    {
    }

    /** Opens the connection: connects to {@code remote:port}, or (remote null) accepts one on {@code local:port}. */
    abstract static class Endpoint extends LoadThread
    {
        private final String local;
        private final String remote;
        private final int port;
        private volatile SocketChannel channel;
        private volatile ServerSocketChannel server;

        Endpoint(final String name, final String local, final String remote, final int port)
        {
            super(name);
            this.local = local;
            this.remote = remote;
            this.port = port;
        }

        @Override
        protected final void run() throws IOException
        {
            final SocketChannel ch;
            if (remote != null)
            {
                ready();
                ch = SocketChannel.open();
                channel = ch;
                ch.connect(new InetSocketAddress(remote, port));
            }
            else
            {
                final ServerSocketChannel ss = ServerSocketChannel.open();
                server = ss;
                ss.bind(new InetSocketAddress(local, port), 4);
                ready();
                ch = ss.accept();
                channel = ch;
                ss.close();
            }
            try (SocketChannel c = ch)
            {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                serve(c);
            }
        }

        protected abstract void serve(SocketChannel ch) throws IOException;

        @Override
        protected final void wakeUp()
        {
            KernelUdp.closeQuietly(server);
            KernelUdp.closeQuietly(channel);
        }
    }

    /** Reads and counts everything the other side sends. */
    public static final class Reader extends Endpoint
    {
        public Reader(final String local, final String remote, final int port)
        {
            super("kernel-tcp-reader", local, remote, port);
        }

        @Override
        protected void serve(final SocketChannel ch) throws IOException
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
            while (running())
            {
                buffer.clear();
                final int n = ch.read(buffer);
                if (n < 0)
                {
                    return;
                }
                units = units + 1;
                bytes = bytes + n;
            }
        }
    }

    /** Writes as fast as the connection takes it. */
    public static final class Writer extends Endpoint
    {
        public Writer(final String local, final String remote, final int port)
        {
            super("kernel-tcp-writer", local, remote, port);
        }

        @Override
        protected void serve(final SocketChannel ch) throws IOException
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
            while (running())
            {
                buffer.clear();
                final int n = ch.write(buffer);
                units = units + 1;
                bytes = bytes + n;
            }
        }
    }

    /** Echoes every byte back. */
    public static final class Echo extends Endpoint
    {
        public Echo(final String local, final int port)
        {
            super("kernel-tcp-echo", local, null, port);
        }

        @Override
        protected void serve(final SocketChannel ch) throws IOException
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
            while (running())
            {
                buffer.clear();
                if (ch.read(buffer) < 0)
                {
                    return;
                }
                buffer.flip();
                while (buffer.hasRemaining())
                {
                    ch.write(buffer);
                }
                units = units + 1;
            }
        }
    }

    /**
     * Request/response: writes {@code payload} bytes, reads the same number back, records the round trip; one
     * outstanding at a time, TCP_NODELAY. Warms up, then records for {@code measureNs}, then ends by itself.
     */
    public static final class PingClient extends Endpoint
    {
        private final int payload;
        private final long warmupNs;
        private final long measureNs;
        private final long maxRoundTrips;
        private final Histogram rttNs = new Histogram(1_000_000_000L, 3);
        private volatile long measuredNs;

        public PingClient(final String remote, final int port, final int payload, final long warmupNs,
            final long measureNs, final long maxRoundTrips)
        {
            super("kernel-tcp-ping", null, remote, port);
            this.payload = payload;
            this.warmupNs = warmupNs;
            this.measureNs = measureNs;
            this.maxRoundTrips = maxRoundTrips;
        }

        @Override
        protected void serve(final SocketChannel ch) throws IOException
        {
            final ByteBuffer out = ByteBuffer.allocateDirect(payload);
            final ByteBuffer in = ByteBuffer.allocateDirect(payload);
            final long measureFrom = System.nanoTime() + warmupNs;
            final long measureUntil = measureFrom + measureNs;
            long recorded = 0;
            long measuredFrom = 0;
            while (running() && recorded < maxRoundTrips)
            {
                final long sentNs = System.nanoTime();
                if (sentNs >= measureUntil)
                {
                    break;
                }
                out.clear();
                while (out.hasRemaining())
                {
                    ch.write(out);
                }
                in.clear();
                while (in.hasRemaining())
                {
                    if (ch.read(in) < 0)
                    {
                        throw new EOFException("echo server closed the connection");
                    }
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
                    measuredNs = System.nanoTime() - measuredFrom;
                }
            }
        }

        /** Round-trip times in ns of the measured part. Read after the thread ended. */
        public Histogram rttNs()
        {
            return rttNs;
        }

        public long measuredNs()
        {
            return measuredNs;
        }
    }
}
