package io.conntest.core.iperf3;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.transport.Connection;

/**
 * The bounded outbox of a control connection: state bytes, error numbers and length-prefixed JSON wait here until
 * the connection takes them ({@link Connection#write} may be partial).
 */
final class ControlWriter
{
    /** Room for the results JSON with the server's output text and a few state bytes. */
    static final int CAPACITY = 2 * Iperf3Protocol.MAX_JSON;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
    private int head;
    private int tail;

    /** Queues a state byte. */
    boolean state(final byte state)
    {
        if (!room(1))
        {
            return false;
        }
        buffer.putByte(tail++, state);
        return true;
    }

    /** Queues a 4-byte big-endian integer. */
    boolean int32(final int value)
    {
        if (!room(4))
        {
            return false;
        }
        buffer.putInt(tail, value, java.nio.ByteOrder.BIG_ENDIAN);
        tail += 4;
        return true;
    }

    /** Queues JSON behind its 4-byte length, as iperf3's {@code JSON_write}. */
    boolean json(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (!room(4 + bytes.length))
        {
            return false;
        }
        int32(bytes.length);
        buffer.putBytes(tail, bytes);
        tail += bytes.length;
        return true;
    }

    /** Writes what the connection takes; returns whether everything queued is out. */
    boolean flush(final Connection connection)
    {
        while (head < tail && connection.isOpen())
        {
            final int n = connection.write(buffer, head, tail - head);
            if (n <= 0)
            {
                break;
            }
            head += n;
        }
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
        return isEmpty();
    }

    boolean isEmpty()
    {
        return head == tail;
    }

    private boolean room(final int n)
    {
        if (CAPACITY - tail < n && head > 0)
        {
            buffer.putBytes(0, buffer, head, tail - head);
            tail -= head;
            head = 0;
        }
        return CAPACITY - tail >= n;
    }
}
