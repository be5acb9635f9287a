package io.conntest.core.event;

/** What happened. */
public enum EventType
{
    /** A listener is bound and accepting. */
    LISTENING,
    /** A listener could not be bound (it is retried on the reconnect schedule). */
    LISTEN_FAILED,
    /** An outgoing connection attempt started. */
    CONNECTING,
    /** A connection is established (outgoing or accepted). */
    CONNECTED,
    /** An outgoing attempt failed: the reason is refused, timeout or unreachable (or local). */
    CONNECT_FAILED,
    /** The peer introduced itself: {@code peerName} is now known. */
    HELLO,
    /** A bandwidth test finished; the message gives the figure. */
    BANDWIDTH_RESULT,
    /** A connection ended. */
    CLOSED,
    /** Something went wrong (protocol violation, verification errors, internal failure). */
    ERROR,
    /** The network below cannot carry traffic (a TAP's link is down); the message says what to do. */
    LINK_DOWN,
    /** The link is up again after a {@link #LINK_DOWN}. */
    LINK_UP,
    /** A new attempt is scheduled; the message says when. */
    RECONNECTING,
    /** A frame sent or received (only with {@code EngineConfig.tracePackets}); the message describes it. */
    PACKET,
    /** The engine stopped. */
    STOPPED,
    /**
     * An outgoing peer's connection was closed as a duplicate: the pair shares the connection the peer opened to
     * this instance, and this peer dials again only when that one is lost. The message names it.
     */
    COVERED,
    /**
     * An iperf3 test began or finished on an {@code ?service=iperf3} listener, or an iperf3 client was refused or
     * cut off; {@code host}/{@code port} name the client, a finished test carries {@code bytes} and
     * {@code durationNs}.
     */
    IPERF3,
    /**
     * What the peer sees of this end's packets changed, or was learnt (PEER_SEEN): the address they come from (a NAT
     * translated it or not), their hop count, the DSCP and ECN they arrive with. The message describes it.
     */
    PATH,
    /**
     * The NAT test of an outgoing {@code ?nat-test} peer finished: {@link EngineEvent#natTest()} holds the verdicts
     * (mapping, filtering, binding lifetime), the message says them in words.
     */
    NAT_TEST,
    /**
     * The path MTU test of an outgoing {@code ?pmtu} peer finished: {@link EngineEvent#pathMtu()} holds the probed
     * MTU, what ICMP said and the black-hole verdict; the message says them in words.
     */
    PATH_MTU,
    /**
     * The own stack's DHCP client took a step ({@code --ipv4 dhcp}): {@link EngineEvent#dhcp()} holds it (offer,
     * bound, renewing, renewed, rebinding, expired, nak, declined, with the lease), the message says it in words.
     */
    DHCP,
    /**
     * The own stack's IPv6 addresses changed ({@code --ipv6 auto}): the message lists them with their states
     * ({@code fe80::... preferred, fd00:c0:1::... tentative}), as SLAAC forms them and DAD passes or fails them.
     */
    IPV6
}
