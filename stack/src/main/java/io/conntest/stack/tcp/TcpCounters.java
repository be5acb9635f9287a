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
    public long synDroppedBacklogFull;
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
            ", resetsDropped=" + resetsDropped + ", synDroppedBacklogFull=" + synDroppedBacklogFull +
            ", synFinDropped=" + synFinDropped +
            ", challengeAcks=" + challengeAcks + ", challengeAcksSuppressed=" + challengeAcksSuppressed +
            ", icmpErrors=" + icmpErrors + ", icmpIgnored=" + icmpIgnored + ", sendRefused=" + sendRefused + '}';
    }
}
