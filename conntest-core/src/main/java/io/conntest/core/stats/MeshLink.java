package io.conntest.core.stats;

import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

/**
 * One instance's view of one of its peers over one protocol and direction: a row of its own snapshot, or an entry of
 * a PEER_VIEW another instance sent. The raw material of the {@link MeshMatrix}; text is already sanitised.
 *
 * @param from      the instance that sees the peer
 * @param toName    the peer's instance name, null when never reached (then only its address is known)
 * @param toHost    the peer's address as {@code from} knows it (where it dials, or where the peer came from)
 * @param toPort    its port
 * @param protocol  tcp/udp
 * @param state     the connection's state at {@code from}
 * @param reason    why it is not connected, or null
 * @param detail    the failure's description, or null
 * @param latencyNs median RTT/2 of idle probes, -1 unknown
 * @param upBps     last bandwidth test from {@code from} to the peer, -1 none
 * @param downBps   last bandwidth test from the peer to {@code from}, -1 none
 * @param outgoing  {@code from} dials the peer (so {@code toHost:toPort} is the peer's listening address)
 * @param ageNs     how old the information is (0 for this instance's own rows)
 * @param translated whether {@code from}'s packets reach the peer translated (a NAT), null unknown
 */
public record MeshLink(String from, String toName, String toHost, int toPort, TransportProtocol protocol,
    ConnectionState state, FailureReason reason, String detail, long latencyNs, long upBps, long downBps,
    boolean outgoing, long ageNs, Boolean translated)
{
    /** Connected, directly or through the pair's other connection (covered). */
    public boolean up()
    {
        return state == ConnectionState.CONNECTED || state == ConnectionState.COVERED;
    }
}
