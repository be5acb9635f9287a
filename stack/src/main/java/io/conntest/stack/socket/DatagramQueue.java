package io.conntest.stack.socket;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A bounded FIFO of datagrams with an address and port each, in one pre-allocated direct buffer: the send and
 * receive queues of a {@link UdpSocket}. Records are contiguous (a record that does not fit before the end of the
 * buffer is preceded by padding), so a datagram is read in place. Single-threaded; no allocation after
 * construction.
 */
final class DatagramQueue
{
    private static final int HEADER = 16;
    private static final int ALIGNMENT = 16;
    private static final int PADDING = -1;

    private final int capacity;
    private final UnsafeBuffer buffer;
    private long head;
    private long tail;
    private int count;
    private long payloadBytes;

    /** @param capacity bytes, rounded up to 16; must hold at least one datagram of the largest size offered. */
    DatagramQueue(final int capacity)
    {
        this.capacity = BitUtil.align(Math.max(capacity, 64), ALIGNMENT);
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(this.capacity));
    }

    /** Whether a datagram of {@code length} bytes could ever fit (when the queue is empty). */
    boolean fitsEver(final int length)
    {
        return recordLength(length) <= capacity;
    }

    /** Appends a copy of the datagram; false when there is no room now. */
    boolean offer(final int addr, final int port, final DirectBuffer src, final int offset, final int length)
    {
        return offer(addr, port, 0, 0, src, offset, length);
    }

    /**
     * Appends a copy of the datagram with the TTL and TOS byte it arrived with (kept in the port word's upper half;
     * TTL 0 means unknown: RFC 1122 §3.2.1.7 forbids sending one, so none arrives); false when there is no room now.
     */
    boolean offer(final int addr, final int port, final int ttl, final int tos, final DirectBuffer src,
        final int offset, final int length)
    {
        final int record = recordLength(length);
        if (count == 0)
        {
            // Empty: start over at 0 so the whole buffer is contiguous.
            head = 0;
            tail = 0;
        }
        final int index = (int)(tail % capacity);
        final int toEnd = capacity - index;
        final long used = tail - head;
        if (toEnd >= record)
        {
            if (capacity - used < record)
            {
                return false;
            }
        }
        else
        {
            if (capacity - used < toEnd + record)
            {
                return false;
            }
            buffer.putInt(index, toEnd);
            buffer.putInt(index + 12, PADDING);
            tail += toEnd;
        }
        final int at = (int)(tail % capacity);
        buffer.putInt(at, record);
        buffer.putInt(at + 4, addr);
        buffer.putInt(at + 8, (port & 0xFFFF) | (ttl > 0 ? (ttl & 0xFF) << 16 | (tos & 0xFF) << 24 : 0));
        buffer.putInt(at + 12, length);
        buffer.putBytes(at + HEADER, src, offset, length);
        tail += record;
        count++;
        payloadBytes += length;
        return true;
    }

    boolean isEmpty()
    {
        return count == 0;
    }

    int count()
    {
        return count;
    }

    /** Payload bytes queued. */
    long bytes()
    {
        return payloadBytes;
    }

    int capacity()
    {
        return capacity;
    }

    /** Bytes of buffer in use, headers and padding included. */
    long used()
    {
        return tail - head;
    }

    /** Index of the head datagram's header (skipping padding); only when not empty. */
    private int headIndex()
    {
        int index = (int)(head % capacity);
        if (buffer.getInt(index + 12) == PADDING)
        {
            head += buffer.getInt(index);
            index = (int)(head % capacity);
        }
        return index;
    }

    int peekAddress()
    {
        return buffer.getInt(headIndex() + 4);
    }

    int peekPort()
    {
        return buffer.getInt(headIndex() + 8) & 0xFFFF;
    }

    /** The TTL the head datagram arrived with, -1 when not recorded. */
    int peekTtl()
    {
        final int ttl = (buffer.getInt(headIndex() + 8) >>> 16) & 0xFF;
        return ttl == 0 ? -1 : ttl;
    }

    /** The TOS byte the head datagram arrived with, -1 when not recorded. */
    int peekTos()
    {
        final int word = buffer.getInt(headIndex() + 8);
        return ((word >>> 16) & 0xFF) == 0 ? -1 : word >>> 24;
    }

    int peekLength()
    {
        return buffer.getInt(headIndex() + 12);
    }

    /** Offset of the head datagram's payload in {@link #buffer()}. */
    int peekOffset()
    {
        return headIndex() + HEADER;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    void pop()
    {
        if (count == 0)
        {
            throw new IllegalStateException("pop of an empty datagram queue");
        }
        final int index = headIndex();
        payloadBytes -= buffer.getInt(index + 12);
        head += buffer.getInt(index);
        count--;
    }

    void clear()
    {
        head = 0;
        tail = 0;
        count = 0;
        payloadBytes = 0;
    }

    private static int recordLength(final int length)
    {
        return BitUtil.align(HEADER + length, ALIGNMENT);
    }
}
