package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over one reliable-UDP datagram: the fixed 36-byte header, up to {@value #MAX_SACK_BLOCKS} selective-ack
 * blocks, then the payload (a message, or the handshake body). Layout in {@code docs/reliable-udp.md}. All fields
 * are big-endian; unsigned fields are returned masked into a wider type.
 *
 * <p>Reading: {@link #wrap} then {@link #validate()}; getters are only safe after validate returned {@link #OK}.
 * Writing: {@link #wrapForWrite} then the setters.
 */
final class RudpHeader
{
    static final int MAGIC = 0x5255; // "RU"
    static final int VERSION = 1;

    static final int TYPE_HANDSHAKE_INIT = 1;
    static final int TYPE_HANDSHAKE_REPLY = 2;
    static final int TYPE_DATA = 3;
    static final int TYPE_ACK = 4;
    static final int TYPE_CLOSE = 5;

    /** Set when {@code tsEcr} carries an echoed timestamp. */
    static final int FLAG_TS_ECR = 0x01;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 2;
    static final int TYPE_OFFSET = 3;
    static final int FLAGS_OFFSET = 4;
    static final int SACK_COUNT_OFFSET = 5;
    static final int PAYLOAD_LENGTH_OFFSET = 6;
    static final int TOKEN_OFFSET = 8;
    static final int SEQ_OFFSET = 16;
    static final int ACK_OFFSET = 20;
    static final int TS_VAL_OFFSET = 24;
    static final int TS_ECR_OFFSET = 28;
    static final int STREAM_OFFSET_OFFSET = 32;
    static final int LENGTH = 36;

    static final int SACK_BLOCK_LENGTH = 8;
    static final int MAX_SACK_BLOCKS = 4;

    /** Largest UDP payload over IPv4: 65,535 - 20 (IPv4 header) - 8 (UDP header). */
    static final int MAX_DATAGRAM = 65_507;
    /** Largest message: DATA never carries SACK blocks, so only the fixed header is subtracted. */
    static final int MAX_MESSAGE = MAX_DATAGRAM - LENGTH;

    static final int OK = 0;
    static final int ERR_TRUNCATED = -1;
    static final int ERR_MAGIC = -2;
    static final int ERR_VERSION = -3;
    static final int ERR_TYPE = -4;
    static final int ERR_LENGTH = -5;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutable;
    private int offset;
    private int length;

    RudpHeader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.mutable = null;
        this.offset = offset;
        this.length = length;
        return this;
    }

    RudpHeader wrapForWrite(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutable = buffer;
        this.offset = offset;
        this.length = MAX_DATAGRAM;
        return this;
    }

    /** Checks every length before any field is trusted: header, SACK blocks and payload must fill the datagram. */
    int validate()
    {
        return validate(buffer, offset, length);
    }

    /** As {@link #validate()}, without a flyweight (for callers that have none at hand). */
    static int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH || offset < 0 || length > buffer.capacity() - offset)
        {
            return ERR_TRUNCATED;
        }
        if (length > MAX_DATAGRAM)
        {
            return ERR_LENGTH;
        }
        if ((buffer.getShort(offset + MAGIC_OFFSET, BE) & 0xFFFF) != MAGIC)
        {
            return ERR_MAGIC;
        }
        if ((buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION)
        {
            return ERR_VERSION;
        }
        final int type = buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
        if (type < TYPE_HANDSHAKE_INIT || type > TYPE_CLOSE)
        {
            return ERR_TYPE;
        }
        final int sackCount = buffer.getByte(offset + SACK_COUNT_OFFSET) & 0xFF;
        if (sackCount > MAX_SACK_BLOCKS || (sackCount != 0 && type != TYPE_ACK))
        {
            return ERR_LENGTH;
        }
        final int payloadLength = buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, BE) & 0xFFFF;
        if (LENGTH + sackCount * SACK_BLOCK_LENGTH + payloadLength != length)
        {
            return ERR_LENGTH;
        }
        return OK;
    }

    /** Type of a datagram that passed {@link #validate(DirectBuffer, int, int)}. */
    static int typeOf(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    static long tokenOf(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TOKEN_OFFSET, BE);
    }

    static int payloadLengthOf(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, BE) & 0xFFFF;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    int sackCount()
    {
        return buffer.getByte(offset + SACK_COUNT_OFFSET) & 0xFF;
    }

    int payloadLength()
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, BE) & 0xFFFF;
    }

    long token()
    {
        return buffer.getLong(offset + TOKEN_OFFSET, BE);
    }

    int seq()
    {
        return buffer.getInt(offset + SEQ_OFFSET, BE);
    }

    int ack()
    {
        return buffer.getInt(offset + ACK_OFFSET, BE);
    }

    int tsVal()
    {
        return buffer.getInt(offset + TS_VAL_OFFSET, BE);
    }

    int tsEcr()
    {
        return buffer.getInt(offset + TS_ECR_OFFSET, BE);
    }

    int streamOffset()
    {
        return buffer.getInt(offset + STREAM_OFFSET_OFFSET, BE);
    }

    int sackStart(final int index)
    {
        return buffer.getInt(offset + LENGTH + index * SACK_BLOCK_LENGTH, BE);
    }

    int sackEnd(final int index)
    {
        return buffer.getInt(offset + LENGTH + index * SACK_BLOCK_LENGTH + 4, BE);
    }

    /** Absolute index of the payload in the wrapped buffer. */
    int payloadOffset()
    {
        return offset + LENGTH + sackCount() * SACK_BLOCK_LENGTH;
    }

    /** Writes the fixed header; SACK blocks and payload follow via {@link #sackBlock} and {@link #payloadOffset()}. */
    RudpHeader header(
        final int type, final int flags, final int sackCount, final int payloadLength, final long token,
        final int seq, final int ack, final int tsVal, final int tsEcr, final int streamOffset)
    {
        final MutableDirectBuffer b = mutable;
        b.putShort(offset + MAGIC_OFFSET, (short)MAGIC, BE);
        b.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        b.putByte(offset + TYPE_OFFSET, (byte)type);
        b.putByte(offset + FLAGS_OFFSET, (byte)flags);
        b.putByte(offset + SACK_COUNT_OFFSET, (byte)sackCount);
        b.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)payloadLength, BE);
        b.putLong(offset + TOKEN_OFFSET, token, BE);
        b.putInt(offset + SEQ_OFFSET, seq, BE);
        b.putInt(offset + ACK_OFFSET, ack, BE);
        b.putInt(offset + TS_VAL_OFFSET, tsVal, BE);
        b.putInt(offset + TS_ECR_OFFSET, tsEcr, BE);
        b.putInt(offset + STREAM_OFFSET_OFFSET, streamOffset, BE);
        return this;
    }

    /** A bare CLOSE carrying {@code token}, every other field 0. */
    static void writeClose(final MutableDirectBuffer out, final int offset, final long token)
    {
        out.setMemory(offset, LENGTH, (byte)0);
        out.putShort(offset + MAGIC_OFFSET, (short)MAGIC, BE);
        out.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        out.putByte(offset + TYPE_OFFSET, (byte)TYPE_CLOSE);
        out.putLong(offset + TOKEN_OFFSET, token, BE);
    }

    void sackBlock(final int index, final int start, final int end)
    {
        mutable.putInt(offset + LENGTH + index * SACK_BLOCK_LENGTH, start, BE);
        mutable.putInt(offset + LENGTH + index * SACK_BLOCK_LENGTH + 4, end, BE);
    }

    static int datagramLength(final int sackCount, final int payloadLength)
    {
        return LENGTH + sackCount * SACK_BLOCK_LENGTH + payloadLength;
    }
}
