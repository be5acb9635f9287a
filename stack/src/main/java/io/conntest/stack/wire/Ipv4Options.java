package io.conntest.stack.wire;

import org.agrona.DirectBuffer;

/**
 * Validation of the options of an IPv4 header (RFC 791 §3.1): the stack does not act on any option, but a malformed
 * one must be answered with ICMP Parameter Problem (RFC 1122 §3.2.2.5, RFC 792) and the datagram dropped, not passed
 * up as if the header were sound. Options are End of Option List (0), No Operation (1), or type, length (at least 2,
 * within the header) and data; the route-recording and timestamp options also carry a pointer that must lie past
 * their own fixed part (RFC 791: at least 4 for Record Route and the source routes, at least 5 for Timestamp).
 */
public final class Ipv4Options
{
    /** What {@link #firstProblem} returns when the options are well formed. */
    public static final int VALID = -1;

    public static final int END = 0;
    public static final int NOP = 1;
    public static final int RECORD_ROUTE = 7;
    public static final int TIMESTAMP = 68;
    public static final int LOOSE_SOURCE_ROUTE = 131;
    public static final int STRICT_SOURCE_ROUTE = 137;

    private Ipv4Options()
    {
    }

    /**
     * Checks the options of the header at {@code headerOffset} whose header is {@code headerLength} bytes long.
     *
     * @return {@link #VALID}, or the offset of the faulty octet from the start of the header (the Parameter
     *         Problem's pointer).
     */
    public static int firstProblem(final DirectBuffer buffer, final int headerOffset, final int headerLength)
    {
        int i = Ipv4Packet.MIN_HEADER_LENGTH;
        while (i < headerLength)
        {
            final int type = buffer.getByte(headerOffset + i) & 0xFF;
            if (type == END)
            {
                return VALID;
            }
            if (type == NOP)
            {
                i++;
                continue;
            }
            if (i + 1 >= headerLength)
            {
                return i;
            }
            final int length = buffer.getByte(headerOffset + i + 1) & 0xFF;
            if (length < 2 || i + length > headerLength)
            {
                return i + 1;
            }
            final int minPointer = type == TIMESTAMP ? 5 :
                type == RECORD_ROUTE || type == LOOSE_SOURCE_ROUTE || type == STRICT_SOURCE_ROUTE ? 4 : 0;
            if (minPointer > 0)
            {
                if (length < 3)
                {
                    return i + 1;
                }
                if ((buffer.getByte(headerOffset + i + 2) & 0xFF) < minPointer)
                {
                    return i + 2;
                }
            }
            i += length;
        }
        return VALID;
    }
}
