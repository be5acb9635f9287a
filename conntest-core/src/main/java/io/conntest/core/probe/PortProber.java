package io.conntest.core.probe;

import java.net.InetAddress;

/**
 * Probes single ports asynchronously, for a single-threaded event loop: {@link #start} begins a probe and returns at
 * once; the owner then calls {@link #poll(long)} whenever it runs its loop, and the result arrives through the
 * {@link ProbeCallback} from inside that call. Implementations: {@link KernelPortProber} (JDK sockets on an NIO
 * selector); a userspace-stack prober can implement the same contract on the TAP stack's poll loop.
 *
 * <p>All methods except {@link #wakeup()} are called on the owning thread only.
 */
public interface PortProber extends AutoCloseable
{
    /** The most probes that may be in flight at once. */
    int capacity();

    /**
     * Sends one UDP datagram to {@code host:port} from this prober's position (its address, behind the same NATs as
     * its probes) and waits up to {@code timeoutNs} for a datagram back from there, copied into {@code answer}; used
     * after a scan, on the owning thread, to ask a conntest peer which probes arrived ({@link PeerArrivals}).
     *
     * @return the answer's length, -1 when none came in time, -2 when this prober cannot exchange datagrams
     */
    default int exchange(final InetAddress host, final int port, final byte[] request, final int length,
        final byte[] answer, final long timeoutNs)
    {
        return -2;
    }

    /** Probes started whose result has not yet been delivered (and not cancelled). */
    int inFlight();

    /**
     * Starts probing one port. Never blocks and never calls {@code callback} from inside this method: even a probe
     * that fails at once (e.g. no route, no file descriptors) reports on the next {@link #poll(long)}.
     *
     * @param protocol  TCP (connect) or UDP (datagram and wait for a reply or an ICMP error)
     * @param host      the address to probe
     * @param port      1 to 65535
     * @param timeoutNs how long to wait for an answer to each attempt, positive
     * @param attempts  how many times to send before giving up, at least 1 (nmap retransmits UDP once)
     * @param nowNs     the current time ({@link System#nanoTime()} base)
     * @param callback  told the result exactly once
     * @throws IllegalStateException when {@link #inFlight()} already equals {@link #capacity()}, or after close
     */
    void start(ProbeProtocol protocol, InetAddress host, int port, long timeoutNs, int attempts, long nowNs,
        ProbeCallback callback);

    /**
     * Does the pending work without blocking: takes in answers, expires timeouts (sending retransmissions), and
     * delivers finished results to their callbacks.
     *
     * @return the number of results delivered
     */
    int poll(long nowNs);

    /** The earliest time a timeout falls due, or {@link Long#MAX_VALUE} when nothing waits on a timer. */
    long nextDeadlineNs();

    /**
     * Blocks until an answer may have arrived, {@code maxWaitNs} has passed or {@link #wakeup()} is called; returns at
     * once when results are already waiting for delivery or {@code maxWaitNs <= 0}. A prober that is driven by a
     * foreign loop (the TAP stack's) may return at once.
     */
    void awaitWork(long maxWaitNs);

    /** Makes a blocked {@link #awaitWork(long)} return; the one method any thread may call. */
    void wakeup();

    /**
     * Abandons every probe in flight without calling their callbacks (results already waiting are dropped too).
     *
     * @return how many probes were abandoned
     */
    int cancelAll();

    /** Cancels everything and releases the prober's resources. */
    @Override
    void close();
}
