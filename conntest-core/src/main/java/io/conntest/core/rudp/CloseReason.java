package io.conntest.core.rudp;

/** Why a {@link ReliableUdpChannel} is no longer open. */
public enum CloseReason
{
    /** Still connecting or open. */
    NONE,
    /** {@link ReliableUdpChannel#close(long)} was called. */
    LOCAL,
    /** The peer sent CLOSE. */
    PEER_CLOSED,
    /** The handshake or a retransmission was retried more than the configured maximum without an answer. */
    PEER_DEAD
}
