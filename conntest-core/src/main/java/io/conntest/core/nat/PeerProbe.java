package io.conntest.core.nat;

/**
 * A test that runs once towards one cooperating conntest peer (the NAT test, the path MTU test), driven from the
 * engine's duty cycle: {@link #poll} when {@link #pollAtNs} is due, until {@link #isDone}.
 */
public interface PeerProbe
{
    /** Does what is due; returns work done. */
    int poll(long nowNs);

    /** When {@link #poll} is due next; {@link Long#MIN_VALUE} at once, {@link Long#MAX_VALUE} never. */
    long pollAtNs();

    boolean isDone();

    /** Stops the test, closing its sockets; no result. */
    void close();
}
