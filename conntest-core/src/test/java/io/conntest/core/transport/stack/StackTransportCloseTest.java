package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.tcp.TcpError;
import io.conntest.stack.tcp.TcpListener;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpState;

/**
 * Closing a transport that owns its stack (an instance stopping): the connections closed on the way out finish
 * their FIN handshake within the linger bound, and whatever has not finished by then is reset, so no peer is left
 * half-open (issue 14). The peer is a raw socket on the other stack of the simulation.
 */
class StackTransportCloseTest
{
    private static final int PORT = 9000;

    private static final ConnectionHandler IGNORE = new ConnectionHandler()
    {
        @Override
        public void onConnected(final Connection connection, final long nowNs)
        {
        }

        @Override
        public void onConnectFailed(final Connection connection, final FailureReason reason, final String detail,
            final long nowNs)
        {
        }

        @Override
        public void onData(final Connection connection, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs)
        {
        }

        @Override
        public void onWritable(final Connection connection, final long nowNs)
        {
        }

        @Override
        public void onClosed(final Connection connection, final FailureReason reason, final String detail,
            final long nowNs)
        {
        }
    };

    private final StackSim sim = new StackSim(FaultConfig.none(), 5);
    private final StackTransport instance = new StackTransport(sim.serverHost, true, ReliableUdpConfig.defaults());
    private TcpSocket peer;
    private boolean peerSawFin;

    /** The instance connects to the peer's listener; returns the instance's side. */
    private Connection connected()
    {
        final TcpListener listener = sim.clientHost.tcp().listen(PORT, 4);
        final Connection c = instance.connect(TransportProtocol.TCP, StackSim.CLIENT_IP, PORT, 5_000_000_000L, IGNORE);
        sim.pollers.add(() -> instance.poll(sim.clock.nowNs()));
        sim.pollers.add(() -> sim.clientHost.poll(sim.clock.nowNs()));
        sim.runUntil(() -> (peer = peer != null ? peer : listener.accept()) != null && c.isOpen(), 5_000, "connected");
        sim.pollers.clear();
        return c;
    }

    /** Between the instance's polls while it lingers: the peer's stack runs, on the simulated clock. */
    private void peerRuns(final boolean closesOnFin)
    {
        sim.clock.advanceNs(StackSim.STEP_NS);
        sim.clientHost.poll(sim.clock.nowNs());
        if (peer.state() == TcpState.CLOSE_WAIT)
        {
            peerSawFin = true;
            if (closesOnFin)
            {
                peer.close(); // as a conntest peer does on GOODBYE
            }
        }
    }

    private void peerRunsFor(final int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            sim.clock.advanceNs(StackSim.STEP_NS);
            sim.clientHost.poll(sim.clock.nowNs());
        }
    }

    @Test
    void stoppingSendsFinAndWaitsForTheHandshakeToFinish()
    {
        final Connection c = connected();
        instance.closeLingerHooks(sim.clock::nowNs, () -> peerRuns(true));
        c.close(); // the session's graceful close
        instance.close();
        peerRunsFor(100);
        assertTrue(peerSawFin, "the peer got a FIN");
        assertEquals(TcpState.CLOSED, peer.state(), "the peer's own FIN was acknowledged");
        assertEquals(TcpError.NONE, peer.error(), "an orderly close, no reset");
    }

    @Test
    void aPeerThatNeverClosesIsResetWhenTheLingerEnds()
    {
        final Connection c = connected();
        instance.closeLinger(200_000_000L).closeLingerHooks(sim.clock::nowNs, () -> peerRuns(false));
        final long t0 = sim.clock.nowNs();
        c.close();
        instance.close();
        final long lingered = sim.clock.nowNs() - t0;
        assertTrue(lingered >= 200_000_000L && lingered < 300_000_000L, "bounded wait: " + lingered);
        peerRunsFor(100);
        assertTrue(peerSawFin, "the FIN came first");
        assertEquals(TcpState.CLOSED, peer.state());
        assertEquals(TcpError.RESET, peer.error(), "then a RST: the peer is not left half-open");
    }

    @Test
    void aConnectionNobodyClosedIsResetAtOnce()
    {
        connected();
        instance.closeLingerHooks(sim.clock::nowNs, () -> peerRuns(false));
        final long t0 = sim.clock.nowNs();
        instance.close();
        assertEquals(t0, sim.clock.nowNs(), "nothing to linger for");
        peerRunsFor(10);
        assertEquals(TcpState.CLOSED, peer.state());
        assertEquals(TcpError.RESET, peer.error());
    }

    @Test
    void unreadDataAtTheInstanceMeansRstNotFin()
    {
        final Connection c = connected();
        final UnsafeBuffer data = new UnsafeBuffer(new byte[100]);
        assertEquals(100, peer.write(data, 0, 100));
        sim.pollers.add(() -> sim.clientHost.poll(sim.clock.nowNs()));
        sim.pollers.add(() -> sim.serverHost.poll(sim.clock.nowNs()));
        sim.runUntil(() -> peer.unacknowledgedBytes() == 0, 1_000, "data delivered");
        sim.pollers.clear();
        assertNotNull(c);
        instance.closeLingerHooks(sim.clock::nowNs, () -> peerRuns(false));
        c.close();
        instance.close();
        peerRunsFor(10);
        assertEquals(TcpError.RESET, peer.error(), "RFC 2525 §2.17");
    }
}
