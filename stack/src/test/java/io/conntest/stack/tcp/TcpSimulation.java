package io.conntest.stack.tcp;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Two {@link TcpProtocol}s joined by two {@link SimLink}s on a virtual clock: the client writes {@code totalBytes}
 * of a position-derived pattern, the server reads and checks every byte. Deterministic for a seed.
 */
final class TcpSimulation
{
    static final int A = 0x0A000001;
    static final int B = 0x0A000002;

    final TcpProtocol client;
    final TcpProtocol server;
    final SimLink aToB;
    final SimLink bToA;
    long nowNs = 1_000_000_000L;
    long received;
    long firstByteNs = -1;
    long lastByteNs;
    long iterations;
    long spins;
    long written;
    long mismatchAt = -1;
    boolean serverSawEnd;
    TcpSocket serverSocket;
    TcpSocket clientSocket;
    final TcpStats clientStats = new TcpStats();

    static byte pattern(final long position)
    {
        final long x = position * 0x9E3779B97F4A7C15L;
        return (byte)(x >>> 56 ^ x >>> 29);
    }

    TcpSimulation(final TcpConfig config, final long seed, final double loss, final double dup, final double reorder,
        final long oneWayDelayNs, final long bitsPerSecond)
    {
        client = new TcpProtocol(config, A, seed, seed + 1);
        server = new TcpProtocol(config, B, seed + 2, seed + 3);
        aToB = new SimLink(A, 1500, seed * 31 + 1, loss, dup, reorder, oneWayDelayNs, bitsPerSecond, 4 << 20);
        bToA = new SimLink(B, 1500, seed * 31 + 2, loss, dup, reorder, oneWayDelayNs, bitsPerSecond, 4 << 20);
    }

    /** Runs until the server saw {@code totalBytes} and the end of stream, or the virtual time limit. */
    void transfer(final long totalBytes, final long virtualLimitNs)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[65536]);
        final TcpListener listener = server.listen(5001, 16);
        clientSocket = client.openSocket();
        firstByteNs = nowNs;
        clientSocket.connect(B, 5001);
        final long end = nowNs + virtualLimitNs;
        boolean finSent = false;
        while (nowNs < end && ++iterations < 20_000_000 && !(serverSawEnd && received == totalBytes))
        {
            if (serverSocket == null)
            {
                serverSocket = listener.accept();
            }
            // Client writes as much as the send buffer takes.
            if (clientSocket.isEstablished() && written < totalBytes)
            {
                int n;
                do
                {
                    final int chunk = (int)Math.min(Math.min(out.capacity(), clientSocket.writableBytes()),
                        totalBytes - written);
                    if (chunk <= 0)
                    {
                        break;
                    }
                    for (int i = 0; i < chunk; i++)
                    {
                        out.putByte(i, pattern(written + i));
                    }
                    n = clientSocket.write(out, 0, chunk);
                    written += Math.max(0, n);
                }
                while (n > 0 && written < totalBytes);
            }
            if (!finSent && written == totalBytes && clientSocket.isEstablished())
            {
                clientSocket.shutdownOutput();
                finSent = true;
            }
            if (serverSocket != null)
            {
                int n;
                while ((n = serverSocket.read(in, 0, in.capacity())) > 0)
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (in.getByte(i) != pattern(received + i) && mismatchAt < 0)
                        {
                            mismatchAt = received + i;
                        }
                    }
                    received += n;
                    lastByteNs = nowNs;
                }
                if (n < 0)
                {
                    serverSawEnd = true;
                }
            }
            aToB.nowNs = nowNs;
            bToA.nowNs = nowNs;
            client.dispatch(aToB, nowNs);
            server.dispatch(bToA, nowNs);
            if (deliver(aToB, server) + deliver(bToA, client) > 0)
            {
                continue;
            }
            final long next = Math.min(Math.min(client.pollAtNs(nowNs), server.pollAtNs(nowNs)),
                Math.min(aToB.nextArrivalNs(nowNs), bToA.nextArrivalNs(nowNs)));
            if (next <= nowNs)
            {
                // Work now (e.g. a write opened room): go round again, but let time move at least a little so a
                // busy loop cannot spin forever.
                spins++;
                nowNs += 1_000;
            }
            else if (next == Long.MAX_VALUE)
            {
                if (serverSocket != null && serverSocket.readableBytes() == 0 && written == totalBytes && !serverSawEnd &&
                    clientSocket.state() == TcpState.CLOSED)
                {
                    break;
                }
                nowNs += 1_000_000;
            }
            else
            {
                nowNs = next;
            }
        }
        clientSocket.stats(clientStats);
    }

    private int deliver(final SimLink link, final TcpProtocol to)
    {
        return link.deliver(to, nowNs);
    }
}
