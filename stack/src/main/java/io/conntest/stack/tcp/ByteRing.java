package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A bounded byte ring over one heap array: the send buffer (bytes from SND.UNA onwards) and the receive buffer
 * (in-order bytes waiting for the reader, with room behind them for out-of-order bytes placed at an offset).
 * Single-threaded; never grows.
 */
final class ByteRing
{
    private final UnsafeBuffer buffer;
    private final int capacity;
    private int head;
    private int size;

    ByteRing(final int capacity)
    {
        this(capacity, false);
    }

    /**
     * A ring in native memory when {@code direct} (the send buffer: a device that gathers writes segments from it in
     * place, see {@link #gather}), else on the heap. Allocated once per connection, never per segment.
     */
    ByteRing(final int capacity, final boolean direct)
    {
        this.capacity = capacity;
        this.buffer = direct ? new UnsafeBuffer(ByteBuffer.allocateDirect(capacity))
            : new UnsafeBuffer(new byte[capacity]);
    }

    /** Whether the storage is native memory ({@link #gather} works). */
    boolean isDirect()
    {
        return buffer.byteArray() == null;
    }

    /**
     * Sends {@code length} bytes starting {@code from} bytes after the head as the tail of the datagram claimed from
     * {@code sender}, behind its {@code headLength}-byte transport header: the device reads them from this ring (one
     * or two runs, when they wrap), nothing is copied here.
     */
    void gather(final int from, final int length, final Ipv4Sender sender, final int headLength)
    {
        int pos = head + from;
        if (pos >= capacity)
        {
            pos -= capacity;
        }
        final int first = Math.min(length, capacity - pos);
        sender.commitGather(headLength, buffer, pos, first, 0, length - first);
    }

    int capacity()
    {
        return capacity;
    }

    int size()
    {
        return size;
    }

    int free()
    {
        return capacity - size;
    }

    /** Appends up to {@code length} bytes; returns how many fitted. */
    int write(final DirectBuffer src, final int offset, final int length)
    {
        final int n = Math.min(length, capacity - size);
        writeAt(0, src, offset, n);
        size += n;
        return n;
    }

    /**
     * Places bytes {@code at} bytes after the current end without making them readable (out-of-order data);
     * {@link #commit} later makes them part of the content. The caller keeps {@code at + length <= free()}.
     */
    void writeAt(final int at, final DirectBuffer src, final int offset, final int length)
    {
        int pos = head + size + at;
        if (pos >= capacity)
        {
            pos -= capacity;
        }
        final int first = Math.min(length, capacity - pos);
        buffer.putBytes(pos, src, offset, first);
        if (first < length)
        {
            buffer.putBytes(0, src, offset + first, length - first);
        }
    }

    /** Makes {@code n} bytes placed by {@link #writeAt} readable. */
    void commit(final int n)
    {
        size += n;
    }

    /** Copies {@code length} bytes starting {@code from} bytes after the head, without consuming them. */
    void copyOut(final int from, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        int pos = head + from;
        if (pos >= capacity)
        {
            pos -= capacity;
        }
        final int first = Math.min(length, capacity - pos);
        dst.putBytes(dstOffset, buffer, pos, first);
        if (first < length)
        {
            dst.putBytes(dstOffset + first, buffer, 0, length - first);
        }
    }

    /** The ring's storage, for reading a window in place ({@link #headIndex}, {@link #contiguousReadable}). */
    DirectBuffer buffer()
    {
        return buffer;
    }

    /** Where the oldest readable byte lies in {@link #buffer}. */
    int headIndex()
    {
        return head;
    }

    /** Readable bytes that lie in one piece from {@link #headIndex} (the rest, if any, wrapped to index 0). */
    int contiguousReadable()
    {
        return Math.min(size, capacity - head);
    }

    /** Reads and consumes up to {@code length} bytes. */
    int read(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final int n = Math.min(length, size);
        copyOut(0, dst, dstOffset, n);
        discard(n);
        return n;
    }

    /** Drops {@code n} bytes from the head. */
    void discard(final int n)
    {
        head += n;
        if (head >= capacity)
        {
            head -= capacity;
        }
        size -= n;
        // The head is not reset to 0 when empty: out-of-order bytes sit at fixed offsets from the tail.
    }
}
