package io.conntest.core.stats;

/** Where a connection stands. */
public enum ConnectionState
{
    CONNECTING,
    CONNECTED,
    RETRYING,
    CLOSED
}
