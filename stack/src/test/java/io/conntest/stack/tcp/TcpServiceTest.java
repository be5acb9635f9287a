package io.conntest.stack.tcp;

import io.conntest.stack.tcp.service.TcpService;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in services (RFC 862 echo, RFC 863 discard, source) served by one stack to a client on another. */
class TcpServiceTest
{
    private final TcpProtocol client = new TcpProtocol(new TcpConfig().minRtoNs(200_000_000L), TcpSimulation.A, 1, 2);
    private final TcpProtocol server = new TcpProtocol(new TcpConfig().minRtoNs(200_000_000L), TcpSimulation.B, 3, 4);
    private final SimLink aToB;
    private final SimLink bToA;
    private long nowNs = 1_000_000_000L;

    TcpServiceTest()
    {
        aToB = new SimLink(TcpSimulation.A, 1500, 5, 0.01, 0.01, 0.02, 500_000L, 1_000_000_000L, 4 << 20);
        bToA = new SimLink(TcpSimulation.B, 1500, 6, 0.01, 0.01, 0.02, 500_000L, 1_000_000_000L, 4 << 20);
    }

    /** Runs the two stacks until {@code done} or a virtual minute passes. */
    private void runUntil(final BooleanSupplier done, final Runnable clientWork)
    {
        final long end = nowNs + 60_000_000_000L;
        while (!done.getAsBoolean() && nowNs < end)
        {
            clientWork.run();
            aToB.nowNs = nowNs;
            bToA.nowNs = nowNs;
            client.dispatch(aToB, nowNs);
            server.dispatch(bToA, nowNs);
            final int delivered = aToB.deliver(server, nowNs) + bToA.deliver(client, nowNs);
            if (delivered > 0)
            {
                continue;
            }
            final long next = Math.min(Math.min(client.pollAtNs(nowNs), server.pollAtNs(nowNs)),
                Math.min(aToB.nextArrivalNs(nowNs), bToA.nextArrivalNs(nowNs)));
            nowNs = next <= nowNs ? nowNs + 1_000 : Math.min(next, nowNs + 10_000_000L);
        }
    }

    @Test
    void rfc862_echoReturnsEveryByteThenCloses()
    {
        final TcpService echo = TcpService.create("echo", server, 7, 8);
        final TcpSocket s = client.openSocket();
        s.connect(TcpSimulation.B, 7);
        final long total = 3_000_000;
        final long[] written = {0};
        final long[] read = {0};
        final boolean[] bad = {false};
        final boolean[] eof = {false};
        final UnsafeBuffer out = new UnsafeBuffer(new byte[16384]);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[16384]);
        runUntil(() -> eof[0], () ->
        {
            if (s.isEstablished() && written[0] < total)
            {
                final int n = (int)Math.min(Math.min(out.capacity(), s.writableBytes()), total - written[0]);
                for (int i = 0; i < n; i++)
                {
                    out.putByte(i, TcpSimulation.pattern(written[0] + i));
                }
                written[0] += Math.max(0, s.write(out, 0, n));
                if (written[0] == total)
                {
                    s.shutdownOutput();
                }
            }
            int n;
            while ((n = s.read(in, 0, in.capacity())) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    bad[0] |= in.getByte(i) != TcpSimulation.pattern(read[0] + i);
                }
                read[0] += n;
            }
            eof[0] = n < 0;
        });
        assertEquals(total, read[0]);
        assertTrue(!bad[0], "echoed bytes differ");
        assertTrue(eof[0], "the echo service closed after the client's FIN");
        assertEquals(1, echo.connections());
        assertEquals(total, echo.bytesOut());
    }

    @Test
    void rfc863_discardReadsEverything()
    {
        final TcpService discard = TcpService.create("discard", server, 9, 8);
        final TcpSocket s = client.openSocket();
        s.connect(TcpSimulation.B, 9);
        final long total = 2_000_000;
        final long[] written = {0};
        final UnsafeBuffer out = new UnsafeBuffer(new byte[16384]);
        runUntil(() -> discard.bytesIn() == total && s.state() == TcpState.TIME_WAIT, () ->
        {
            if (s.isEstablished() && written[0] < total)
            {
                written[0] += Math.max(0, s.write(out, 0, (int)Math.min(out.capacity(), total - written[0])));
                if (written[0] == total)
                {
                    s.close();
                }
            }
        });
        assertEquals(total, discard.bytesIn());
        assertEquals(TcpState.TIME_WAIT, s.state(), "orderly close by both sides");
    }

    @Test
    void sourceSendsUntilTheClientCloses()
    {
        final TcpService source = TcpService.create("source", server, 19, 8);
        final TcpSocket s = client.openSocket();
        s.connect(TcpSimulation.B, 19);
        final long[] read = {0};
        final UnsafeBuffer in = new UnsafeBuffer(new byte[16384]);
        runUntil(() -> read[0] >= 2_000_000, () ->
        {
            int n;
            while ((n = s.read(in, 0, in.capacity())) > 0)
            {
                read[0] += n;
            }
        });
        assertTrue(read[0] >= 2_000_000);
        assertTrue(source.bytesOut() >= read[0]);
        s.abort();
        assertEquals(TcpState.CLOSED, s.state());
    }
}
