package io.conntest.stack.socket;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A bounded FIFO of datagrams with an address and port each, in one pre-allocated direct buffer: the send and
 * receive queues of a {@link UdpSocket}. Records are contiguous (a record that does not fit before the end of the
 * buffer is preceded by padding), so a datagram is read in place. An IPv4 record has a 16-byte header (length,
 * address, port word, payload length); an IPv6 one is flagged in its payload-length word and carries its 16-byte
 * address after that header, so IPv4 records stay as small as before. Single-threaded; no allocation after
 * construction.
 */
final class DatagramQueue
{
    private static final int HEADER = 16;
    /** The IPv6 record's header: the IPv4 one and the address's two longs. */
    private static final int HEADER_IPV6 = 32;
    /** In the payload-length word: the record holds an IPv6 address (payload lengths stay below 2^16). */
    private static final int IPV6_FLAG = 1 << 30;
    private static final int LENGTH_MASK = 0xFFFFF;
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
        return recordLength(length, false) <= capacity;
    }

    /** Whether an IPv6 datagram of {@code length} bytes could ever fit (when the queue is empty). */
    boolean fitsEverIpv6(final int length)
    {
        return recordLength(length, true) <= capacity;
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
        final int at = reserve(recordLength(length, false));
        if (at < 0)
        {
            return false;
        }
        putRecord(at, addr, port, ttl, tos, length, src, offset, HEADER);
        return true;
    }

    /**
     * Appends a copy of an IPv6 datagram from or to {@code hi, lo} with the hop limit and traffic class it arrived with
     * (0 hop limit: unknown); false when there is no room now.
     */
    boolean offerIpv6(final long hi, final long lo, final int port, final int hopLimit, final int trafficClass,
        final DirectBuffer src, final int offset, final int length)
    {
        final int at = reserve(recordLength(length, true));
        if (at < 0)
        {
            return false;
        }
        buffer.putLong(at + HEADER, hi);
        buffer.putLong(at + HEADER + 8, lo);
        putRecord(at, 0, port, hopLimit, trafficClass, length | IPV6_FLAG, src, offset, HEADER_IPV6);
        return true;
    }

    private void putRecord(final int at, final int addr, final int port, final int ttl, final int tos,
        final int lengthWord, final DirectBuffer src, final int offset, final int header)
    {
        final int length = lengthWord & LENGTH_MASK;
        buffer.putInt(at + 4, addr);
        buffer.putInt(at + 8, (port & 0xFFFF) | (ttl > 0 ? (ttl & 0xFF) << 16 | (tos & 0xFF) << 24 : 0));
        buffer.putInt(at + 12, lengthWord);
        buffer.putBytes(at + header, src, offset, length);
        count++;
        payloadBytes += length;
    }

    /** Room for a record of {@code record} bytes at the tail: its index with the length word written, or -1. */
    private int reserve(final int record)
    {
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
                return -1;
            }
        }
        else
        {
            if (capacity - used < toEnd + record)
            {
                return -1;
            }
            buffer.putInt(index, toEnd);
            buffer.putInt(index + 12, PADDING);
            tail += toEnd;
        }
        final int at = (int)(tail % capacity);
        buffer.putInt(at, record);
        tail += record;
        return at;
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
        return buffer.getInt(headIndex() + 12) & LENGTH_MASK;
    }

    /** Whether the head datagram is an IPv6 one ({@link #peekHi()}, {@link #peekLo()}; its int address is 0). */
    boolean peekIpv6()
    {
        return (buffer.getInt(headIndex() + 12) & IPV6_FLAG) != 0;
    }

    /** The head IPv6 datagram's address, high 64 bits. */
    long peekHi()
    {
        return buffer.getLong(headIndex() + HEADER);
    }

    long peekLo()
    {
        return buffer.getLong(headIndex() + HEADER + 8);
    }

    /** Offset of the head datagram's payload in {@link #buffer()}. */
    int peekOffset()
    {
        final int index = headIndex();
        return index + ((buffer.getInt(index + 12) & IPV6_FLAG) != 0 ? HEADER_IPV6 : HEADER);
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
        payloadBytes -= buffer.getInt(index + 12) & LENGTH_MASK;
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

    private static int recordLength(final int length, final boolean ipv6)
    {
        return BitUtil.align((ipv6 ? HEADER_IPV6 : HEADER) + length, ALIGNMENT);
    }
}
