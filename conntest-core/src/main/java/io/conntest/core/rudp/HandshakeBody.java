package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the payload of HANDSHAKE_INIT and HANDSHAKE_REPLY: the client's nonce (echoed by the reply) and the
 * sender's receive window, so each side knows how much the other can buffer. INIT is padded with zeros after these
 * 16 bytes (the padding is what gives the server its amplification budget, as QUIC's 1200-byte Initial does).
 */
final class HandshakeBody
{
    static final int NONCE_OFFSET = 0;
    static final int RECV_PACKETS_OFFSET = 8;
    static final int RECV_BYTES_OFFSET = 12;
    static final int LENGTH = 16;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    HandshakeBody wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    boolean isValid()
    {
        return length >= LENGTH;
    }

    long nonce()
    {
        return buffer.getLong(offset + NONCE_OFFSET, BE);
    }

    long recvWindowPackets()
    {
        return buffer.getInt(offset + RECV_PACKETS_OFFSET, BE) & 0xFFFF_FFFFL;
    }

    long recvWindowBytes()
    {
        return buffer.getInt(offset + RECV_BYTES_OFFSET, BE) & 0xFFFF_FFFFL;
    }

    static void write(
        final MutableDirectBuffer buffer, final int offset, final long nonce, final int recvPackets,
        final int recvBytes, final int paddedLength)
    {
        buffer.putLong(offset + NONCE_OFFSET, nonce, BE);
        buffer.putInt(offset + RECV_PACKETS_OFFSET, recvPackets, BE);
        buffer.putInt(offset + RECV_BYTES_OFFSET, recvBytes, BE);
        if (paddedLength > LENGTH)
        {
            buffer.setMemory(offset + LENGTH, paddedLength - LENGTH, (byte)0);
        }
    }
}
