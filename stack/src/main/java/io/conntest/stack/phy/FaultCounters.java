package io.conntest.stack.phy;

/**
 * What a {@link FaultInjectingDevice} did to the frames of one direction. Written by the device's owning
 * thread only; another thread reading it sees values that may lag.
 */
public final class FaultCounters
{
    long framesIn;
    long framesOut;
    long bytesOut;
    long dropped;
    long corrupted;
    long duplicated;
    long reordered;
    long delayed;
    long rateLimited;
    long queueDrops;
    long oversize;
    long badOffload;

    /** Frames that entered the direction. */
    public long framesIn()
    {
        return framesIn;
    }

    /** Frames that left the direction (duplicates included). */
    public long framesOut()
    {
        return framesOut;
    }

    /** Bytes of the frames that left the direction. */
    public long bytesOut()
    {
        return bytesOut;
    }

    /** Frames dropped on purpose (the configured drop probability). */
    public long dropped()
    {
        return dropped;
    }

    /** Frames with one bit flipped. */
    public long corrupted()
    {
        return corrupted;
    }

    /** Extra copies sent. */
    public long duplicated()
    {
        return duplicated;
    }

    /** Frames held back behind later ones. */
    public long reordered()
    {
        return reordered;
    }

    /** Frames given a delay. */
    public long delayed()
    {
        return delayed;
    }

    /** Frames that had to wait for tokens of the rate limit. */
    public long rateLimited()
    {
        return rateLimited;
    }

    /** Frames (or duplicates) dropped because the queue was full in frames or bytes. */
    public long queueDrops()
    {
        return queueDrops;
    }

    /** Frames dropped because they were larger than a slot (MTU + 18 bytes). */
    public long oversize()
    {
        return oversize;
    }

    /** Frames dropped because their offload metadata did not fit them (a super-frame that is not TCP/IPv4, ...). */
    public long badOffload()
    {
        return badOffload;
    }

    @Override
    public String toString()
    {
        return "in=" + framesIn + " out=" + framesOut + " bytesOut=" + bytesOut + " dropped=" + dropped
            + " corrupted=" + corrupted + " duplicated=" + duplicated + " reordered=" + reordered
            + " delayed=" + delayed + " rateLimited=" + rateLimited + " queueDrops=" + queueDrops
            + " oversize=" + oversize + " badOffload=" + badOffload;
    }
}
