package io.conntest.stack.wire;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Walks the extension headers of a received IPv6 packet (RFC 8200 §4) to the upper-layer header, with the
 * verdicts a host owes: the Hop-by-Hop Options header only first (§4.3; elsewhere a Parameter Problem, code 1);
 * options of Hop-by-Hop and Destination Options headers acted on by the two high bits of their type (§4.2: skip,
 * discard, discard with a Parameter Problem code 2, the same unless the destination was multicast); a Routing header of
 * a type this host does not process with Segments Left 0 ignored, else a Parameter Problem code 0 at its type field
 * (§4.4; type 0 is deprecated, RFC 5095); a Fragment header (§4.5), an atomic fragment (offset 0, no more fragments)
 * taken as a whole packet (RFC 6946), any other handed to reassembly; an unknown next header a Parameter Problem code 1
 * at the field that named it. Every length is checked before it is followed and the chain is at most
 * {@link #MAX_HEADERS} headers long (a longer one is discarded): a hostile chain cannot walk past the packet.
 * No allocation; one instance per interface.
 */
public final class Ipv6ExtensionWalker
{
    /** The upper-layer header is at {@link #upperOffset()}, protocol {@link #upperProtocol()}. */
    public static final int UPPER = 0;
    /** A fragment of a larger packet: reassemble from {@link #fragmentableOffset()} (fragment fields set). */
    public static final int FRAGMENT = 1;
    /** Discard silently (an option said so, a truncated or overlong chain, No Next Header). */
    public static final int DISCARD = 2;
    /** Discard and answer ICMPv6 Parameter Problem {@link #problemCode()} at {@link #problemPointer()}. */
    public static final int PARAMETER_PROBLEM = 3;

    /** Extension headers walked at most. */
    public static final int MAX_HEADERS = 8;
    public static final int CODE_ERRONEOUS_FIELD = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private int upperProtocol;
    private int upperOffset;
    private int problemCode;
    private int problemPointer;
    private int fragmentableOffset;
    private int fragmentOffset;
    private boolean moreFragments;
    private int fragmentId;
    private int fragmentNextHeader;

    /**
     * Walks the packet of {@code length} bytes at {@code offset} (its fixed header first, as
     * {@link Ipv6Packet#wrapChecked} accepted it).
     *
     * @param known          the upper-layer protocols this host handles, by number
     * @param dstIsMulticast whether the packet was sent to a multicast address (option action 11 stays silent)
     * @return {@link #UPPER}, {@link #FRAGMENT}, {@link #DISCARD} or {@link #PARAMETER_PROBLEM}
     */
    public int walk(final DirectBuffer buffer, final int offset, final int length, final boolean[] known,
        final boolean dstIsMulticast)
    {
        int next = buffer.getByte(offset + Ipv6Packet.NEXT_HEADER_OFFSET) & 0xFF;
        int nextFieldAt = Ipv6Packet.NEXT_HEADER_OFFSET;
        int at = Ipv6Packet.HEADER_LENGTH;
        for (int headers = 0; ; headers++)
        {
            if (next == Ipv6Packet.NEXT_HEADER_NONE)
            {
                return DISCARD; // §4.7: nothing follows
            }
            if (!isExtension(next))
            {
                if (next < known.length && known[next])
                {
                    upperProtocol = next;
                    upperOffset = offset + at;
                    return UPPER;
                }
                return problem(CODE_UNRECOGNIZED_NEXT_HEADER, nextFieldAt);
            }
            if (headers == MAX_HEADERS || length - at < 8)
            {
                return DISCARD;
            }
            if (next == Ipv6Packet.NEXT_HEADER_HOP_BY_HOP && at != Ipv6Packet.HEADER_LENGTH)
            {
                return problem(CODE_UNRECOGNIZED_NEXT_HEADER, nextFieldAt); // §4.3: only right after the header
            }
            final int headerNext = buffer.getByte(offset + at) & 0xFF;
            if (next == Ipv6Packet.NEXT_HEADER_FRAGMENT)
            {
                final int field = buffer.getShort(offset + at + 2, BE) & 0xFFFF;
                final int fragOffset = field & 0xFFF8;
                final boolean more = (field & 1) != 0;
                if (fragOffset == 0 && !more)
                {
                    // RFC 6946 / RFC 8021: an atomic fragment is a whole packet; go on to what follows it
                    nextFieldAt = at;
                    next = headerNext;
                    at += 8;
                    continue;
                }
                fragmentOffset = fragOffset;
                moreFragments = more;
                fragmentId = buffer.getInt(offset + at + 4, BE);
                fragmentNextHeader = headerNext;
                fragmentableOffset = offset + at + 8;
                return FRAGMENT;
            }
            final int headerLength = ((buffer.getByte(offset + at + 1) & 0xFF) + 1) * 8;
            if (length - at < headerLength)
            {
                return DISCARD;
            }
            if (next == Ipv6Packet.NEXT_HEADER_ROUTING)
            {
                final int segmentsLeft = buffer.getByte(offset + at + 3) & 0xFF;
                if (segmentsLeft != 0)
                {
                    // a host processes no routing type (type 0 is deprecated, RFC 5095): §4.4
                    return problem(CODE_ERRONEOUS_FIELD, at + 2);
                }
            }
            else
            {
                final int verdict = options(buffer, offset, at, headerLength, dstIsMulticast);
                if (verdict != UPPER)
                {
                    return verdict;
                }
            }
            nextFieldAt = at;
            next = headerNext;
            at += headerLength;
        }
    }

    /** The options of a Hop-by-Hop or Destination Options header (§4.2); UPPER means go on. */
    private int options(final DirectBuffer buffer, final int offset, final int at, final int headerLength,
        final boolean dstIsMulticast)
    {
        int o = at + 2;
        final int end = at + headerLength;
        while (o < end)
        {
            final int type = buffer.getByte(offset + o) & 0xFF;
            if (type == 0) // Pad1
            {
                o++;
                continue;
            }
            if (end - o < 2)
            {
                return DISCARD;
            }
            final int optionLength = buffer.getByte(offset + o + 1) & 0xFF;
            if (end - o - 2 < optionLength)
            {
                return DISCARD;
            }
            if (type != 1) // PadN is skipped; every other option is unknown to this host
            {
                switch (type >>> 6)
                {
                    case 0:
                        break;
                    case 1:
                        return DISCARD;
                    case 2:
                        return problem(CODE_UNRECOGNIZED_OPTION, o);
                    default:
                        return dstIsMulticast ? DISCARD : problem(CODE_UNRECOGNIZED_OPTION, o);
                }
            }
            o += 2 + optionLength;
        }
        return UPPER;
    }

    private static boolean isExtension(final int next)
    {
        return next == Ipv6Packet.NEXT_HEADER_HOP_BY_HOP || next == Ipv6Packet.NEXT_HEADER_ROUTING
            || next == Ipv6Packet.NEXT_HEADER_FRAGMENT || next == Ipv6Packet.NEXT_HEADER_DESTINATION_OPTIONS;
    }

    private int problem(final int code, final int pointer)
    {
        problemCode = code;
        problemPointer = pointer;
        return PARAMETER_PROBLEM;
    }

    public int upperProtocol()
    {
        return upperProtocol;
    }

    /** Absolute offset (in the walked buffer) of the upper-layer header. */
    public int upperOffset()
    {
        return upperOffset;
    }

    public int problemCode()
    {
        return problemCode;
    }

    /** The pointer of the Parameter Problem: the offending octet's offset from the start of the packet. */
    public int problemPointer()
    {
        return problemPointer;
    }

    /** Absolute offset of the fragmentable part (after the Fragment header). */
    public int fragmentableOffset()
    {
        return fragmentableOffset;
    }

    /** The fragment's offset in the original packet, bytes (a multiple of 8). */
    public int fragmentOffset()
    {
        return fragmentOffset;
    }

    public boolean moreFragments()
    {
        return moreFragments;
    }

    public int fragmentId()
    {
        return fragmentId;
    }

    /** The next header named by the Fragment header (of the original packet's fragmentable part). */
    public int fragmentNextHeader()
    {
        return fragmentNextHeader;
    }
}
