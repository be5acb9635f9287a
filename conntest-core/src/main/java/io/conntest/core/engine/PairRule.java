package io.conntest.core.engine;

import java.util.Arrays;

/**
 * Which of two connections between the same pair of instances survives (docs/protocol.md, "One connection per
 * pair"). Both instances compute it from what both know after the HELLOs, so they always agree: the connection
 * opened by the instance whose name sorts lower (UTF-8 bytes compared unsigned, byte by byte, a shorter prefix
 * first) survives; between two instances of the same name, the connection whose session id is lower (unsigned).
 */
final class PairRule
{
    private PairRule()
    {
    }

    /**
     * True when this instance's outgoing connection survives and the peer's connection to us is the duplicate;
     * false when ours is the duplicate. Equal session ids mean both sessions are the two ends of one connection
     * (an instance dialling itself): not a pair, the caller checks that first.
     *
     * @param ownName            this instance's name, UTF-8
     * @param peerName           the peer's name from its HELLO, UTF-8
     * @param outgoingSessionId  session id of the connection this instance opened
     * @param incomingSessionId  session id of the connection the peer opened
     */
    static boolean outgoingSurvives(final byte[] ownName, final byte[] peerName, final int outgoingSessionId,
        final int incomingSessionId)
    {
        final int byName = Arrays.compareUnsigned(ownName, peerName);
        if (byName != 0)
        {
            return byName < 0;
        }
        return Integer.compareUnsigned(outgoingSessionId, incomingSessionId) < 0;
    }
}
