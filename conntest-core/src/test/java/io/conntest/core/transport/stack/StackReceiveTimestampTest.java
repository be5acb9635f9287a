package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.transport.Connection;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.ReceiveTimestampRecorder;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.FaultConfig;

/**
 * The stack transport stamps what it delivers with the time the frame was read from the device (issue 10): the
 * stack runs on a manual clock here, its receive clock is the real one, so a stamp between the real time before
 * and after the poll that read the frame is the device read's and not the poll's. The answer written while
 * taking the message in leaves in that same poll's egress (TCP and reliable UDP), so the peer gets it without a
 * second poll of the answering side.
 */
class StackReceiveTimestampTest
{
    private final StackSim sim = new StackSim(FaultConfig.none(), 11);

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void messagesCarryTheTimeTheirFrameWasReadAndAreAnsweredInTheSamePoll(final TransportProtocol protocol)
    {
        final StackTransport server = sim.transport(sim.serverHost);
        final StackTransport client = sim.transport(sim.clientHost);
        final ReceiveTimestampRecorder serverSide = new ReceiveTimestampRecorder(true);
        final ReceiveTimestampRecorder clientSide = new ReceiveTimestampRecorder(false);
        // the stacks' time is the simulation's from their first poll on
        server.poll(sim.clock.nowNs());
        client.poll(sim.clock.nowNs());
        final Listener listener = server.listen(protocol, StackSim.SERVER_IP, 7000, serverSide);
        final Connection c = client.connect(protocol, StackSim.SERVER_IP, 7000, 5_000_000_000L, clientSide);
        sim.pollers.add(() -> client.poll(sim.clock.nowNs()));
        sim.pollers.add(() -> server.poll(sim.clock.nowNs()));
        sim.runUntil(() -> clientSide.connected && serverSide.connection != null, 5_000, "connected");
        sim.runFor(50);
        sim.pollers.clear();
        final UnsafeBuffer ping = new UnsafeBuffer(new byte[] {'p', 'i', 'n', 'g'});
        for (int round = 0; round < 20; round++)
        {
            final int before = serverSide.messages;
            final int answered = clientSide.messages;
            assertEquals(4, c.write(ping, 0, 4));
            for (int i = 0; i < 3; i++)
            {
                client.poll(sim.clock.nowNs()); // the ping leaves (over reliable UDP: queued, sent, out)
            }
            sim.clock.advanceNs(StackSim.STEP_NS);
            final long realBeforeNs = System.nanoTime();
            server.poll(sim.clock.nowNs()); // read, delivered, answered
            final long realAfterNs = System.nanoTime();
            assertEquals(before + 1, serverSide.messages, "the ping delivered in the poll that read it");
            assertTrue(serverSide.lastReceivedAtNs >= realBeforeNs && serverSide.lastReceivedAtNs <= realAfterNs &&
                serverSide.lastReceivedAtNs <= serverSide.lastHandledAtNs,
                "stamped " + serverSide.lastReceivedAtNs + ", poll from " + realBeforeNs + " to " + realAfterNs);
            sim.clock.advanceNs(StackSim.STEP_NS);
            client.poll(sim.clock.nowNs()); // the answer, with no further poll of the server
            assertEquals(answered + 1, clientSide.messages, "the answer left in the poll that read the ping");
        }
        assertEquals(0, serverSide.withoutTimestamp);
        assertEquals(0, clientSide.withoutTimestamp);
        listener.close();
    }
}
