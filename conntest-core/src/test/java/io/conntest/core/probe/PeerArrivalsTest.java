package io.conntest.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.natprobe.NatResponder;

/**
 * The question after a scan, against a real {@link NatResponder} behind a fake prober: the answer marks each
 * unanswered probe, blocks of 256 ports are asked separately, a peer on kernel sockets cannot tell, silence is
 * no answer, and answered probes are never asked about.
 */
class PeerArrivalsTest
{
    private static final InetAddress HOST = InetAddress.getLoopbackAddress();

    /** A prober whose exchange hands the request to a responder (or to nobody). */
    private static final class Exchanging implements PortProber, NatResponder.Io
    {
        final Set<Integer> arrivedTcp;
        final boolean cannotTell;
        final boolean silent;
        final NatResponder responder = new NatResponder(this);
        int questions;
        byte[] lastAnswer;

        Exchanging(final Set<Integer> arrivedTcp, final boolean cannotTell, final boolean silent)
        {
            this.arrivedTcp = arrivedTcp;
            this.cannotTell = cannotTell;
            this.silent = silent;
        }

        @Override
        public int exchange(final InetAddress host, final int port, final byte[] request, final int length,
            final byte[] answer, final long timeoutNs)
        {
            questions++;
            if (silent)
            {
                return -1;
            }
            lastAnswer = null;
            responder.onProbe(0x7F000001, 40_000, new UnsafeBuffer(request), 0, length, false, questions * 1_000L);
            if (lastAnswer == null)
            {
                return -1;
            }
            System.arraycopy(lastAnswer, 0, answer, 0, lastAnswer.length);
            return lastAnswer.length;
        }

        @Override
        public boolean sendFromMain(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            lastAnswer = new byte[length];
            buffer.getBytes(offset, lastAnswer);
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
        public int unclaimedArrivals(final int srcAddr, final int protocol, final int port, final long nowNs)
        {
            if (cannotTell)
            {
                return -1;
            }
            return protocol == 6 && arrivedTcp.contains(port) ? 1 : 0;
        }

        // the scan itself is not exercised here
        @Override
        public int capacity()
        {
            return 1;
        }

        @Override
        public int inFlight()
        {
            return 0;
        }

        @Override
        public void start(final ProbeProtocol protocol, final InetAddress host, final int port, final long timeoutNs,
            final int attempts, final long nowNs, final ProbeCallback callback)
        {
        }

        @Override
        public int poll(final long nowNs)
        {
            return 0;
        }

        @Override
        public long nextDeadlineNs()
        {
            return Long.MAX_VALUE;
        }

        @Override
        public void awaitWork(final long maxWaitNs)
        {
        }

        @Override
        public void wakeup()
        {
        }

        @Override
        public int cancelAll()
        {
            return 0;
        }

        @Override
        public void close()
        {
        }
    }

    private static ProbeResult filtered(final ProbeProtocol protocol, final int port)
    {
        return new ProbeResult(protocol, HOST, port, protocol == ProbeProtocol.TCP ? PortState.FILTERED
            : PortState.OPEN_FILTERED, ProbeReason.NO_RESPONSE, -1, 2, null);
    }

    private static List<ProbeResult> scan()
    {
        final List<ProbeResult> results = new ArrayList<>();
        results.add(new ProbeResult(ProbeProtocol.TCP, HOST, 22, PortState.OPEN, ProbeReason.SYN_ACK, 1000, 1, null));
        results.add(filtered(ProbeProtocol.TCP, 81));
        results.add(filtered(ProbeProtocol.TCP, 82));
        results.add(filtered(ProbeProtocol.TCP, 1000)); // another block of 256
        results.add(filtered(ProbeProtocol.UDP, 82));
        return results;
    }

    @Test
    void eachUnansweredProbeIsMarkedWithWhatThePeerSaw()
    {
        final Exchanging prober = new Exchanging(Set.of(82, 1000), false, false);
        final List<ProbeResult> out = new PeerArrivals(prober, HOST, 7000, 1_000_000).confirm(scan());
        assertNull(out.get(0).peerArrival(), "an answered probe is not asked about");
        assertEquals(PeerArrival.NOT_SEEN, out.get(1).peerArrival());
        assertEquals(PeerArrival.ARRIVED, out.get(2).peerArrival());
        assertEquals(PeerArrival.ARRIVED, out.get(3).peerArrival());
        assertEquals(PeerArrival.NOT_SEEN, out.get(4).peerArrival(), "UDP 82 is another protocol's port");
        assertEquals(3, prober.questions, "TCP 81-336, TCP 1000-1255, UDP 82-337");
    }

    @Test
    void aPeerOnKernelSocketsCannotTell()
    {
        final List<ProbeResult> out = new PeerArrivals(new Exchanging(Set.of(), true, false), HOST, 7000, 1_000_000)
            .confirm(scan());
        assertEquals(PeerArrival.CANNOT_TELL, out.get(1).peerArrival());
        assertEquals(PeerArrival.CANNOT_TELL, out.get(4).peerArrival());
    }

    @Test
    void silenceIsNoAnswerAfterThreeTries()
    {
        final Exchanging prober = new Exchanging(Set.of(), false, true);
        final List<ProbeResult> out = new PeerArrivals(prober, HOST, 7000, 1_000_000).confirm(scan());
        assertEquals(PeerArrival.NO_ANSWER, out.get(1).peerArrival());
        assertEquals(3 * PeerArrivals.TRIES, prober.questions);
        assertEquals("81/tcp filtered no-response 2 attempts [peer: no answer to the question (no conntest UDP "
            + "listener there, or it is filtered)]", out.get(1).toString());
    }
}
