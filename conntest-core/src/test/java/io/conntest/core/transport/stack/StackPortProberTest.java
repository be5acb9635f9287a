package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeOptions;
import io.conntest.core.probe.ProbeProtocol;
import io.conntest.core.probe.ProbeReason;
import io.conntest.core.probe.ProbeResult;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;

/** The userspace-stack prober against a second stack with open, closed and silent ports, and a missing host. */
class StackPortProberTest
{
    private static final long SEC = 1_000_000_000L;

    private final StackSim sim = new StackSim(FaultConfig.none(), 5);
    private final StackPortProber prober = new StackPortProber(sim.clientHost, false,
        ProbeOptions.DEFAULTS.withUdpProbe("hi".getBytes(StandardCharsets.US_ASCII),
            reply -> reply.remaining() == 2 ? ProbeReason.UDP_RESPONSE : ProbeReason.CONNTEST_HELLO));
    private final List<ProbeResult> results = new ArrayList<>();

    private void serve()
    {
        final StackTransport server = sim.transport(sim.serverHost);
        server.listen(TransportProtocol.TCP, "0.0.0.0", 5000, (connection, nowNs) -> new ConnectionHandler()
        {
            @Override
            public void onConnected(final io.conntest.core.transport.Connection c, final long now)
            {
            }

            @Override
            public void onConnectFailed(final io.conntest.core.transport.Connection c,
                final io.conntest.core.transport.FailureReason r, final String d, final long now)
            {
            }

            @Override
            public void onData(final io.conntest.core.transport.Connection c, final org.agrona.DirectBuffer b,
                final int o, final int l, final long now)
            {
            }

            @Override
            public void onWritable(final io.conntest.core.transport.Connection c, final long now)
            {
            }

            @Override
            public void onClosed(final io.conntest.core.transport.Connection c,
                final io.conntest.core.transport.FailureReason r, final String d, final long now)
            {
            }
        });
        new UdpEchoService(sim.serverHost.stack().udp(), 7);
        final UdpSocket silent = sim.serverHost.stack().udp().open(new UdpSocketListener()
        {
        });
        silent.bind(5353);
        sim.pollers.add(() -> server.poll(sim.clock.nowNs()));
        sim.pollers.add(() -> silent.receive((a, p, b, o, l) -> { }, 16));
    }

    private ProbeResult probe(final ProbeProtocol protocol, final String host, final int port, final long timeoutNs,
        final int attempts) throws Exception
    {
        final int before = results.size();
        prober.start(protocol, InetAddress.getByName(host), port, timeoutNs, attempts, sim.clock.nowNs(),
            results::add);
        assertEquals(1, prober.inFlight());
        sim.pollers.add(() -> prober.poll(sim.clock.nowNs()));
        sim.runUntil(() -> results.size() > before, 20_000, "the result of " + protocol + " " + port);
        sim.pollers.remove(sim.pollers.size() - 1);
        assertEquals(0, prober.inFlight());
        return results.get(before);
    }

    @Test
    void tcpOpenClosedAndFiltered() throws Exception
    {
        serve();
        final ProbeResult open = probe(ProbeProtocol.TCP, StackSim.SERVER_IP, 5000, SEC, 1);
        assertEquals(PortState.OPEN, open.state());
        assertEquals(ProbeReason.SYN_ACK, open.reason());
        assertTrue(open.rttNs() >= 0);
        final ProbeResult closed = probe(ProbeProtocol.TCP, StackSim.SERVER_IP, 5001, SEC, 1);
        assertEquals(PortState.CLOSED, closed.state());
        assertEquals(ProbeReason.CONN_REFUSED, closed.reason());
        final ProbeResult silent = probe(ProbeProtocol.TCP, "10.0.0.99", 80, SEC, 2);
        assertEquals(PortState.FILTERED, silent.state());
        assertEquals(ProbeReason.NO_RESPONSE, silent.reason());
        assertEquals(2, silent.attempts());
        final ProbeResult unreachable = probe(ProbeProtocol.TCP, "10.0.0.99", 80, 10 * SEC, 1);
        assertEquals(PortState.FILTERED, unreachable.state());
        assertEquals(ProbeReason.HOST_UNREACH, unreachable.reason(), "ARP found nobody");
        sim.runFor(100);
        assertEquals(0, sim.clientHost.tcp().connectionCount(), "aborted probes leave no connection here");
        assertEquals(0, sim.serverHost.tcp().connectionCount(), "nor on the probed host (RST, no TIME-WAIT)");
    }

    @Test
    void udpOpenClosedAndSilent() throws Exception
    {
        serve();
        final ProbeResult echo = probe(ProbeProtocol.UDP, StackSim.SERVER_IP, 7, SEC, 2);
        assertEquals(PortState.OPEN, echo.state());
        assertEquals(ProbeReason.UDP_RESPONSE, echo.reason(), "the classifier judged the reply");
        final ProbeResult closed = probe(ProbeProtocol.UDP, StackSim.SERVER_IP, 9, SEC, 2);
        assertEquals(PortState.CLOSED, closed.state());
        assertEquals(ProbeReason.PORT_UNREACH, closed.reason());
        assertEquals(1, closed.attempts());
        final ProbeResult silent = probe(ProbeProtocol.UDP, StackSim.SERVER_IP, 5353, SEC, 2);
        assertEquals(PortState.OPEN_FILTERED, silent.state());
        assertEquals(ProbeReason.NO_RESPONSE, silent.reason());
        assertEquals(2, silent.attempts());
    }

    @Test
    void capacityAndCancel() throws Exception
    {
        final StackPortProber small = new StackPortProber(sim.clientHost, false,
            ProbeOptions.DEFAULTS.withMaxInFlight(2));
        final List<ProbeResult> got = new ArrayList<>();
        small.start(ProbeProtocol.TCP, InetAddress.getByName("10.0.0.99"), 1, SEC, 1, sim.clock.nowNs(), got::add);
        small.start(ProbeProtocol.UDP, InetAddress.getByName("10.0.0.99"), 1, SEC, 1, sim.clock.nowNs(), got::add);
        assertThrows(IllegalStateException.class, () -> small.start(ProbeProtocol.TCP,
            InetAddress.getByName("10.0.0.99"), 2, SEC, 1, sim.clock.nowNs(), got::add));
        assertEquals(2, small.cancelAll());
        assertEquals(0, small.inFlight());
        sim.pollers.add(() -> small.poll(sim.clock.nowNs()));
        sim.runFor(3_000);
        assertTrue(got.isEmpty(), "cancelled probes report nothing");
        small.close();
    }
}
