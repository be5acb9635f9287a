package io.conntest.core.protocol;

import org.agrona.DirectBuffer;

/** Decodes one frame per datagram (UDP, after the reliability layer): the datagram must hold exactly one frame. */
public final class DatagramFrameDecoder
{
    private final FrameHeader header = new FrameHeader();

    /** @return true when a frame was delivered, false when a protocol error was reported instead. */
    public boolean onDatagram(final DirectBuffer buffer, final int offset, final int length, final FrameHandler handler)
    {
        if (!header.wrap(buffer, offset, length))
        {
            handler.onProtocolError(ProtocolError.TRUNCATED, length);
            return false;
        }
        final ProtocolError error = header.validate();
        if (error != null)
        {
            handler.onProtocolError(error, error == ProtocolError.BAD_MAGIC ?
                header.magic() & 0xFFFF_FFFFL : header.bodyLength());
            return false;
        }
        final long bodyLength = header.bodyLength();
        if (bodyLength != length - FrameHeader.LENGTH)
        {
            handler.onProtocolError(
                bodyLength > length - FrameHeader.LENGTH ? ProtocolError.TRUNCATED : ProtocolError.BAD_BODY,
                bodyLength);
            return false;
        }
        if (header.type() == MessageType.DATA)
        {
            handler.onDataStart(header);
            if (bodyLength > 0)
            {
                handler.onDataPayload(buffer, offset + FrameHeader.LENGTH, (int)bodyLength);
            }
            handler.onDataEnd();
        }
        else
        {
            handler.onFrame(header, buffer, offset + FrameHeader.LENGTH, (int)bodyLength);
        }
        return true;
    }
}
