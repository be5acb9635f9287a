package io.conntest.stack.tcp;

import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.conntest.stack.tcp.TcpHarness.seg;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary segments (random flags, sequence and acknowledgment numbers, options, payload) and arbitrary bytes at a
 * protocol with a listener and an established connection: nothing throws and nothing grows beyond its bound.
 */
class TcpRobustnessTest
{
    @Test
    void randomSegmentsNeverThrowAndStayBounded()
    {
        final TcpHarness h = new TcpHarness(new TcpConfig().maxConnections(64));
        final TcpHarness.Established e = h.establishPassive(true);
        final Random random = new Random(99);
        final UnsafeBuffer raw = new UnsafeBuffer(new byte[256]);
        final byte[] bytes = new byte[256];
        int maxConnections = 0;
        for (int i = 0; i < 200_000; i++)
        {
            if (random.nextInt(4) == 0)
            {
                random.nextBytes(bytes);
                raw.putBytes(0, bytes);
                h.tcp.processDatagram(TcpHarness.REMOTE, TcpHarness.LOCAL, raw, 0, random.nextInt(257), h.clock.nowNs());
            }
            else
            {
                final TcpRepr r = seg(random.nextInt(256), nearOrRandom(random, e.peerNxt),
                    nearOrRandom(random, e.ourNxt), random.nextInt(65536));
                r.srcPort = random.nextInt(8) == 0 ? 1 + random.nextInt(65535) : TcpHarness.REMOTE_PORT;
                r.dstPort = random.nextInt(8) == 0 ? 1 + random.nextInt(65535) : 80;
                if (random.nextBoolean())
                {
                    r.hasTimestamps = true;
                    r.tsVal = random.nextInt();
                    r.tsEcr = random.nextInt();
                }
                if (random.nextInt(4) == 0)
                {
                    r.sackBlockCount = 1 + random.nextInt(3);
                    for (int b = 0; b < r.sackBlockCount; b++)
                    {
                        r.sackLeft[b] = nearOrRandom(random, e.ourNxt);
                        r.sackRight[b] = r.sackLeft[b] + random.nextInt(5000) - 100;
                    }
                }
                final byte[] payload = new byte[random.nextInt(8) == 0 ? random.nextInt(1400) : 0];
                h.send(r, payload);
            }
            if (i % 7 == 0)
            {
                h.clock.advanceMs(random.nextInt(300));
                h.poll();
            }
            if (i % 1000 == 0 && e.socket.state() == TcpState.ESTABLISHED)
            {
                final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
                e.socket.write(b, 0, 4096);
                e.socket.read(b, 0, 4096);
            }
            maxConnections = Math.max(maxConnections, h.tcp.connectionCount());
        }
        assertTrue(maxConnections <= 64, "connection table bound: " + maxConnections);
        assertTrue(h.tcp.counters().segmentsIn > 100_000);
    }

    private static int nearOrRandom(final Random random, final int base)
    {
        switch (random.nextInt(3))
        {
            case 0:
                return base + random.nextInt(2000) - 1000;
            case 1:
                return base + random.nextInt(2_000_000) - 1_000_000;
            default:
                return random.nextInt();
        }
    }
}
