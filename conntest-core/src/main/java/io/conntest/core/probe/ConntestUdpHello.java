package io.conntest.core.probe;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.rudp.HandshakeProbe;

/**
 * The UDP probe that speaks conntest: a reliable-UDP HANDSHAKE_INIT as payload, a reply that is the listener's
 * HANDSHAKE_REPLY to it classified {@link ProbeReason#CONNTEST_HELLO} (any other reply stays
 * {@link ProbeReason#UDP_RESPONSE}), and a CLOSE back as {@link #farewell} so the listener drops the session the
 * probe opened. Use with {@link ProbeOptions#withUdpProbe(byte[], UdpReplyClassifier)}: {@link #payload()} and this.
 */
public final class ConntestUdpHello implements UdpReplyClassifier
{
    private final long nonce;
    private final byte[] payload;

    /** @param nonce the handshake nonce the reply must echo (a scan picks one at random) */
    public ConntestUdpHello(final long nonce)
    {
        this.nonce = nonce;
        this.payload = HandshakeProbe.init(nonce);
    }

    /** The INIT datagram to send (a copy). */
    public byte[] payload()
    {
        return payload.clone();
    }

    @Override
    public ProbeReason classify(final ByteBuffer reply)
    {
        return isReply(reply) ? ProbeReason.CONNTEST_HELLO : ProbeReason.UDP_RESPONSE;
    }

    @Override
    public byte[] farewell(final ByteBuffer reply)
    {
        return isReply(reply) ? HandshakeProbe.closeFor(copy(reply), 0) : null;
    }

    private boolean isReply(final ByteBuffer reply)
    {
        return HandshakeProbe.isReplyTo(copy(reply), 0, reply.remaining(), nonce);
    }

    /** A copy: the reply may be a read-only heap buffer, which agrona cannot wrap. One per reply, not per packet. */
    private static UnsafeBuffer copy(final ByteBuffer reply)
    {
        final byte[] bytes = new byte[reply.remaining()];
        reply.duplicate().get(bytes);
        return new UnsafeBuffer(bytes);
    }
}
