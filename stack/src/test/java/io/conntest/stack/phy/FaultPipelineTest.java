package io.conntest.stack.phy;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline used directly, as the tests' simulated links use it (seeded, virtual time). */
class FaultPipelineTest
{
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);

    @Test
    void sameSeedGivesTheSameFates()
    {
        assertEquals(released(7), released(7));
    }

    @Test
    void framesExemptFromDropAreNeverDroppedAndDrawNoRandomNumber()
    {
        final FaultCounters counters = new FaultCounters();
        final FaultPipeline pipeline = new FaultPipeline(FaultConfig.none().drop(1.0), 64, 1, counters);
        int out = 0;
        for (int i = 0; i < 100; i++)
        {
            pipeline.accept(frame, 0, 64, i, (i & 1) == 0);
            out += pipeline.release(i, (b, o, l) -> true, Integer.MAX_VALUE);
        }
        assertEquals(50, out, "the exempt half passes a link that drops everything else");
        assertEquals(50, counters.dropped());
    }

    @Test
    void aDelayedFrameIsDueAfterItsDelay()
    {
        final FaultPipeline pipeline = new FaultPipeline(FaultConfig.none().delayNs(1_000, 0), 64, 1,
            new FaultCounters());
        pipeline.accept(frame, 0, 64, 5_000);
        assertEquals(6_000, pipeline.nextDeadlineNs(5_000));
        assertEquals(0, pipeline.release(5_999, (b, o, l) -> true, 10));
        assertEquals(1, pipeline.release(6_000, (b, o, l) -> true, 10));
        assertEquals(Long.MAX_VALUE, pipeline.nextDeadlineNs(6_000));
    }

    private long released(final long seed)
    {
        final FaultCounters counters = new FaultCounters();
        final FaultPipeline pipeline = new FaultPipeline(
            FaultConfig.none().drop(0.2).duplicate(0.1).reorder(0.1, 2), 64, seed, counters);
        final long[] sum = new long[1];
        for (int i = 0; i < 1000; i++)
        {
            frame.putInt(0, i);
            pipeline.accept(frame, 0, 64, i);
            pipeline.release(i, (b, o, l) ->
            {
                sum[0] = sum[0] * 31 + b.getInt(o);
                return true;
            }, Integer.MAX_VALUE);
        }
        assertTrue(counters.dropped() > 0 && counters.duplicated() > 0 && counters.reordered() > 0);
        return sum[0];
    }
}
