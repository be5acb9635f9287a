package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.FaultConfig;

/**
 * A SYN waiting on the device before the stack's first poll (a peer that was already dialling when the instance
 * started, as the kernel does in the namespace test) is accepted with the MSS of the device's MTU. It once got the
 * 64-byte floor because the stack was told the config's MTU, 0 meaning "the device's".
 */
class StackTcpMssTest
{
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

    @Test
    void synBeforeTheFirstPollGetsTheDeviceMss()
    {
        final StackSim sim = new StackSim(FaultConfig.none(), 9);
        final StackTransport client = sim.transport(sim.clientHost);
        final StackTcpConnection dialling = (StackTcpConnection)client.connect(TransportProtocol.TCP,
            StackSim.SERVER_IP, 5000, 5_000_000_000L, IGNORE);
        // a first server instance answers ARP, then stops before the SYN reaches it
        final BooleanSupplier synSent = () -> dialling.tcpStats().segmentsOut > 0 &&
            sim.clientHost.stack().iface().counters().get(InterfaceCounter.IPV4_SENT) > 0;
        sim.pollers.add(() -> client.poll(sim.clock.nowNs()));
        sim.pollers.add(() ->
        {
            if (!synSent.getAsBoolean())
            {
                sim.serverHost.poll(sim.clock.nowNs());
            }
        });
        sim.runUntil(synSent, 1_000, "ARP resolved and the SYN sent");
        sim.pollers.remove(1);

        // the restarted instance (same address and MAC) finds the SYN waiting
        final InterfaceConfig config = InterfaceConfig.builder(StackSim.SERVER_IP + "/24")
            .mac(sim.serverHost.stack().iface().mac()).seed(99).build();
        final StackTransport restarted = new StackTransport(new StackHost(sim.pair.b(), config), true,
            ReliableUdpConfig.defaults());
        final AtomicReference<Connection> accepted = new AtomicReference<>();
        restarted.listen(TransportProtocol.TCP, "0.0.0.0", 5000, (connection, nowNs) ->
        {
            accepted.set(connection);
            return IGNORE;
        });
        sim.pollers.add(() -> restarted.poll(sim.clock.nowNs()));
        sim.runUntil(() -> accepted.get() != null, 5_000, "accepted");
        assertNotNull(accepted.get());
        // MTU 1500 - 40 (IPv4 + TCP headers) - 12 (timestamps on every segment, RFC 7323 §2.3)
        assertEquals(1448, ((StackTcpConnection)accepted.get()).tcpStats().mss);
    }
}
