package io.conntest.core.stats;

/** Which end of a connection this instance is. */
public enum Side
{
    /** This instance connected out. */
    CLIENT,
    /** This instance accepted the connection on a listener. */
    SERVER
}
