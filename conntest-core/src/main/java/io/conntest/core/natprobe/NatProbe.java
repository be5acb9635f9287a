package io.conntest.core.natprobe;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The NAT probe datagram (docs/protocol.md, "NAT probes"): a request a prober sends to a conntest UDP listener, and
 * the answer that tells it the source address and port the listener saw (its NAT mapping, RFC 4787 &sect;4.1) and
 * the listener's alternate port. Requests and answers have one fixed layout of {@link #LENGTH} bytes, big-endian; a
 * request carries zeros where the answer's fields go, so an answer is never larger than the request it answers (no
 * amplification). The magic differs from the conntest frame's ({@code "CNTS"}) and from the reliable-UDP header's
 * ({@code "RU"}), so a listener tells a probe apart before its reliable-UDP demultiplexer.
 *
 * <pre>
 *  0  magic     u32 = 0x434E4154 ("CNAT")
 *  4  version   u8  = 1
 *  5  kind      u8  requests: 1 mapping, 2 answer from the alternate port, 3 answer after a delay, 4 size (a
 *                   path MTU probe: padded to the size tried, sent with DF), 5 arrivals (which of my port probes
 *                   arrived: u8 protocol, u8 ports - 1, u16 first port at 16; a bitmap after the header);
 *                   answers: the request's kind | 0x80, or 0xFF busy (the table of delayed answers was full)
 *  6  flags     u16 answers: bit 0 = sent from the alternate port; requests 0
 *  8  token     u64 the prober's, echoed
 * 16  delay     u32 ms, kind 3 only (1 to {@link #MAX_DELAY_MS}), else 0; kind 4 answers: the length of the
 *                   request as it arrived (its UDP payload)
 * 20  seen addr u32 answers: the IPv4 source address the listener saw
 * 24  seen port u16 answers: the source port it saw
 * 26  alt port  u16 answers: the listener's alternate port (0: none)
 * 28  reserved  u32 = 0
 * </pre>
 * A request may be longer (padding, at most {@link #MAX_REQUEST_LENGTH}; a kind 4 request at most
 * {@link #MAX_SIZE_REQUEST_LENGTH}); the answer is always {@link #LENGTH}. A
 * kind 3 request is at least {@link #DELAYED_REQUEST_LENGTH} bytes: it is answered twice (a lost answer must not
 * pass for a lost binding), so its answers together are no larger than it.
 * The decoder allocates nothing: {@link #check} validates, the getters read the wrapped bytes.
 */
public final class NatProbe
{
    public static final int MAGIC = 0x434E4154;
    public static final int VERSION = 1;
    public static final int LENGTH = 32;
    /** The shortest kind 3 request: room for its two answers. */
    public static final int DELAYED_REQUEST_LENGTH = 2 * LENGTH;
    /** Longest request accepted: larger ones are junk (no reason to pad further). */
    public static final int MAX_REQUEST_LENGTH = 512;
    /**
     * Longest size probe (kind 4): the UDP payload of a 9,000-byte IPv4 packet, the jumbo frames' MTU. The answer
     * stays {@link #LENGTH} bytes, so a large probe amplifies nothing; a path MTU above 9,000 is reported as at least
     * that.
     */
    public static final int MAX_SIZE_REQUEST_LENGTH = 9_000 - 20 - 8;
    /** Longest delay a request may ask for: a binding lifetime is measured up to three minutes (RFC 4787 REQ-5: 2 min). */
    public static final int MAX_DELAY_MS = 180_000;

    public static final int KIND_MAPPING = 1;
    public static final int KIND_FROM_ALTERNATE = 2;
    public static final int KIND_DELAYED = 3;
    public static final int KIND_SIZE = 4;
    /**
     * Which of my probes arrived: a request naming a protocol and a range of ports, answered with a bitmap of those
     * for which segments or datagrams from the requester's address found no socket at the listener's host lately.
     */
    public static final int KIND_ARRIVALS = 5;
    /** Ports one arrivals request may ask about. */
    public static final int MAX_ARRIVAL_PORTS = 256;
    /** Arrivals answers: the listener cannot see arrivals for no socket (kernel sockets): the bitmap means nothing. */
    public static final int FLAG_CANNOT_TELL = 0x2;
    public static final int ANSWER_BIT = 0x80;
    public static final int KIND_BUSY = 0xFF;
    public static final int FLAG_FROM_ALTERNATE = 0x1;

    /** {@link #check} results. */
    public static final int REQUEST = 1;
    public static final int ANSWER = 2;
    public static final int MALFORMED = -1;

    static final int VERSION_OFFSET = 4;
    static final int KIND_OFFSET = 5;
    static final int FLAGS_OFFSET = 6;
    static final int TOKEN_OFFSET = 8;
    static final int DELAY_OFFSET = 16;
    static final int SEEN_ADDR_OFFSET = 20;
    static final int SEEN_PORT_OFFSET = 24;
    static final int ALT_PORT_OFFSET = 26;
    static final int RESERVED_OFFSET = 28;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private NatProbe()
    {
    }

    /** Whether the datagram is meant as a NAT probe (its magic); one read, nothing allocated. */
    public static boolean isProbe(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= 4 && buffer.getInt(offset, BE) == MAGIC;
    }

    /** {@link #REQUEST}, {@link #ANSWER} or {@link #MALFORMED} (bad length, version, kind, delay or reserved bits). */
    public static int check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH || length > MAX_SIZE_REQUEST_LENGTH || !isProbe(buffer, offset, length)
            || (buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION
            || buffer.getInt(offset + RESERVED_OFFSET, BE) != 0)
        {
            return MALFORMED;
        }
        final int kind = kind(buffer, offset);
        final long delay = delayMs(buffer, offset);
        if (length > MAX_REQUEST_LENGTH && kind != KIND_SIZE)
        {
            return MALFORMED;
        }
        if (kind == KIND_ARRIVALS || kind == (KIND_ARRIVALS | ANSWER_BIT))
        {
            return checkArrivals(buffer, offset, length, kind == KIND_ARRIVALS);
        }
        switch (kind)
        {
            case KIND_SIZE:
                return delay == 0 && flags(buffer, offset) == 0 && isBlankAnswer(buffer, offset) ? REQUEST : MALFORMED;
            case KIND_MAPPING:
            case KIND_FROM_ALTERNATE:
                return delay == 0 && flags(buffer, offset) == 0 && isBlankAnswer(buffer, offset) ? REQUEST : MALFORMED;
            case KIND_DELAYED:
                return length >= DELAYED_REQUEST_LENGTH && delay >= 1 && delay <= MAX_DELAY_MS && flags(buffer, offset) == 0 && isBlankAnswer(buffer, offset)
                    ? REQUEST : MALFORMED;
            case KIND_MAPPING | ANSWER_BIT:
            case KIND_FROM_ALTERNATE | ANSWER_BIT:
            case KIND_DELAYED | ANSWER_BIT:
            case KIND_SIZE | ANSWER_BIT:
            case KIND_BUSY:
                return length == LENGTH && delay <= MAX_DELAY_MS ? ANSWER : MALFORMED;
            default:
                return MALFORMED;
        }
    }

    /** An arrivals request or answer: a protocol of 6 or 17, 1 to 256 ports within 1..65535, room for the bitmap. */
    private static int checkArrivals(final DirectBuffer buffer, final int offset, final int length,
        final boolean request)
    {
        final int protocol = arrivalsProtocol(buffer, offset);
        final int first = arrivalsFirstPort(buffer, offset);
        final int count = arrivalsPortCount(buffer, offset);
        if ((protocol != 6 && protocol != 17) || first < 1 || first + count - 1 > 0xFFFF)
        {
            return MALFORMED;
        }
        final int answerLength = LENGTH + bitmapBytes(count);
        if (request)
        {
            // padded to the answer's size: no amplification
            return length >= answerLength && flags(buffer, offset) == 0 && isBlankAnswer(buffer, offset)
                ? REQUEST : MALFORMED;
        }
        return length == answerLength ? ANSWER : MALFORMED;
    }

    /** Bytes of an arrivals bitmap for {@code count} ports. */
    public static int bitmapBytes(final int count)
    {
        return (count + 7) >>> 3;
    }

    /**
     * Writes an arrivals request (kind 5) about {@code count} (1 to {@link #MAX_ARRIVAL_PORTS}) ports from
     * {@code firstPort} of {@code protocol} (6 TCP, 17 UDP), padded to its answer's size; returns the length.
     */
    public static int writeArrivalsRequest(final MutableDirectBuffer out, final int offset, final long token,
        final int protocol, final int firstPort, final int count)
    {
        if (count < 1 || count > MAX_ARRIVAL_PORTS || firstPort < 1 || firstPort + count - 1 > 0xFFFF)
        {
            throw new IllegalArgumentException("arrivals request for " + count + " ports from " + firstPort);
        }
        writeRequest(out, offset, KIND_ARRIVALS, token, 0);
        out.putInt(offset + DELAY_OFFSET, (protocol << 24) | ((count - 1) << 16) | firstPort, BE);
        final int length = LENGTH + bitmapBytes(count);
        out.setMemory(offset + LENGTH, length - LENGTH, (byte)0);
        return length;
    }

    /**
     * Writes the answer to the arrivals request at {@code request}: its token and range echoed, the requester's
     * address as seen, {@link #FLAG_CANNOT_TELL} or a zeroed bitmap the caller fills with {@link #setArrived};
     * returns its length.
     */
    public static int writeArrivalsAnswer(final DirectBuffer request, final int requestOffset,
        final MutableDirectBuffer out, final int offset, final int seenAddr, final int seenPort,
        final boolean cannotTell)
    {
        final int count = arrivalsPortCount(request, requestOffset);
        final int length = LENGTH + bitmapBytes(count);
        out.setMemory(offset, length, (byte)0);
        out.putInt(offset, MAGIC, BE);
        out.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        out.putByte(offset + KIND_OFFSET, (byte)(KIND_ARRIVALS | ANSWER_BIT));
        out.putShort(offset + FLAGS_OFFSET, (short)(cannotTell ? FLAG_CANNOT_TELL : 0), BE);
        out.putLong(offset + TOKEN_OFFSET, token(request, requestOffset), BE);
        out.putInt(offset + DELAY_OFFSET, request.getInt(requestOffset + DELAY_OFFSET, BE), BE);
        out.putInt(offset + SEEN_ADDR_OFFSET, seenAddr, BE);
        out.putShort(offset + SEEN_PORT_OFFSET, (short)seenPort, BE);
        return length;
    }

    /** Sets the bit of the {@code index}-th port of an arrivals answer's range. */
    public static void setArrived(final MutableDirectBuffer answer, final int offset, final int index)
    {
        final int at = offset + LENGTH + (index >>> 3);
        answer.putByte(at, (byte)(answer.getByte(at) | (0x80 >>> (index & 7))));
    }

    /** Whether an arrivals answer says the {@code index}-th port of its range saw arrivals that found no socket. */
    public static boolean arrived(final DirectBuffer answer, final int offset, final int index)
    {
        return (answer.getByte(offset + LENGTH + (index >>> 3)) & (0x80 >>> (index & 7))) != 0;
    }

    /** An arrivals request's or answer's protocol (6, 17). */
    public static int arrivalsProtocol(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + DELAY_OFFSET) & 0xFF;
    }

    public static int arrivalsFirstPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + DELAY_OFFSET + 2, BE) & 0xFFFF;
    }

    public static int arrivalsPortCount(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + DELAY_OFFSET + 1) & 0xFF) + 1;
    }

    private static boolean isBlankAnswer(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SEEN_ADDR_OFFSET, BE) == 0 && buffer.getInt(offset + SEEN_PORT_OFFSET, BE) == 0;
    }

    /**
     * Writes a request: {@link #LENGTH} bytes, {@link #DELAYED_REQUEST_LENGTH} for kind 3 (zero padding); returns the
     * length.
     */
    public static int writeRequest(final MutableDirectBuffer out, final int offset, final int kind, final long token,
        final int delayMs)
    {
        final int length = kind == KIND_DELAYED ? DELAYED_REQUEST_LENGTH : LENGTH;
        out.setMemory(offset, length, (byte)0);
        out.putInt(offset, MAGIC, BE);
        out.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        out.putByte(offset + KIND_OFFSET, (byte)kind);
        out.putLong(offset + TOKEN_OFFSET, token, BE);
        out.putInt(offset + DELAY_OFFSET, delayMs, BE);
        return length;
    }

    /**
     * Writes a size request (kind 4) of {@code length} bytes ({@link #LENGTH} to {@link #MAX_SIZE_REQUEST_LENGTH}),
     * zero padding after the header; returns the length.
     */
    public static int writeSizeRequest(final MutableDirectBuffer out, final int offset, final long token,
        final int length)
    {
        if (length < LENGTH || length > MAX_SIZE_REQUEST_LENGTH)
        {
            throw new IllegalArgumentException("size probe of " + length + " bytes is not in " + LENGTH + ".."
                + MAX_SIZE_REQUEST_LENGTH);
        }
        writeRequest(out, offset, KIND_SIZE, token, 0);
        out.setMemory(offset + LENGTH, length - LENGTH, (byte)0);
        return length;
    }

    /** Puts the received request's length in a size answer (kind 4), where other answers echo the delay. */
    static void setReceivedLength(final MutableDirectBuffer answer, final int offset, final int length)
    {
        answer.putInt(offset + DELAY_OFFSET, length, BE);
    }

    /** A size answer's length of the request as it arrived. */
    public static int receivedLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + DELAY_OFFSET, BE);
    }

    /**
     * Writes the answer to the request at {@code request}: its token, kind and delay echoed, what was seen and the
     * alternate port; returns {@link #LENGTH}.
     */
    public static int writeAnswer(final DirectBuffer request, final int requestOffset, final MutableDirectBuffer out,
        final int offset, final boolean busy, final int seenAddr, final int seenPort, final int alternatePort,
        final boolean fromAlternate)
    {
        final int kind = busy ? KIND_BUSY : kind(request, requestOffset) | ANSWER_BIT;
        final long token = token(request, requestOffset);
        final long delay = delayMs(request, requestOffset);
        out.setMemory(offset, LENGTH, (byte)0);
        out.putInt(offset, MAGIC, BE);
        out.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        out.putByte(offset + KIND_OFFSET, (byte)kind);
        out.putShort(offset + FLAGS_OFFSET, (short)(fromAlternate ? FLAG_FROM_ALTERNATE : 0), BE);
        out.putLong(offset + TOKEN_OFFSET, token, BE);
        out.putInt(offset + DELAY_OFFSET, (int)delay, BE);
        out.putInt(offset + SEEN_ADDR_OFFSET, seenAddr, BE);
        out.putShort(offset + SEEN_PORT_OFFSET, (short)seenPort, BE);
        out.putShort(offset + ALT_PORT_OFFSET, (short)alternatePort, BE);
        return LENGTH;
    }

    /** Marks a stored answer as sent from the alternate port (or not). */
    static void setFromAlternate(final MutableDirectBuffer answer, final int offset, final boolean fromAlternate)
    {
        answer.putShort(offset + FLAGS_OFFSET, (short)(fromAlternate ? FLAG_FROM_ALTERNATE : 0), BE);
    }

    public static int kind(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FLAGS_OFFSET, BE) & 0xFFFF;
    }

    public static long token(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TOKEN_OFFSET, BE);
    }

    public static long delayMs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + DELAY_OFFSET, BE) & 0xFFFF_FFFFL;
    }

    public static int seenAddr(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SEEN_ADDR_OFFSET, BE);
    }

    public static int seenPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + SEEN_PORT_OFFSET, BE) & 0xFFFF;
    }

    public static int alternatePort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ALT_PORT_OFFSET, BE) & 0xFFFF;
    }

    /** Whether the answer says it was sent from the alternate port. */
    public static boolean fromAlternate(final DirectBuffer buffer, final int offset)
    {
        return (flags(buffer, offset) & FLAG_FROM_ALTERNATE) != 0;
    }
}
