package io.conntest.stack.testing;

/** A clock that only moves when a test moves it, for deterministic timer tests. Times in nanoseconds. */
public final class ManualClock
{
    private long nowNs;

    public ManualClock(final long startNs)
    {
        this.nowNs = startNs;
    }

    public long nowNs()
    {
        return nowNs;
    }

    public long advanceNs(final long deltaNs)
    {
        nowNs += deltaNs;
        return nowNs;
    }

    public long advanceMs(final long deltaMs)
    {
        return advanceNs(deltaMs * 1_000_000L);
    }

    public void setNs(final long timeNs)
    {
        nowNs = timeNs;
    }
}
