package io.conntest.stack.phy;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

/**
 * A {@link FrameDevice} decorator that records every frame, received and sent, in a classic pcap file
 * (nanosecond-resolution magic {@code 0xa1b23c4d}, written little-endian, {@code LINKTYPE_ETHERNET}, snaplen
 * 65535) that Wireshark and tshark read. Records go through one pre-allocated direct buffer that is written out
 * when full, at least once a second while frames flow, on {@link #flush()} and on {@link #close()}.
 *
 * <p>Offloads: a super-frame is recorded whole, as tcpdump records one on a host with TSO or GRO (one record up to
 * 64 KB, its IPv4 total length the whole datagram's); a frame sent with a partial checksum (NEEDS_CSUM) is recorded
 * with the pseudo-header sum in its checksum field, as tcpdump shows "incorrect" checksums for outgoing packets on
 * such a host. tshark does not check TCP checksums unless asked, so such a capture opens clean.
 *
 * <p>A capture that cannot be written (disk full, ...) stops recording and keeps the link working; the cause is
 * kept in {@link #writeError()}. Single-threaded; nothing is allocated per frame.
 */
public final class PcapWriterDevice extends ForwardingDevice
{
    /** Magic number of a pcap file whose timestamps carry nanoseconds. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int LINKTYPE_ETHERNET = 1;
    /** tcpdump's default: room for a whole super-frame (up to 65,549 bytes) as tcpdump records one on a TSO host. */
    public static final int SNAPLEN = 262_144;
    public static final int FILE_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    private static final int BUFFER_SIZE = 1 << 20;
    private static final long FLUSH_INTERVAL_NS = 1_000_000_000L;

    private final LongSupplier epochClockNs;
    private final LongSupplier monotonicClockNs;
    private final FileChannel channel;
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private final RecordingHandler recordingHandler = new RecordingHandler();
    private MutableDirectBuffer claimed;
    private long lastFlushNs;
    private long framesWritten;
    private IOException writeError;
    private boolean closed;

    /**
     * Records into {@code file} (created or truncated) with wall-clock timestamps.
     *
     * @throws IOException when the file cannot be created.
     */
    public PcapWriterDevice(final FrameDevice inner, final Path file) throws IOException
    {
        this(inner, file, wallClockNs());
    }

    /**
     * @param epochClockNs time of each record in nanoseconds since 1970-01-01 UTC (a test passes a manual clock).
     * @throws IOException when the file cannot be created.
     */
    public PcapWriterDevice(final FrameDevice inner, final Path file, final LongSupplier epochClockNs)
        throws IOException
    {
        super(inner);
        this.epochClockNs = epochClockNs;
        this.monotonicClockNs = System::nanoTime;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        this.byteBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        this.buffer = new UnsafeBuffer(byteBuffer);
        buffer.putInt(0, MAGIC_NANOS, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(4, (short)2, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(6, (short)4, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(8, 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(12, 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(16, SNAPLEN, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(20, LINKTYPE_ETHERNET, ByteOrder.LITTLE_ENDIAN);
        byteBuffer.position(FILE_HEADER_LENGTH);
        lastFlushNs = monotonicClockNs.getAsLong();
        flush();
    }

    /** A clock of nanoseconds since the epoch that reads {@link System#nanoTime()} only, so it never allocates. */
    public static LongSupplier wallClockNs()
    {
        final long offsetNs = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        return () -> offsetNs + System.nanoTime();
    }

    /** Frames recorded so far. */
    public long framesWritten()
    {
        return framesWritten;
    }

    /** Why recording stopped, or null while it works. */
    public IOException writeError()
    {
        return writeError;
    }

    @Override
    public int receive(final FrameHandler handler, final int maxFrames)
    {
        recordingHandler.downstream = handler;
        try
        {
            return inner.receive(recordingHandler, maxFrames);
        }
        finally
        {
            recordingHandler.downstream = null;
            maybeFlush();
        }
    }

    @Override
    public MutableDirectBuffer claim(final int maxLength)
    {
        claimed = inner.claim(maxLength);
        return claimed;
    }

    @Override
    public void commit(final int length)
    {
        if (claimed != null)
        {
            record(claimed, 0, length);
            claimed = null;
        }
        inner.commit(length);
        maybeFlush();
    }

    @Override
    public void commit(final int length, final FrameMetadata metadata)
    {
        if (claimed != null)
        {
            record(claimed, 0, length);
            claimed = null;
        }
        inner.commit(length, metadata);
        maybeFlush();
    }

    @Override
    public void abort()
    {
        claimed = null;
        inner.abort();
    }

    /** Writes the buffered records to the file. */
    public void flush()
    {
        if (writeError != null || byteBuffer.position() == 0)
        {
            return;
        }
        try
        {
            byteBuffer.flip();
            while (byteBuffer.hasRemaining())
            {
                channel.write(byteBuffer);
            }
        }
        catch (final IOException ex)
        {
            writeError = ex;
        }
        finally
        {
            byteBuffer.clear();
            lastFlushNs = monotonicClockNs.getAsLong();
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            flush();
            channel.close();
        }
        catch (final IOException ex)
        {
            if (writeError == null)
            {
                writeError = ex;
            }
        }
        finally
        {
            inner.close();
        }
    }

    private void record(final DirectBuffer frame, final int offset, final int length)
    {
        if (writeError != null || closed)
        {
            return;
        }
        final int captured = Math.min(length, SNAPLEN);
        if (byteBuffer.remaining() < RECORD_HEADER_LENGTH + captured)
        {
            flush();
            if (writeError != null)
            {
                return;
            }
        }
        final int at = byteBuffer.position();
        final long timeNs = epochClockNs.getAsLong();
        buffer.putInt(at, (int)(timeNs / 1_000_000_000L), ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(at + 4, (int)(timeNs % 1_000_000_000L), ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(at + 8, captured, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(at + 12, length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(at + RECORD_HEADER_LENGTH, frame, offset, captured);
        byteBuffer.position(at + RECORD_HEADER_LENGTH + captured);
        framesWritten++;
    }

    private void maybeFlush()
    {
        if (byteBuffer.position() > 0 && monotonicClockNs.getAsLong() - lastFlushNs >= FLUSH_INTERVAL_NS)
        {
            flush();
        }
    }

    /** Records each received frame, then passes it on. */
    private final class RecordingHandler implements FrameHandler
    {
        FrameHandler downstream;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            record(buffer, offset, length);
            downstream.onFrame(buffer, offset, length);
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length,
            final FrameMetadata metadata)
        {
            record(buffer, offset, length);
            downstream.onFrame(buffer, offset, length, metadata);
        }
    }
}
