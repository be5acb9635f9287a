package io.conntest.cli.metrics.http;

/**
 * The bounds of the responder on the own stack, each the answer to a hostile or broken client: how much of a
 * request is read, how many connections are served at once, and how long each phase of a connection may take.
 *
 * @param maxConnections most connections open at once; one more evicts the longest-idle keep-alive connection, or
 *                       is closed at once when none is idle
 * @param headTimeoutNs  a request's head must be complete this long after its first byte (or after the accept, or
 *                       after the previous response): a slowloris stall gets 408 and the close
 * @param idleTimeoutNs  a keep-alive connection waiting for its next request is closed after this long
 * @param renderTimeoutNs a scrape not rendered in this long is answered 503 (the renderer is stuck or overloaded)
 * @param sendTimeoutNs  a response not taken by the client in this long is abandoned and the connection closed
 */
record HttpLimits(int maxConnections, long headTimeoutNs, long idleTimeoutNs, long renderTimeoutNs,
    long sendTimeoutNs)
{
    /** Longest request head read (request line and header fields); a longer one gets 431 and the close. */
    static final int MAX_HEAD_BYTES = 8 * 1024;

    /** Longest response head written (status line and header fields). */
    static final int MAX_RESPONSE_HEAD_BYTES = 1024;

    /** The limits of {@code --metrics-on-stack}: a Prometheus scrape is one small request, sent at once. */
    static HttpLimits defaults()
    {
        return new HttpLimits(16, 5_000_000_000L, 30_000_000_000L, 5_000_000_000L, 30_000_000_000L);
    }
}
