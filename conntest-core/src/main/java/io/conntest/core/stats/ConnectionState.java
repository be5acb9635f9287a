package io.conntest.core.stats;

/** Where a connection stands. */
public enum ConnectionState
{
    CONNECTING,
    CONNECTED,
    RETRYING,
    CLOSED,
    /**
     * An outgoing peer that does not dial because the peer's own connection to this instance carries the pair's
     * traffic (each pair of instances shares one connection); {@code lastError} names it. Dialling resumes by
     * itself when that connection is lost.
     */
    COVERED
}
