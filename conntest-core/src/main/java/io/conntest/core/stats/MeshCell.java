package io.conntest.core.stats;

import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

/**
 * One cell of the {@link MeshMatrix}: how instance {@code from} sees instance {@code to} over one protocol, merged
 * from every connection {@code from} has with it (the best of them: a pair connected one way is connected).
 *
 * @param from      the reporting instance (the row)
 * @param to        the peer (the column): its instance name, or {@code host:port} when no instance ever reached it
 * @param protocol  tcp/udp
 * @param state     CONNECTED or COVERED (up), CONNECTING, RETRYING or CLOSED
 * @param reason    why it is not up (refused, timeout, unreachable, ...), or null
 * @param detail    the failure as the reporter described it (e.g. who sent the ICMP error), or null
 * @param latencyNs median RTT/2 of idle probes, -1 unknown
 * @param upBps     last bandwidth test from {@code from} to {@code to}, -1 none
 * @param downBps   last bandwidth test from {@code to} to {@code from}, -1 none
 * @param ageNs     how old the reporter's information is (0 for this instance's own row)
 * @param translated whether {@code from}'s packets reach {@code to} translated (a NAT on the way), null unknown
 */
public record MeshCell(String from, String to, TransportProtocol protocol, ConnectionState state, FailureReason reason,
    String detail, long latencyNs, long upBps, long downBps, long ageNs, Boolean translated)
{
    public boolean up()
    {
        return state == ConnectionState.CONNECTED || state == ConnectionState.COVERED;
    }

    /** Still trying to reach it for the first time (neither up nor failed yet). */
    public boolean pending()
    {
        return state == ConnectionState.CONNECTING && reason == null;
    }
}
