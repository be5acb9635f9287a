package io.conntest.bench.e2e;

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
