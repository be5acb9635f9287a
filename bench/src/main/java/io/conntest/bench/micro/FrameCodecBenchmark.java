package io.conntest.bench.micro;

import io.conntest.core.protocol.FrameHandler;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.LatencyPongBody;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.protocol.ProtocolError;
import io.conntest.core.protocol.StreamFrameDecoder;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The conntest frame codec on the stream (TCP) path: writing a frame header, decoding a latency pong (a control
 * frame, kept whole), a 1,440-byte DATA frame in one piece and the same frame split across three reads (as a
 * TCP stream delivers it). No allocation per frame ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FrameCodecBenchmark implements FrameHandler
{
    private static final int DATA_PAYLOAD = 1440;

    private final UnsafeBuffer out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
    private final UnsafeBuffer pong = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
    private final UnsafeBuffer dataFrame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
    private final StreamFrameDecoder decoder = new StreamFrameDecoder();
    private int pongLength;
    private int dataLength;
    private long sequence;
    private long seen;

    @Setup
    public void setUp()
    {
        final int body = LatencyPongBody.LENGTH;
        FrameHeader.write(pong, 0, MessageType.LATENCY_PONG, 0, body, 1, 1, 123);
        pong.putLong(FrameHeader.LENGTH + LatencyPongBody.ECHO_TIMESTAMP_OFFSET, 99L, java.nio.ByteOrder.BIG_ENDIAN);
        pong.putLong(FrameHeader.LENGTH + LatencyPongBody.ECHO_SEQUENCE_OFFSET, 1L, java.nio.ByteOrder.BIG_ENDIAN);
        pongLength = FrameHeader.LENGTH + body;
        FrameHeader.write(dataFrame, 0, MessageType.DATA, 0, DATA_PAYLOAD, 1, 2, 456);
        dataLength = FrameHeader.LENGTH + DATA_PAYLOAD;
    }

    @Benchmark
    public int writeHeader()
    {
        return FrameHeader.write(out, 0, MessageType.DATA, 0, DATA_PAYLOAD, 1, ++sequence, sequence);
    }

    @Benchmark
    public long decodeLatencyPong()
    {
        decoder.onBytes(pong, 0, pongLength, this);
        return seen;
    }

    @Benchmark
    public long decodeDataFrame()
    {
        decoder.onBytes(dataFrame, 0, dataLength, this);
        return seen;
    }

    @Benchmark
    public long decodeDataFrameInThreePieces()
    {
        decoder.onBytes(dataFrame, 0, 20, this);
        decoder.onBytes(dataFrame, 20, 700, this);
        decoder.onBytes(dataFrame, 720, dataLength - 720, this);
        return seen;
    }

    @Override
    public void onFrame(final FrameHeader header, final DirectBuffer buffer, final int bodyOffset,
        final int bodyLength)
    {
        seen += header.sequence() + bodyLength;
    }

    @Override
    public void onDataStart(final FrameHeader header)
    {
        seen += header.sequence();
    }

    @Override
    public void onDataPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        seen += length;
    }

    @Override
    public void onDataEnd()
    {
        seen++;
    }

    @Override
    public void onProtocolError(final ProtocolError error, final long detail)
    {
        throw new IllegalStateException("codec failed: " + error + " " + detail);
    }
}
