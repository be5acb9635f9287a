package io.conntest.stack.tcp;

/** Protocol-wide counters, one per reason a segment was dropped or answered specially. Read on the owner thread. */
public final class TcpCounters
{
    public long segmentsIn;
    public long malformed;
    public long notUnicast;
    public long badChecksum;
    public long resetsForClosedPort;
    public long resetsSent;
    public long resetsDropped;
    /** SYNs dropped because the listener's accept queue was full (the peer retransmits), as Linux does. */
    public long synDroppedAcceptQueueFull;
    /** SYNs dropped because the SYN queue (or the connection table) was full and SYN cookies are off or queued out. */
    public long synDroppedSynQueueFull;
    /** SYNs answered with a SYN cookie (RFC 4987 §3.6), ACKs returning a valid one, ACKs whose cookie failed. */
    public long synCookiesSent;
    public long synCookiesAccepted;
    public long synCookiesRejected;
    /** RSTs and cookie SYN,ACKs dropped because their destination has no route or does not resolve. */
    public long repliesUnsendable;
    /** Connections reset because data arrived after the application closed them (RFC 1122 §4.2.2.13). */
    public long abortsOnDataAfterClose;
    /** SYN+FIN to a listener, dropped unanswered (as Linux does). */
    public long synFinDropped;
    public long challengeAcks;
    public long challengeAcksSuppressed;
    public long icmpErrors;
    public long icmpIgnored;
    public long sendRefused;

    @Override
    public String toString()
    {
        return "TcpCounters{segmentsIn=" + segmentsIn + ", malformed=" + malformed + ", notUnicast=" + notUnicast + ", badChecksum=" + badChecksum +
            ", resetsForClosedPort=" + resetsForClosedPort + ", resetsSent=" + resetsSent +
            ", resetsDropped=" + resetsDropped + ", synDroppedAcceptQueueFull=" + synDroppedAcceptQueueFull +
            ", synDroppedSynQueueFull=" + synDroppedSynQueueFull + ", synCookiesSent=" + synCookiesSent +
            ", synCookiesAccepted=" + synCookiesAccepted + ", synCookiesRejected=" + synCookiesRejected +
            ", repliesUnsendable=" + repliesUnsendable + ", abortsOnDataAfterClose=" + abortsOnDataAfterClose +
            ", synFinDropped=" + synFinDropped +
            ", challengeAcks=" + challengeAcks + ", challengeAcksSuppressed=" + challengeAcksSuppressed +
            ", icmpErrors=" + icmpErrors + ", icmpIgnored=" + icmpIgnored + ", sendRefused=" + sendRefused + '}';
    }
}
