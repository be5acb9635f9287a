package io.conntest.core.engine;

import io.conntest.core.protocol.PeerViewBody;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

/**
 * The PEER_VIEW codes for protocol, state and failure reason, both ways. Explicit tables, not enum ordinals, so the
 * wire does not change when an enum gains a value; every code {@link PeerViewBody#wrap} admits maps to a value.
 */
final class PeerViewCodes
{
    private static final FailureReason[] REASONS = {null, FailureReason.REFUSED, FailureReason.TIMEOUT,
        FailureReason.UNREACHABLE, FailureReason.RESET, FailureReason.CLOSED, FailureReason.PROTOCOL,
        FailureReason.IN_USE, FailureReason.LOCAL};

    private PeerViewCodes()
    {
    }

    static int protocolCode(final TransportProtocol protocol)
    {
        return protocol == TransportProtocol.TCP ? PeerViewBody.PROTOCOL_TCP : PeerViewBody.PROTOCOL_UDP;
    }

    static TransportProtocol protocol(final int code)
    {
        return code == PeerViewBody.PROTOCOL_TCP ? TransportProtocol.TCP : TransportProtocol.UDP;
    }

    static int stateCode(final ConnectionState state)
    {
        switch (state)
        {
            case CONNECTED:
                return PeerViewBody.STATE_CONNECTED;
            case RETRYING:
                return PeerViewBody.STATE_RETRYING;
            case CLOSED:
                return PeerViewBody.STATE_CLOSED;
            case COVERED:
                return PeerViewBody.STATE_COVERED;
            default:
                return PeerViewBody.STATE_CONNECTING;
        }
    }

    static ConnectionState state(final int code)
    {
        switch (code)
        {
            case PeerViewBody.STATE_CONNECTED:
                return ConnectionState.CONNECTED;
            case PeerViewBody.STATE_RETRYING:
                return ConnectionState.RETRYING;
            case PeerViewBody.STATE_CLOSED:
                return ConnectionState.CLOSED;
            case PeerViewBody.STATE_COVERED:
                return ConnectionState.COVERED;
            default:
                return ConnectionState.CONNECTING;
        }
    }

    static int reasonCode(final FailureReason reason)
    {
        for (int i = 1; i < REASONS.length; i++)
        {
            if (REASONS[i] == reason)
            {
                return i;
            }
        }
        return PeerViewBody.REASON_NONE;
    }

    static FailureReason reason(final int code)
    {
        return code >= 0 && code < REASONS.length ? REASONS[code] : null;
    }
}
