package io.conntest.core.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames a byte stream (TCP). Like Netty's length-field decoder it keeps an incomplete frame's bytes until the
 * rest arrives, but its buffer is bounded by {@link FrameHeader#LENGTH} + {@link ProtocolLimits#MAX_CONTROL_BODY}:
 * the header is validated (magic, version, type, declared length) before a single body byte is kept, and DATA
 * payloads are handed on piece by piece as they arrive instead of being collected.
 */
public final class StreamFrameDecoder
{
    private static final int STATE_HEADER = 0;
    private static final int STATE_BODY = 1;
    private static final int STATE_PAYLOAD = 2;
    private static final int STATE_FAILED = 3;

    private final UnsafeBuffer cumulation =
        new UnsafeBuffer(new byte[FrameHeader.LENGTH + ProtocolLimits.MAX_CONTROL_BODY]);
    private final FrameHeader header = new FrameHeader();
    private int state = STATE_HEADER;
    private int filled;
    private int bodyLength;
    private long payloadRemaining;

    /** Consumes every byte given (a partial frame is kept inside); callbacks run before this returns. */
    public void onBytes(final DirectBuffer buffer, final int offset, final int length, final FrameHandler handler)
    {
        int position = offset;
        final int end = offset + length;
        while (position < end && state != STATE_FAILED)
        {
            if (state == STATE_PAYLOAD)
            {
                final int take = (int)Math.min(payloadRemaining, end - position);
                payloadRemaining -= take;
                handler.onDataPayload(buffer, position, take);
                position += take;
                if (payloadRemaining == 0)
                {
                    state = STATE_HEADER;
                    filled = 0;
                    handler.onDataEnd();
                }
                continue;
            }
            final int need = (state == STATE_HEADER ? FrameHeader.LENGTH : FrameHeader.LENGTH + bodyLength) - filled;
            final int take = Math.min(need, end - position);
            final int before = filled;
            cumulation.putBytes(filled, buffer, position, take);
            filled += take;
            position += take;
            if (state == STATE_HEADER && before < 4 && filled >= 4 &&
                cumulation.getInt(0, java.nio.ByteOrder.BIG_ENDIAN) != FrameHeader.MAGIC)
            {
                // Another protocol: say so at once instead of waiting for a whole header that may never come.
                state = STATE_FAILED;
                handler.onProtocolError(ProtocolError.BAD_MAGIC, cumulation.getInt(0, java.nio.ByteOrder.BIG_ENDIAN) &
                    0xFFFF_FFFFL);
                return;
            }
            if (take < need)
            {
                break;
            }
            if (state == STATE_HEADER)
            {
                onHeaderComplete(handler);
            }
            else
            {
                completeControlFrame(handler);
            }
        }
    }

    /** True when no partial frame is held. */
    public boolean isAtFrameBoundary()
    {
        return state == STATE_HEADER && filled == 0;
    }

    public boolean isFailed()
    {
        return state == STATE_FAILED;
    }

    /** Forgets any partial frame and failure, for a new connection. */
    public void reset()
    {
        state = STATE_HEADER;
        filled = 0;
        payloadRemaining = 0;
    }

    private void onHeaderComplete(final FrameHandler handler)
    {
        header.wrap(cumulation, 0, FrameHeader.LENGTH);
        final ProtocolError error = header.validate();
        if (error != null)
        {
            state = STATE_FAILED;
            handler.onProtocolError(error, detailOf(error));
            return;
        }
        final long length = header.bodyLength();
        if (header.type() == MessageType.DATA)
        {
            handler.onDataStart(header);
            if (length == 0)
            {
                filled = 0;
                handler.onDataEnd();
            }
            else
            {
                payloadRemaining = length;
                state = STATE_PAYLOAD;
            }
            return;
        }
        bodyLength = (int)length;
        state = STATE_BODY;
        if (bodyLength == 0)
        {
            completeControlFrame(handler);
        }
    }

    private void completeControlFrame(final FrameHandler handler)
    {
        state = STATE_HEADER;
        filled = 0;
        handler.onFrame(header, cumulation, FrameHeader.LENGTH, bodyLength);
    }

    private long detailOf(final ProtocolError error)
    {
        switch (error)
        {
            case BAD_MAGIC:
                return header.magic() & 0xFFFF_FFFFL;
            case BAD_VERSION:
                return header.version();
            case UNKNOWN_TYPE:
                return header.type();
            default:
                return header.bodyLength();
        }
    }
}
