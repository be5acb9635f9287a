package io.conntest.bench.e2e;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A sensitivity knob for the plain pumps: {@code -Dconntest.bench.pumpExtraNs=N} makes each pump frame cost N ns more
 * of the pump thread's time (a spin before the write), as if the pump did some of a stack's protocol work. It shows
 * how much a little CPU per frame costs in throughput on this path: the kernel's receive work runs inside the
 * writer's {@code write(2)} and its reader's wake-ups depend on the writer's pace, so the throughput falls faster
 * than the CPU per frame rises ({@code docs/bench.md}, "What bounds the plain ratios"). Off (0) by default; never
 * set in a committed run's ceilings.
 */
final class PumpExtraWork
{
    static final long EXTRA_NS = Long.getLong("conntest.bench.pumpExtraNs", 0);

    /**
     * {@code -Dconntest.bench.pumpCopyRing=BYTES}: the vnet pump copies each super-frame's payload from a ring of that
     * many bytes, round and round, as a sender of real data does from its send buffer (the stack copies from its
     * 1 MB send ring), instead of writing the same hot buffer every time. Off (0) by default.
     */
    static final int COPY_RING = Integer.getInteger("conntest.bench.pumpCopyRing", 0);
    private static final UnsafeBuffer RING = COPY_RING <= 0 ? null
        : new UnsafeBuffer(ByteBuffer.allocateDirect(COPY_RING + 65_536));
    private static int ringAt;

    /** Copies {@code length} bytes from the ring into {@code frame} at {@code offset}; nothing when off. */
    static void copyPayload(final MutableDirectBuffer frame, final int offset, final int length)
    {
        if (RING != null)
        {
            frame.putBytes(offset, RING, ringAt, length);
            ringAt = (ringAt + length) % COPY_RING;
        }
    }

    private PumpExtraWork()
    {
    }

    /** Spends {@link #EXTRA_NS} on this thread; nothing when 0. */
    static void perFrame()
    {
        if (EXTRA_NS > 0)
        {
            final long until = System.nanoTime() + EXTRA_NS;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}
