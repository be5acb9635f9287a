package io.conntest.stack.phy;

/**
 * What a {@link FaultInjectingDevice} does to the frames of one direction: an immutable value built fluently,
 * e.g. {@code FaultConfig.none().drop(0.05).reorder(0.1, 3).delayMs(20, 5).rateBitsPerSecond(10_000_000)}.
 * Every setter returns a new value; probabilities are in [0, 1].
 *
 * <p>The faults are applied in this order to each frame that enters the direction: drop, corrupt (one random
 * bit after the 14-byte Ethernet header flipped, so the IP/ICMP/UDP/TCP checksum catches it), duplicate (the
 * copy follows the original), reorder (the frame is held back until {@code reorderAfterFrames} later frames
 * went out, or at most {@code reorderMaxHoldNs}), delay ({@code delayNs} plus a uniform jitter in
 * {@code [0, jitterNs]}, which may itself reorder frames, as netem's does), then the rate limit (token bucket
 * of {@code rateBitsPerSecond} with a bucket of {@code burstBytes}). Frames wait in a queue bounded by
 * {@code queueFrames} and {@code queueBytes}; a frame that does not fit is dropped and counted (tail drop).
 */
public final class FaultConfig
{
    private static final FaultConfig NONE = new FaultConfig(
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 256, 4 * 1024 * 1024);

    private final double dropProbability;
    private final double duplicateProbability;
    private final double corruptProbability;
    private final double reorderProbability;
    private final int reorderAfterFrames;
    private final long reorderMaxHoldNs;
    private final long delayNs;
    private final long jitterNs;
    private final long rateBitsPerSecond;
    private final int burstBytes;
    private final int queueFrames;
    private final int queueBytes;

    private FaultConfig(
        final double dropProbability,
        final double duplicateProbability,
        final double corruptProbability,
        final double reorderProbability,
        final int reorderAfterFrames,
        final long reorderMaxHoldNs,
        final long delayNs,
        final long jitterNs,
        final long rateBitsPerSecond,
        final int burstBytes,
        final int queueFrames,
        final int queueBytes)
    {
        this.dropProbability = checkProbability("drop", dropProbability);
        this.duplicateProbability = checkProbability("duplicate", duplicateProbability);
        this.corruptProbability = checkProbability("corrupt", corruptProbability);
        this.reorderProbability = checkProbability("reorder", reorderProbability);
        this.reorderAfterFrames = checkNonNegative("reorderAfterFrames", reorderAfterFrames);
        this.reorderMaxHoldNs = checkNonNegative("reorderMaxHoldNs", reorderMaxHoldNs);
        this.delayNs = checkNonNegative("delayNs", delayNs);
        this.jitterNs = checkNonNegative("jitterNs", jitterNs);
        this.rateBitsPerSecond = checkNonNegative("rateBitsPerSecond", rateBitsPerSecond);
        this.burstBytes = checkNonNegative("burstBytes", burstBytes);
        if (queueFrames < 1)
        {
            throw new IllegalArgumentException("queueFrames must be at least 1: " + queueFrames);
        }
        if (queueBytes < 1)
        {
            throw new IllegalArgumentException("queueBytes must be at least 1: " + queueBytes);
        }
        this.queueFrames = queueFrames;
        this.queueBytes = queueBytes;
    }

    /** No fault at all: frames pass straight through, without a copy. */
    public static FaultConfig none()
    {
        return NONE;
    }

    /** Drops each frame with probability {@code probability}. */
    public FaultConfig drop(final double probability)
    {
        return new FaultConfig(probability, duplicateProbability, corruptProbability, reorderProbability,
            reorderAfterFrames, reorderMaxHoldNs, delayNs, jitterNs, rateBitsPerSecond, burstBytes, queueFrames,
            queueBytes);
    }

    /** Sends each frame twice with probability {@code probability}. */
    public FaultConfig duplicate(final double probability)
    {
        return new FaultConfig(dropProbability, probability, corruptProbability, reorderProbability,
            reorderAfterFrames, reorderMaxHoldNs, delayNs, jitterNs, rateBitsPerSecond, burstBytes, queueFrames,
            queueBytes);
    }

    /** Flips one random bit past the Ethernet header of each frame with probability {@code probability}. */
    public FaultConfig corrupt(final double probability)
    {
        return new FaultConfig(dropProbability, duplicateProbability, probability, reorderProbability,
            reorderAfterFrames, reorderMaxHoldNs, delayNs, jitterNs, rateBitsPerSecond, burstBytes, queueFrames,
            queueBytes);
    }

    /**
     * Holds each frame back with probability {@code probability} until {@code afterFrames} later frames went
     * out (or 5 ms passed, see {@link #reorder(double, int, long)}).
     */
    public FaultConfig reorder(final double probability, final int afterFrames)
    {
        return reorder(probability, afterFrames, 5_000_000L);
    }

    /** As {@link #reorder(double, int)}, releasing a held frame after at most {@code maxHoldNs} anyway. */
    public FaultConfig reorder(final double probability, final int afterFrames, final long maxHoldNs)
    {
        if (afterFrames < 1)
        {
            throw new IllegalArgumentException("afterFrames must be at least 1: " + afterFrames);
        }
        return new FaultConfig(dropProbability, duplicateProbability, corruptProbability, probability,
            afterFrames, maxHoldNs, delayNs, jitterNs, rateBitsPerSecond, burstBytes, queueFrames, queueBytes);
    }

    /** Delays every frame by {@code delayNs} plus a uniform random jitter in {@code [0, jitterNs]}. */
    public FaultConfig delayNs(final long delayNs, final long jitterNs)
    {
        return new FaultConfig(dropProbability, duplicateProbability, corruptProbability, reorderProbability,
            reorderAfterFrames, reorderMaxHoldNs, delayNs, jitterNs, rateBitsPerSecond, burstBytes, queueFrames,
            queueBytes);
    }

    /** {@link #delayNs(long, long)} in milliseconds. */
    public FaultConfig delayMs(final long delayMs, final long jitterMs)
    {
        return delayNs(delayMs * 1_000_000L, jitterMs * 1_000_000L);
    }

    /**
     * Limits the direction to {@code bitsPerSecond} (0: no limit) with a bucket of the larger of 2 full frames
     * and 1 ms worth of bytes.
     */
    public FaultConfig rateBitsPerSecond(final long bitsPerSecond)
    {
        return rateBitsPerSecond(bitsPerSecond, 0);
    }

    /** Limits the direction to {@code bitsPerSecond} with a token bucket of {@code burstBytes} (0: default). */
    public FaultConfig rateBitsPerSecond(final long bitsPerSecond, final int burstBytes)
    {
        return new FaultConfig(dropProbability, duplicateProbability, corruptProbability, reorderProbability,
            reorderAfterFrames, reorderMaxHoldNs, delayNs, jitterNs, bitsPerSecond, burstBytes, queueFrames,
            queueBytes);
    }

    /** Bounds the frames waiting in this direction (defaults: 256 frames, 4 MiB); more are dropped. */
    public FaultConfig queue(final int maxFrames, final int maxBytes)
    {
        return new FaultConfig(dropProbability, duplicateProbability, corruptProbability, reorderProbability,
            reorderAfterFrames, reorderMaxHoldNs, delayNs, jitterNs, rateBitsPerSecond, burstBytes, maxFrames,
            maxBytes);
    }

    /** True when this config changes nothing, so the device passes frames through without copying them. */
    public boolean isNone()
    {
        return dropProbability == 0 && duplicateProbability == 0 && corruptProbability == 0
            && reorderProbability == 0 && delayNs == 0 && jitterNs == 0 && rateBitsPerSecond == 0;
    }

    public double dropProbability()
    {
        return dropProbability;
    }

    public double duplicateProbability()
    {
        return duplicateProbability;
    }

    public double corruptProbability()
    {
        return corruptProbability;
    }

    public double reorderProbability()
    {
        return reorderProbability;
    }

    public int reorderAfterFrames()
    {
        return reorderAfterFrames;
    }

    public long reorderMaxHoldNs()
    {
        return reorderMaxHoldNs;
    }

    public long delayNs()
    {
        return delayNs;
    }

    public long jitterNs()
    {
        return jitterNs;
    }

    public long rateBitsPerSecond()
    {
        return rateBitsPerSecond;
    }

    /** The configured bucket size, 0 meaning the default described at {@link #rateBitsPerSecond(long)}. */
    public int burstBytes()
    {
        return burstBytes;
    }

    public int queueFrames()
    {
        return queueFrames;
    }

    public int queueBytes()
    {
        return queueBytes;
    }

    @Override
    public String toString()
    {
        if (isNone())
        {
            return "FaultConfig{none}";
        }
        return "FaultConfig{drop=" + dropProbability + ", duplicate=" + duplicateProbability
            + ", corrupt=" + corruptProbability + ", reorder=" + reorderProbability + "/" + reorderAfterFrames
            + " (max " + reorderMaxHoldNs + " ns), delay=" + delayNs + "+" + jitterNs + " ns, rate="
            + rateBitsPerSecond + " bit/s (burst " + burstBytes + " B), queue=" + queueFrames + " frames/"
            + queueBytes + " B}";
    }

    private static double checkProbability(final String name, final double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new IllegalArgumentException(name + " probability must be in [0, 1]: " + p);
        }
        return p;
    }

    private static int checkNonNegative(final String name, final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }

    private static long checkNonNegative(final String name, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }
}
