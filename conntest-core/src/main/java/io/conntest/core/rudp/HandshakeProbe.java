package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The handshake seen from a port scanner: a HANDSHAKE_INIT to send to a port, the test whether a datagram back is a
 * conntest listener's HANDSHAKE_REPLY to it (the nonce echoed, {@code docs/reliable-udp.md} "Handshake"), and the
 * CLOSE that ends the server channel the INIT created, so a probe leaves no session behind to idle out.
 *
 * <p>Stateless and thread-safe; every method allocates only what it returns.
 */
public final class HandshakeProbe
{
    private HandshakeProbe()
    {
    }

    /**
     * A HANDSHAKE_INIT with {@code nonce} and the default receive windows, padded to the configured 1,200 bytes: a
     * server validates it as a client's first datagram ({@link ReliableUdpChannel#isHandshakeInit}).
     */
    public static byte[] init(final long nonce)
    {
        final ReliableUdpConfig config = ReliableUdpConfig.defaults();
        final int bodyLength = Math.max(HandshakeBody.LENGTH, config.handshakePaddingBytes() - RudpHeader.LENGTH);
        final byte[] datagram = new byte[RudpHeader.datagramLength(0, bodyLength)];
        final UnsafeBuffer buffer = new UnsafeBuffer(datagram);
        new RudpHeader().wrapForWrite(buffer, 0).header(RudpHeader.TYPE_HANDSHAKE_INIT, 0, 0, bodyLength, 0, 0, 0, 0,
            0, 0);
        HandshakeBody.write(buffer, RudpHeader.LENGTH, nonce, config.recvWindowPackets(), config.recvWindowBytes(),
            bodyLength);
        return datagram;
    }

    /** Whether {@code length} bytes at {@code offset} are a well-formed HANDSHAKE_REPLY echoing {@code nonce}. */
    public static boolean isReplyTo(final DirectBuffer buffer, final int offset, final int length, final long nonce)
    {
        if (RudpHeader.validate(buffer, offset, length) != RudpHeader.OK ||
            RudpHeader.typeOf(buffer, offset) != RudpHeader.TYPE_HANDSHAKE_REPLY ||
            RudpHeader.payloadLengthOf(buffer, offset) < HandshakeBody.LENGTH)
        {
            return false;
        }
        return new HandshakeBody().wrap(buffer, offset + RudpHeader.LENGTH, HandshakeBody.LENGTH).nonce() == nonce;
    }

    /** The 36-byte CLOSE carrying the token of a reply that passed {@link #isReplyTo}. */
    public static byte[] closeFor(final DirectBuffer reply, final int offset)
    {
        final byte[] datagram = new byte[RudpHeader.LENGTH];
        RudpHeader.writeClose(new UnsafeBuffer(datagram), 0, RudpHeader.tokenOf(reply, offset));
        return datagram;
    }
}
