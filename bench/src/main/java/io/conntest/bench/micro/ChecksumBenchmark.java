package io.conntest.bench.micro;

import io.conntest.stack.wire.Checksum;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Internet checksum over a 20-byte IPv4 header, a 1,460-byte TCP payload and a 64 KiB datagram: the per-byte
 * cost every segment pays twice (receive verification, send computation). Run with {@code -prof gc} to see that
 * it allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ChecksumBenchmark
{
    @Param({"20", "1460", "65507"})
    public int length;

    private UnsafeBuffer buffer;

    @Setup
    public void setUp()
    {
        final byte[] bytes = new byte[65536];
        new SplittableRandom(42).nextBytes(bytes);
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        buffer.putBytes(0, bytes);
    }

    @Benchmark
    public int compute()
    {
        return Checksum.compute(buffer, 0, length);
    }

    /**
     * The implementation before the native-order rewrite (big-endian 8-byte loads, a bounds check per load),
     * measured in the same run as the reference for {@link #compute}.
     */
    @Benchmark
    public int previousCompute()
    {
        long acc = 0;
        int i = 0;
        final int end = length;
        while (end - i >= 8)
        {
            final long word = buffer.getLong(i, ByteOrder.BIG_ENDIAN);
            acc += (word >>> 32) + (word & 0xFFFF_FFFFL);
            i += 8;
        }
        while (end - i >= 2)
        {
            acc += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (i < end)
        {
            acc += (buffer.getByte(i) & 0xFF) << 8;
        }
        return Checksum.finish(acc);
    }

    @Benchmark
    public int pseudoHeaderAndPayload()
    {
        final long sum = Checksum.addPseudoHeader(0, 0x0A000001, 0x0A000002, 6, length);
        return Checksum.finish(Checksum.add(sum, buffer, 0, length));
    }
}
