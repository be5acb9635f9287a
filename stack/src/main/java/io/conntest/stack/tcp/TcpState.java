package io.conntest.stack.tcp;

/** The connection states of RFC 9293 §3.3.2. */
public enum TcpState
{
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
    TIME_WAIT;

    /** Synchronized states (RFC 9293 §3.5.2): both sides' initial sequence numbers are known. */
    public boolean isSynchronized()
    {
        return ordinal() >= ESTABLISHED.ordinal();
    }
}
