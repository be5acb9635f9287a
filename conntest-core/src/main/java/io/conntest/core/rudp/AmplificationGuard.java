package io.conntest.core.rudp;

/**
 * RFC 9000 &sect;8.1 anti-amplification: until the peer proves it receives at its address (by echoing our token), we
 * send at most {@code factor} times the bytes we received from it. Clients start validated (they chose the address).
 */
final class AmplificationGuard
{
    private final int factor;
    private boolean validated;
    private long receivedBytes;
    private long sentBytes;
    private boolean blocked;

    AmplificationGuard(final int factor, final boolean validated)
    {
        this.factor = factor;
        this.validated = validated;
    }

    boolean isValidated()
    {
        return validated;
    }

    void onValidated()
    {
        validated = true;
        blocked = false;
    }

    /** Every well-formed datagram from the peer's address adds to the budget. */
    void onReceived(final int length)
    {
        if (!validated)
        {
            receivedBytes += length;
            blocked = false;
        }
    }

    /** Whether a datagram of this length may go now; a refusal is counted once until more is received. */
    boolean allows(final int length, final ReliableUdpStats stats)
    {
        if (validated || sentBytes + length <= (long)factor * receivedBytes)
        {
            return true;
        }
        if (!blocked)
        {
            blocked = true;
            stats.amplificationBlockedBytes += length;
        }
        return false;
    }

    void onSent(final int length)
    {
        if (!validated)
        {
            sentBytes += length;
        }
    }

    /** Blocked until the peer sends more: no point polling before. */
    boolean isBlocked()
    {
        return blocked;
    }
}
