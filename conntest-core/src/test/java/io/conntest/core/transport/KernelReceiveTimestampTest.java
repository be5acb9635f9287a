package io.conntest.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.stack.testing.Await;

/**
 * Kernel sockets stamp what they read right after the read system call (issue 10): every message reaches the
 * handler through the six-argument {@code onData}, with a time taken inside the poll that read it, before the
 * handler ran. Over reliable UDP the answer written while taking a message in leaves in that same poll.
 */
class KernelReceiveTimestampTest
{
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void messagesCarryTheTimeOfTheirRead(final TransportProtocol protocol)
    {
        final UnsafeBuffer ping = new UnsafeBuffer(new byte[] {'p', 'i', 'n', 'g'});
        try (KernelTransport server = new KernelTransport(); KernelTransport client = new KernelTransport())
        {
            final ReceiveTimestampRecorder serverSide = new ReceiveTimestampRecorder(true);
            final ReceiveTimestampRecorder clientSide = new ReceiveTimestampRecorder(false);
            final Listener listener = server.listen(protocol, "127.0.0.1", 0, serverSide);
            final Connection c = client.connect(protocol, "127.0.0.1", listener.port(), 5_000_000_000L,
                clientSide);
            Await.until(() ->
            {
                client.poll(System.nanoTime());
                server.poll(System.nanoTime());
                return clientSide.connected && serverSide.connection != null;
            }, 5_000, "connected");
            assertEquals(4, c.write(ping, 0, 4));
            for (int round = 0; round < 20; round++)
            {
                final int before = serverSide.messages;
                Await.until(() ->
                {
                    client.poll(System.nanoTime());
                    final long pollStartNs = System.nanoTime();
                    server.poll(pollStartNs);
                    if (serverSide.messages == before)
                    {
                        return false;
                    }
                    // read inside this poll, before the handler saw it
                    assertTrue(serverSide.lastReceivedAtNs >= pollStartNs &&
                        serverSide.lastReceivedAtNs <= serverSide.lastHandledAtNs,
                        "received at " + serverSide.lastReceivedAtNs + " in a poll from " + pollStartNs);
                    return true;
                }, 5_000, "the ping");
                final int answered = clientSide.messages;
                Await.until(() ->
                {
                    client.poll(System.nanoTime());
                    return clientSide.messages > answered;
                }, 5_000, "the answer");
                assertEquals(4, c.write(ping, 0, 4));
            }
            assertEquals(0, serverSide.withoutTimestamp);
            assertEquals(0, clientSide.withoutTimestamp);
            assertTrue(serverSide.answersWritten >= 20);
            listener.close();
        }
    }
}
