package io.conntest.stack.tcp;

/** Why a connection failed, as the socket reports it (the errno a kernel socket would give in brackets). */
public enum TcpError
{
    NONE,
    /** A RST answered our SYN, or ICMP port unreachable arrived in SYN-SENT (ECONNREFUSED). */
    REFUSED,
    /** The peer reset an established connection (ECONNRESET). */
    RESET,
    /** Connect timeout, retransmissions exhausted or keepalive unanswered (ETIMEDOUT). */
    TIMEOUT,
    /** No route or the neighbour did not answer ARP, or ICMP host/net unreachable (EHOSTUNREACH). */
    UNREACHABLE,
    /**
     * ICMP communication administratively prohibited (type 3 code 9, 10 or 13) answered our SYN: a firewall refused
     * the connection. Fatal in SYN-SENT as on Linux (whose errno for it is EHOSTUNREACH or ECONNREFUSED).
     */
    PROHIBITED,
    /** The connection table or the ephemeral port range is full (EADDRNOTAVAIL). */
    NO_RESOURCES,
    /** The interface has no IPv4 address yet: its DHCP lease is not bound (EADDRNOTAVAIL). */
    NO_ADDRESS
}
