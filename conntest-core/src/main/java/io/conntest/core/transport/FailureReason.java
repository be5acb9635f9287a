package io.conntest.core.transport;

/** Why a connection attempt failed or a connection ended. */
public enum FailureReason
{
    /** The peer actively refused (TCP RST to SYN, ICMP port unreachable). */
    REFUSED,
    /** No answer within the connect or progress timeout. */
    TIMEOUT,
    /** No route, host or network unreachable, name not resolved. */
    UNREACHABLE,
    /** The connection was reset by the peer. */
    RESET,
    /** Orderly close by either side. */
    CLOSED,
    /** The peer broke the conntest protocol (or spoke another one). */
    PROTOCOL,
    /** A listener's address and port are taken by another socket (EADDRINUSE): a configuration error, not retried. */
    IN_USE,
    /** A local error (bind failed, I/O error). */
    LOCAL
}
