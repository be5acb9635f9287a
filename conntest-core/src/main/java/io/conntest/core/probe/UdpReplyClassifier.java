package io.conntest.core.probe;

import java.nio.ByteBuffer;

/**
 * Decides what a UDP reply proves. The default says {@link ProbeReason#UDP_RESPONSE}; the engine can supply one that
 * recognises a conntest listener's answer and says {@link ProbeReason#CONNTEST_HELLO}. Any reply means the port is
 * open; only the reason differs.
 */
@FunctionalInterface
public interface UdpReplyClassifier
{
    /** Any reply is a plain {@code udp-response}. */
    UdpReplyClassifier ANY_REPLY = reply -> ProbeReason.UDP_RESPONSE;

    /**
     * @param reply the datagram received, between position and limit; read-only use, valid during the call only
     * @return the reason to report (the state is {@link PortState#OPEN})
     */
    ProbeReason classify(ByteBuffer reply);

    /**
     * A datagram to send back after {@code reply} before the probe's socket closes, or null (the default): how a
     * probe that opened a session at the port (a conntest listener's handshake) closes it again at once.
     *
     * @param reply the datagram received, as given to {@link #classify}
     */
    default byte[] farewell(final ByteBuffer reply)
    {
        return null;
    }
}
