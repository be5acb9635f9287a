package io.conntest.core.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link ConnectionHandler} for transport tests of the receive timestamp: records whether data came with a receive
 * time and which, and can answer every message at once (as the engine answers a latency probe).
 */
public final class ReceiveTimestampRecorder implements ConnectionHandler, AcceptHandler
{
    private final boolean answer;
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[] {'p', 'o', 'n', 'g'});
    public volatile Connection connection;
    public volatile boolean connected;
    public volatile int messages;
    public volatile int withoutTimestamp;
    public volatile long lastReceivedAtNs = Long.MIN_VALUE;
    public volatile long lastHandledAtNs;
    public volatile int answersWritten;

    public ReceiveTimestampRecorder(final boolean answer)
    {
        this.answer = answer;
    }

    @Override
    public ConnectionHandler onAccepted(final Connection connection, final long nowNs)
    {
        this.connection = connection;
        return this;
    }

    @Override
    public void onConnected(final Connection connection, final long nowNs)
    {
        this.connection = connection;
        connected = true;
    }

    @Override
    public void onConnectFailed(final Connection connection, final FailureReason reason, final String detail,
        final long nowNs)
    {
        throw new AssertionError("connect failed: " + detail);
    }

    @Override
    public void onData(final Connection connection, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        withoutTimestamp++;
        messages++;
    }

    @Override
    public void onData(final Connection connection, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final long receivedAtNs)
    {
        lastHandledAtNs = System.nanoTime();
        lastReceivedAtNs = receivedAtNs;
        messages++;
        if (answer && connection.write(reply, 0, reply.capacity()) == reply.capacity())
        {
            answersWritten++;
        }
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
}
