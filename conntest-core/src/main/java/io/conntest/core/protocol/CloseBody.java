package io.conntest.core.protocol;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** GOODBYE and ERROR body: {@code code u16, text length u16, text UTF-8 (at most 255 bytes)}. */
public final class CloseBody
{
    public static final int CODE_OFFSET = 0;
    public static final int TEXT_LENGTH_OFFSET = 2;
    public static final int TEXT_OFFSET = 4;
    public static final int MAX_TEXT_BYTES = 255;
    public static final int MAX_LENGTH = TEXT_OFFSET + MAX_TEXT_BYTES;

    /** Codes: 0 normal shutdown, otherwise the {@link ProtocolError} ordinal + 1. */
    public static final int CODE_NORMAL = 0;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = null;
        if (length < TEXT_OFFSET || length > MAX_LENGTH)
        {
            return false;
        }
        final int textLength = buffer.getShort(offset + TEXT_LENGTH_OFFSET, BE) & 0xFFFF;
        if (TEXT_OFFSET + textLength != length)
        {
            return false;
        }
        this.buffer = buffer;
        this.offset = offset;
        return true;
    }

    public int code()
    {
        return buffer.getShort(offset + CODE_OFFSET, BE) & 0xFFFF;
    }

    /** Allocates: closing is rare. */
    public String text()
    {
        final byte[] bytes = new byte[buffer.getShort(offset + TEXT_LENGTH_OFFSET, BE) & 0xFFFF];
        buffer.getBytes(offset + TEXT_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static int write(final MutableDirectBuffer buffer, final int offset, final int code, final String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TEXT_BYTES)
        {
            bytes = java.util.Arrays.copyOf(bytes, MAX_TEXT_BYTES);
        }
        buffer.putShort(offset + CODE_OFFSET, (short)code, BE);
        buffer.putShort(offset + TEXT_LENGTH_OFFSET, (short)bytes.length, BE);
        buffer.putBytes(offset + TEXT_OFFSET, bytes);
        return TEXT_OFFSET + bytes.length;
    }
}
