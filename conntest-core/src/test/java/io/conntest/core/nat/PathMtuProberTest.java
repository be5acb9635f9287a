package io.conntest.core.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.natprobe.NatResponder;
import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;

/**
 * The path MTU search against a simulated path (a local MTU, a smaller link further on, ICMP sent or filtered,
 * random loss) and a real {@link NatResponder} as the peer, on a manual clock.
 */
class PathMtuProberTest
{
    private static final int PEER = 0x0A090002;
    private static final int PEER_PORT = 7000;
    private static final long RTT_NS = 2_000_000L;

    /** A probe socket on a path: refuses above the local MTU, drops above the path's, tells by ICMP or not. */
    private static class FakePath implements DatagramPort, NatResponder.Io
    {
        final int localMtu;
        final int pathMtu;
        final boolean icmp;
        final java.util.Random loss;
        final double lossRate;
        final NatResponder responder = new NatResponder(this);
        final ArrayDeque<byte[]> toProber = new ArrayDeque<>();
        final ArrayDeque<Long> dueNs = new ArrayDeque<>();
        DatagramHandler handler;
        boolean dontFragment;
        boolean closed;
        int nextHopMtu;
        long nowNs;
        int sentAbovePath;

        FakePath(final int localMtu, final int pathMtu, final boolean icmp, final double lossRate)
        {
            this.localMtu = localMtu;
            this.pathMtu = pathMtu;
            this.icmp = icmp;
            this.lossRate = lossRate;
            this.loss = new java.util.Random(7);
        }

        @Override
        public int localPort()
        {
            return 50_000;
        }

        @Override
        public boolean enablePathMtuProbing()
        {
            dontFragment = true;
            return true;
        }

        @Override
        public int routeMtu(final int dstAddr, final int dstPort)
        {
            return nextHopMtu > 0 ? Math.min(localMtu, nextHopMtu) : localMtu;
        }

        @Override
        public int icmpNextHopMtu()
        {
            return nextHopMtu;
        }

        @Override
        public int icmpNextHopMtuFrom()
        {
            return nextHopMtu > 0 ? 0x0A090001 : 0;
        }

        @Override
        public boolean send(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            assertTrue(dontFragment, "probes go with DF set");
            final int packet = length + 28;
            if (packet > localMtu)
            {
                return false;
            }
            if (packet > pathMtu)
            {
                sentAbovePath++;
                if (icmp)
                {
                    nextHopMtu = pathMtu;
                }
                return true;
            }
            if (loss.nextDouble() < lossRate)
            {
                return true;
            }
            responder.onProbe(0x0A000002, 50_000, buffer, offset, length, false, nowNs);
            return true;
        }

        @Override
        public boolean sendFromMain(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            toProber.add(copy);
            dueNs.add(nowNs + RTT_NS);
            return true;
        }

        @Override
        public boolean sendFromAlternate(final int dstAddr, final int dstPort, final DirectBuffer buffer,
            final int offset, final int length)
        {
            return false;
        }

        @Override
        public int alternatePort()
        {
            return 0;
        }

        @Override
        public long receiveDrops()
        {
            return 0;
        }

        @Override
        public void close()
        {
            closed = true;
        }

        PathMtuResult run(final PathMtuProber prober)
        {
            for (int step = 0; step < 1_000_000 && !prober.isDone(); step++)
            {
                final long at = Math.min(prober.pollAtNs(), dueNs.isEmpty() ? Long.MAX_VALUE : dueNs.peek());
                nowNs = Math.max(nowNs, at == Long.MIN_VALUE ? nowNs : at);
                while (!dueNs.isEmpty() && dueNs.peek() <= nowNs)
                {
                    dueNs.poll();
                    final byte[] answer = toProber.poll();
                    handler.onDatagram(this, PEER, PEER_PORT, new UnsafeBuffer(answer), 0, answer.length, nowNs);
                }
                if (!prober.isDone() && (prober.pollAtNs() == Long.MIN_VALUE || prober.pollAtNs() <= nowNs))
                {
                    prober.poll(nowNs);
                }
            }
            assertTrue(closed, "the socket is closed at the end");
            return prober.result();
        }
    }

    private static PathMtuResult run(final FakePath path)
    {
        final PathMtuProber prober = new PathMtuProber(h ->
        {
            path.handler = h;
            return path;
        }, PEER, PEER_PORT, "10.9.0.2:7000", 42);
        final PathMtuResult r = path.run(prober);
        assertNotNull(r);
        return r;
    }

    @Test
    void aPathThatCarriesWhatTheLinkDoesIsConfirmedInTwoSizes()
    {
        final FakePath path = new FakePath(1500, 1500, true, 0);
        final PathMtuResult r = run(path);
        assertNull(r.error(), r.describe());
        assertEquals(1500, r.pathMtu());
        assertEquals(2, r.probes(), "the base, then the local MTU: " + r.describe());
        assertFalse(r.blackHole());
        assertFalse(r.localAbovePath());
    }

    @Test
    void aSmallerLinkThatSendsIcmpIsFoundFromTheHintAndConfirmed()
    {
        final PathMtuResult r = run(new FakePath(1500, 1280, true, 0));
        assertEquals(1280, r.pathMtu(), r.describe());
        assertEquals(1280, r.icmpMtu());
        assertEquals("10.9.0.1", r.icmpFrom());
        assertFalse(r.blackHole(), r.describe());
        assertTrue(r.localAbovePath());
        // base, 1500 (lost three times), the ICMP's 1280 confirmed, 1281 lost three times: the hint was exact
        assertEquals(1 + 3 + 1 + 3, r.probes(), r.describe());
        assertTrue(r.describe().contains("icmp said 1280 (from 10.9.0.1)"), r.describe());
    }

    @Test
    void aSmallerLinkWhoseIcmpIsFilteredIsABlackHole()
    {
        final PathMtuResult r = run(new FakePath(1500, 1280, false, 0));
        assertEquals(1280, r.pathMtu(), r.describe());
        assertEquals(0, r.icmpMtu());
        assertEquals(1500, r.icmpBasedMtu());
        assertTrue(r.blackHole(), r.describe());
        assertTrue(r.describe().contains("BLACK HOLE"), r.describe());
    }

    @Test
    void aJumboLinkIsSearchedUpToItsLocalLimit()
    {
        final PathMtuResult r = run(new FakePath(9000, 9000, true, 0));
        assertEquals(9000, r.pathMtu(), r.describe());
        assertTrue(r.atLeast(), "the largest size probed crossed");
    }

    @Test
    void aKernelThatDoesNotSayItsMtuIsSearchedByRefusals()
    {
        final FakePath path = new FakePath(1500, 1500, true, 0)
        {
            @Override
            public int routeMtu(final int dstAddr, final int dstPort)
            {
                return 0;
            }
        };
        final PathMtuResult r = run(path);
        assertEquals(1500, r.pathMtu(), r.describe());
        assertEquals(0, r.lost(), "a size above the local MTU is refused at once, never waited for");
    }

    @Test
    void aPathBelowTheBaseIsFoundFromTheSmallestPacket()
    {
        final PathMtuResult r = run(new FakePath(1500, 576, false, 0));
        assertEquals(576, r.pathMtu(), r.describe());
        assertTrue(r.blackHole());
    }

    @Test
    void randomLossOfAThirdStillGivesTheExactSize()
    {
        final PathMtuResult r = run(new FakePath(1500, 1400, true, 0.33));
        assertTrue(r.pathMtu() <= 1400 && r.pathMtu() >= 1400 - 64, r.describe());
    }

    @Test
    void aSilentPeerIsAnErrorWithoutASize()
    {
        final PathMtuResult r = run(new FakePath(1500, 1500, true, 1.0));
        assertEquals(0, r.pathMtu());
        assertTrue(r.error().contains("no answer"), r.describe());
        assertTrue(r.describe().startsWith("path mtu to 10.9.0.2:7000: unknown"), r.describe());
    }

    @Test
    void aTransportThatCannotSetDfSaysSo()
    {
        final FakePath path = new FakePath(1500, 1500, true, 0)
        {
            @Override
            public boolean enablePathMtuProbing()
            {
                return false;
            }
        };
        final PathMtuResult r = run(path);
        assertEquals(0, r.pathMtu());
        assertTrue(r.error().contains("cannot set DF"), r.describe());
    }
}
