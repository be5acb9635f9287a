package io.conntest.core.rudp;

/** Which side of the handshake a {@link ReliableUdpChannel} plays. */
public enum Role
{
    /** Sends HANDSHAKE_INIT and retries it until the server's token arrives. */
    CLIENT,
    /** Answers HANDSHAKE_INIT with a token and obeys the amplification limit until the client echoes it. */
    SERVER
}
