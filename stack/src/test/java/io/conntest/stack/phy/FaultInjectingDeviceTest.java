package io.conntest.stack.phy;

import io.conntest.stack.testing.ManualClock;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectingDeviceTest
{
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock(1_000 * MS);
    private final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 4096);
    private final IntArrayList received = new IntArrayList();
    private final IntArrayList badChecksums = new IntArrayList();
    private final FrameHandler collector = (buffer, offset, length) ->
    {
        received.addInt(TestFrames.id(buffer, offset));
        if (!TestFrames.udpVerifies(buffer, offset, length))
        {
            badChecksums.addInt(TestFrames.id(buffer, offset));
        }
    };

    private FaultInjectingDevice device(final FaultConfig rx, final FaultConfig tx, final long seed)
    {
        return new FaultInjectingDevice(pair.a(), rx, tx, seed, clock::nowNs);
    }

    /** Sends ids 0..count-1 from the far end, draining into the decorated end after each. */
    private void sendToRx(final FaultInjectingDevice device, final int count, final int length)
    {
        for (int i = 0; i < count; i++)
        {
            assertTrue(TestFrames.send(pair.b(), i, length));
            device.receive(collector, 64);
        }
    }

    private void drainRx(final FaultInjectingDevice device, final long forNs)
    {
        final long end = clock.nowNs() + forNs;
        while (clock.nowNs() < end)
        {
            clock.advanceNs(100_000);
            device.receive(collector, 64);
        }
    }

    @Test
    void noneIsAPassThroughThatKeepsOrder()
    {
        final FaultInjectingDevice device = device(FaultConfig.none(), FaultConfig.none(), 1);
        sendToRx(device, 100, 100);
        for (int i = 0; i < 100; i++)
        {
            assertTrue(TestFrames.send(device, i, 100));
        }
        assertEquals(100, received.size());
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i, received.getInt(i));
        }
        received.clear();
        assertEquals(100, pair.b().receive(collector, 1000));
        assertEquals(100, device.rxCounters().framesOut());
        assertEquals(100, device.txCounters().framesOut());
        assertTrue(badChecksums.isEmpty());
    }

    @Test
    void dropLosesAboutTheConfiguredShareAndCountsIt()
    {
        final FaultInjectingDevice device = device(FaultConfig.none().drop(0.3), FaultConfig.none(), 7);
        sendToRx(device, 2000, 80);
        final FaultCounters c = device.rxCounters();
        assertEquals(2000, c.framesIn());
        assertEquals(2000, c.dropped() + received.size());
        assertEquals(received.size(), c.framesOut());
        assertTrue(c.dropped() > 500 && c.dropped() < 700, "dropped " + c.dropped());
        for (int i = 1; i < received.size(); i++)
        {
            assertTrue(received.getInt(i - 1) < received.getInt(i), "drop alone keeps order");
        }
    }

    @Test
    void sameSeedGivesTheSameRunAndAnotherSeedAnother()
    {
        final FaultConfig all = FaultConfig.none().drop(0.1).duplicate(0.1).corrupt(0.05).reorder(0.1, 3)
            .delayMs(2, 3);
        final int[] first = run(all, 42);
        final int[] second = run(all, 42);
        final int[] third = run(all, 43);
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, third));
    }

    private int[] run(final FaultConfig config, final long seed)
    {
        received.clear();
        final InMemoryDevicePair local = new InMemoryDevicePair(1500, 4096);
        final ManualClock localClock = new ManualClock(0);
        final FaultInjectingDevice device = new FaultInjectingDevice(local.a(), config, config, seed,
            localClock::nowNs);
        for (int i = 0; i < 500; i++)
        {
            TestFrames.send(local.b(), i, 60 + i % 200);
            localClock.advanceNs(200_000);
            device.receive(collector, 64);
        }
        for (int i = 0; i < 100; i++)
        {
            localClock.advanceMs(1);
            device.receive(collector, 64);
        }
        return received.toIntArray();
    }

    @Test
    void duplicateSendsACopyRightAfterTheOriginal()
    {
        final FaultInjectingDevice device = device(FaultConfig.none(), FaultConfig.none().duplicate(1.0), 3);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(TestFrames.send(device, i, 200));
        }
        assertEquals(20, pair.b().receive(collector, 100));
        for (int i = 0; i < 10; i++)
        {
            assertEquals(i, received.getInt(2 * i));
            assertEquals(i, received.getInt(2 * i + 1));
        }
        assertEquals(10, device.txCounters().duplicated());
        assertEquals(20, device.txCounters().framesOut());
        assertTrue(badChecksums.isEmpty());
    }

    @Test
    void reorderHoldsAFrameBehindTheNextOnes()
    {
        final FaultInjectingDevice device = device(FaultConfig.none().reorder(0.2, 3), FaultConfig.none(), 11);
        sendToRx(device, 1000, 100);
        drainRx(device, 10 * MS);
        assertEquals(1000, received.size(), "every frame arrives in the end");
        final int[] sorted = received.toIntArray();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(i, sorted[i]);
        }
        int displaced = 0;
        for (int position = 0; position < received.size(); position++)
        {
            if (received.getInt(position) != position)
            {
                displaced++;
            }
        }
        final long held = device.rxCounters().reordered();
        assertTrue(held > 150 && held < 250, "held " + held);
        assertTrue(displaced > held, "displaced " + displaced);
    }

    @Test
    void aHeldFrameComesOutAfterExactlyNLaterFrames()
    {
        final FaultInjectingDevice device = device(FaultConfig.none(), FaultConfig.none().reorder(1.0, 2), 5);
        assertTrue(TestFrames.send(device, 0, 100));
        assertEquals(0, pair.b().receive(collector, 10), "held");
        clock.advanceNs(5 * MS);
        device.receive(collector, 0);
        assertEquals(1, pair.b().receive(collector, 10), "released after the maximum hold");
        assertEquals(0, received.getInt(0));
        assertEquals(1, device.txCounters().reordered());
    }

    @Test
    void delayHoldsFramesUntilTheirTimeAndReportsTheDeadline()
    {
        final FaultInjectingDevice device = device(FaultConfig.none().delayMs(10, 0), FaultConfig.none(), 1);
        final long start = clock.nowNs();
        sendToRx(device, 3, 100);
        assertEquals(0, received.size());
        assertEquals(start + 10 * MS, device.nextDeadlineNs());
        clock.advanceNs(10 * MS - 1);
        assertEquals(0, device.receive(collector, 64));
        clock.advanceNs(1);
        assertEquals(3, device.receive(collector, 64));
        assertEquals(Long.MAX_VALUE, device.nextDeadlineNs());
        assertEquals(3, device.rxCounters().delayed());
    }

    @Test
    void jitterStaysWithinItsBounds()
    {
        final FaultInjectingDevice device = device(FaultConfig.none().delayMs(5, 5), FaultConfig.none(), 9);
        sendToRx(device, 200, 100);
        clock.advanceNs(5 * MS - 1);
        assertEquals(0, device.receive(collector, 1000));
        clock.advanceNs(5 * MS + 1);
        assertEquals(200, device.receive(collector, 1000));
    }

    @Test
    void corruptionFlipsOneBitThatTheChecksumCatches()
    {
        final FaultInjectingDevice device = device(FaultConfig.none().corrupt(1.0), FaultConfig.none(), 13);
        final UnsafeBuffer original = new UnsafeBuffer(new byte[300]);
        final int[] bitsChanged = new int[1];
        final int[] firstChangedByte = {Integer.MAX_VALUE};
        for (int i = 0; i < 50; i++)
        {
            TestFrames.write(original, i, 300);
            TestFrames.send(pair.b(), i, 300);
            bitsChanged[0] = 0;
            device.receive((buffer, offset, length) ->
            {
                for (int j = 0; j < length; j++)
                {
                    final int diff = (buffer.getByte(offset + j) ^ original.getByte(j)) & 0xFF;
                    if (diff != 0)
                    {
                        bitsChanged[0] += Integer.bitCount(diff);
                        firstChangedByte[0] = Math.min(firstChangedByte[0], j);
                    }
                }
                assertFalse(TestFrames.udpVerifies(buffer, offset, length));
            }, 10);
            assertEquals(1, bitsChanged[0]);
        }
        assertTrue(firstChangedByte[0] >= 14);
        assertEquals(50, device.rxCounters().corrupted());
    }

    @Test
    void rateLimitPacesFramesToTheConfiguredBitRate()
    {
        // 8 Mbit/s = 1000 bytes per ms; a bucket of 2000 bytes lets two 1000-byte frames through at once.
        final FaultInjectingDevice device = device(FaultConfig.none(),
            FaultConfig.none().rateBitsPerSecond(8_000_000, 2000), 1);
        for (int i = 0; i < 50; i++)
        {
            assertTrue(TestFrames.send(device, i, 1000));
        }
        assertEquals(2, pair.b().receive(collector, 100));
        final long deadline = device.nextDeadlineNs();
        assertTrue(deadline > clock.nowNs() && deadline <= clock.nowNs() + MS + 1, "deadline " + deadline);
        for (int ms = 1; ms <= 10; ms++)
        {
            clock.advanceMs(1);
            device.receive(collector, 0);
            assertEquals(1, pair.b().receive(collector, 100), "one frame per ms at " + ms);
        }
        assertEquals(12, received.size());
        assertEquals(11, device.txCounters().rateLimited(), "frames 2 to 12 each waited for tokens");
    }

    @Test
    void fullQueueDropsAndCounts()
    {
        final FaultInjectingDevice device = device(FaultConfig.none().delayMs(1, 0).queue(10, 1 << 20),
            FaultConfig.none().delayMs(1, 0).queue(100, 1000), 1);
        sendToRx(device, 15, 100);
        assertEquals(5, device.rxCounters().queueDrops());
        for (int i = 0; i < 15; i++)
        {
            TestFrames.send(device, i, 100);
        }
        assertEquals(5, device.txCounters().queueDrops(), "1000 bytes hold ten 100-byte frames");
        clock.advanceMs(1);
        assertEquals(10, device.receive(collector, 100));
        assertEquals(10, pair.b().receive(collector, 100));
        assertEquals(0, device.queuedFrames());
    }

    @Test
    void txWaitsWhenTheInnerDevicePushesBack()
    {
        final InMemoryDevicePair small = new InMemoryDevicePair(1500, 4);
        final FaultInjectingDevice device = new FaultInjectingDevice(small.a(), FaultConfig.none(),
            FaultConfig.none().delayNs(1, 0), 1, clock::nowNs);
        for (int i = 0; i < 10; i++)
        {
            assertNotNull(device.claim(100), "the scratch frame is always available");
            device.abort();
            assertTrue(TestFrames.send(device, i, 100));
        }
        clock.advanceNs(1);
        final FrameDevice far = small.b();
        for (int round = 0; round < 3; round++)
        {
            device.receive(collector, 10);
            assertTrue(far.receive(collector, 10) <= 4);
        }
        assertEquals(10, received.size());
        for (int i = 0; i < 10; i++)
        {
            assertEquals(i, received.getInt(i));
        }
        assertEquals(0, device.txCounters().queueDrops());
    }

    @Test
    void rejectsBadConfig()
    {
        assertThrows(IllegalArgumentException.class, () -> FaultConfig.none().drop(1.5));
        assertThrows(IllegalArgumentException.class, () -> FaultConfig.none().reorder(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultConfig.none().delayMs(-1, 0));
        assertTrue(FaultConfig.none().isNone());
        assertFalse(FaultConfig.none().drop(0.1).isNone());
        assertNotEquals(FaultConfig.none().toString(), FaultConfig.none().drop(0.1).toString());
    }

    @Test
    void allocatesNothingPerFrameInSteadyState()
    {
        final FaultConfig all = FaultConfig.none().drop(0.05).duplicate(0.05).corrupt(0.05).reorder(0.1, 3)
            .delayNs(100_000, 50_000).rateBitsPerSecond(10_000_000_000L);
        final FaultInjectingDevice device = device(all, all, 21);
        final FrameHandler count = (buffer, offset, length) -> { };
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        long before = 0;
        for (int round = 0; round < 2; round++)
        {
            if (round == 1)
            {
                before = threads.getThreadAllocatedBytes(thread);
            }
            for (int i = 0; i < 20_000; i++)
            {
                TestFrames.send(pair.b(), i, 200);
                TestFrames.send(device, i, 200);
                clock.advanceNs(20_000);
                device.receive(count, 16);
                pair.b().receive(count, 16);
            }
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 20_000, "allocated " + allocated + " bytes over 40000 frames");
    }
}
