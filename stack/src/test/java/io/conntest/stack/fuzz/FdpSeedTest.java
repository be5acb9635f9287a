package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-made seeds mean what they say: {@link FdpSeed} against Jazzer's own FuzzedDataProvider. A fuzz test
 * only so that Jazzer's runtime (which its provider needs) is loaded; it ignores its input, so fuzzing it is
 * pointless.
 */
class FdpSeedTest
{
    @FuzzTest(maxDuration = "1s")
    void fuzzedDataProviderReadsBackWhatTheSeedEncodes(final byte[] ignored)
    {
        final byte[] frame = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        final byte[] seed = new FdpSeed()
            .intInRange(0, 7, 5)
            .bool(true)
            .intInRange(0, 1514, 1234)
            .bytes(frame)
            .anyInt(0x0A090001)
            .intInRange(-3, 70_000_000_000L, 61_000_000_000L)
            .bool(false)
            .bytes(new byte[] {42})
            .toBytes();
        try (FuzzedDataProviderImpl data = FuzzedDataProviderImpl.withJavaData(seed))
        {
            assertEquals(5, data.consumeInt(0, 7));
            assertEquals(true, data.consumeBoolean());
            assertEquals(1234, data.consumeInt(0, 1514));
            assertArrayEquals(frame, data.consumeBytes(frame.length));
            assertEquals(0x0A090001, data.consumeInt());
            assertEquals(61_000_000_000L, data.consumeLong(-3, 70_000_000_000L));
            assertEquals(false, data.consumeBoolean());
            assertArrayEquals(new byte[] {42}, data.consumeRemainingAsBytes());
        }
    }
}
