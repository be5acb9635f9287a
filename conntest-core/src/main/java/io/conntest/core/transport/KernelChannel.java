package io.conntest.core.transport;

/**
 * What the kernel transport drives in each connection it owns, whatever the protocol: readiness from the selector,
 * timers, and release. {@link KernelConnection} (TCP) and {@link KernelUdpConnection} (a
 * {@link ReliableUdpConnection}) implement it; the transport keeps one list of them and one selector attachment type.
 */
interface KernelChannel
{
    /** Readiness from the selector. */
    void onReady(int readyOps, long nowNs);

    /** Timers and deferred events; returns work done. */
    int onPoll(long nowNs);

    /** When {@link #onPoll} is due next. */
    long pollAtNs();

    /** Releases everything without callbacks (the transport is closing). */
    void closeNow();

    /** Released and nothing more to do: the transport forgets it. */
    boolean isFinished();
}
