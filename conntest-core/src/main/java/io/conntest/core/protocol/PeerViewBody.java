package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * PEER_VIEW body: what the sender knows of the mesh, so every instance can show the whole N×N matrix, pairs it is
 * not part of included (docs/protocol.md, "PEER_VIEW"): its own view of each of its peers, and what its peers told it
 * of theirs, each entry naming its reporter and how old it is, so the news of a pair spreads through the mesh even to
 * an instance that cannot reach one of the pair. A view version byte, an entry count, then the entries back to back;
 * each entry is a fixed 24-byte part and four texts (the reporter's instance name, empty for the sender itself; the
 * peer's instance name; the address the reporter knows it by; why it is not connected). A view too big for one body
 * is sent as several frames, each complete in itself: entries are independent, and the receiver keeps each one until
 * a fresher one replaces it or it is too old.
 *
 * <pre>
 * body:   view version u8 (1), entry count u8 (1..), reserved u16
 * entry:  protocol u8 (0 tcp, 1 udp), state u8, reason u8, flags u8 (bit 0: the reporter dials this peer),
 *         latency p50 us u32, bandwidth up kbit/s u32, bandwidth down kbit/s u32 (all ones: unknown),
 *         port u16, name length u8, host length u8 (&le; 64), detail length u8 (&le; 96), reporter length u8,
 *         age ms u16 (how long ago the reporter saw this),
 *         reporter UTF-8, name UTF-8, host ASCII, detail ASCII
 * </pre>
 *
 * {@link #wrap} checks the whole body (every entry fits, the count adds up to the length exactly, every code is in
 * range) before the first entry is read, so a reader never walks past the body. The reader is a cursor over the
 * entries ({@link #next}); it does not allocate.
 */
public final class PeerViewBody
{
    /** The format this implementation writes; a body of another version is ignored (counted), not an error. */
    public static final int VIEW_VERSION = 1;
    public static final int HEADER_LENGTH = 4;
    public static final int ENTRY_FIXED_LENGTH = 24;
    public static final int MAX_HOST_BYTES = 64;
    public static final int MAX_DETAIL_BYTES = 96;
    public static final int MAX_ENTRIES = 255;
    /** The largest entry (names of 255 bytes, the longest host and detail): always fits an empty body. */
    public static final int MAX_ENTRY_LENGTH =
        ENTRY_FIXED_LENGTH + 2 * ProtocolLimits.MAX_NAME_BYTES + MAX_HOST_BYTES + MAX_DETAIL_BYTES;
    /** The oldest age an entry can carry (older news is not relayed). */
    public static final int MAX_AGE_MS = 0xFFFF;
    /** Unknown latency or bandwidth. */
    public static final long UNKNOWN = 0xFFFF_FFFFL;

    public static final int PROTOCOL_TCP = 0;
    public static final int PROTOCOL_UDP = 1;
    /** State codes (not Java ordinals: the wire must not change when an enum does). */
    public static final int STATE_CONNECTING = 1;
    public static final int STATE_CONNECTED = 2;
    public static final int STATE_RETRYING = 3;
    public static final int STATE_CLOSED = 4;
    public static final int STATE_COVERED = 5;
    /** Reason codes: 0 none, then refused, timeout, unreachable, reset, closed, protocol, in use, local. */
    public static final int REASON_NONE = 0;
    public static final int MAX_REASON = 8;
    public static final int FLAG_OUTGOING = 0x1;
    /** The reporter knows whether this pair's packets are translated (its peer told it, PEER_SEEN)... */
    public static final int FLAG_TRANSLATION_KNOWN = 0x2;
    /** ...and they are: the peer sees the reporter at another address or port than it sent from (a NAT). */
    public static final int FLAG_TRANSLATED = 0x4;

    private static final int PROTOCOL = 0;
    private static final int STATE = 1;
    private static final int REASON = 2;
    private static final int FLAGS = 3;
    private static final int LATENCY = 4;
    private static final int UP = 8;
    private static final int DOWN = 12;
    private static final int PORT = 16;
    private static final int NAME_LENGTH = 18;
    private static final int HOST_LENGTH = 19;
    private static final int DETAIL_LENGTH = 20;
    private static final int REPORTER_LENGTH = 21;
    private static final int AGE = 22;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int end;
    private int version;
    private int count;
    private int remaining;
    private int next;
    private int entry;

    /**
     * Wraps and validates the whole body; false when it is malformed (a length that does not add up, a code out of
     * range). A well-formed body of another {@link #version()} is accepted with no entries to read.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = null;
        this.remaining = 0;
        if (length < HEADER_LENGTH || length > ProtocolLimits.MAX_CONTROL_BODY)
        {
            return false;
        }
        version = buffer.getByte(offset) & 0xFF;
        count = buffer.getByte(offset + 1) & 0xFF;
        if (version != VIEW_VERSION)
        {
            this.buffer = buffer;
            return true;
        }
        int at = offset + HEADER_LENGTH;
        final int limit = offset + length;
        for (int i = 0; i < count; i++)
        {
            if (limit - at < ENTRY_FIXED_LENGTH)
            {
                return false;
            }
            final int protocol = buffer.getByte(at + PROTOCOL) & 0xFF;
            final int state = buffer.getByte(at + STATE) & 0xFF;
            final int reason = buffer.getByte(at + REASON) & 0xFF;
            final int hostLength = buffer.getByte(at + HOST_LENGTH) & 0xFF;
            final int detailLength = buffer.getByte(at + DETAIL_LENGTH) & 0xFF;
            if (protocol > PROTOCOL_UDP || state < STATE_CONNECTING || state > STATE_COVERED || reason > MAX_REASON ||
                hostLength > MAX_HOST_BYTES || detailLength > MAX_DETAIL_BYTES)
            {
                return false;
            }
            final int entryLength = ENTRY_FIXED_LENGTH + (buffer.getByte(at + NAME_LENGTH) & 0xFF) + hostLength +
                detailLength + (buffer.getByte(at + REPORTER_LENGTH) & 0xFF);
            if (limit - at < entryLength)
            {
                return false;
            }
            at += entryLength;
        }
        if (at != limit)
        {
            return false;
        }
        this.buffer = buffer;
        this.end = limit;
        this.remaining = count;
        this.next = offset + HEADER_LENGTH;
        return true;
    }

    /** The view format of the wrapped body; only {@link #VIEW_VERSION} bodies have entries to read. */
    public int version()
    {
        return version;
    }

    /** Entries the body declares (of a body of another version too). */
    public int count()
    {
        return count;
    }

    /** Moves to the next entry; false when there is none left. */
    public boolean next()
    {
        if (remaining == 0 || buffer == null)
        {
            return false;
        }
        entry = next;
        next += entryLength(entry);
        remaining--;
        return next <= end;
    }

    private int entryLength(final int at)
    {
        return ENTRY_FIXED_LENGTH + (buffer.getByte(at + NAME_LENGTH) & 0xFF) + (buffer.getByte(at + HOST_LENGTH) & 0xFF) +
            (buffer.getByte(at + DETAIL_LENGTH) & 0xFF) + (buffer.getByte(at + REPORTER_LENGTH) & 0xFF);
    }

    /** The reporter's name length; 0 when the reporter is the frame's sender. */
    public int reporterLength()
    {
        return buffer.getByte(entry + REPORTER_LENGTH) & 0xFF;
    }

    public int reporterOffset()
    {
        return entry + ENTRY_FIXED_LENGTH;
    }

    /** How long before the frame was sent its reporter saw what the entry says, in ms. */
    public int ageMs()
    {
        return buffer.getShort(entry + AGE, BE) & 0xFFFF;
    }

    public int protocol()
    {
        return buffer.getByte(entry + PROTOCOL) & 0xFF;
    }

    public int state()
    {
        return buffer.getByte(entry + STATE) & 0xFF;
    }

    public int reason()
    {
        return buffer.getByte(entry + REASON) & 0xFF;
    }

    public boolean outgoing()
    {
        return (buffer.getByte(entry + FLAGS) & FLAG_OUTGOING) != 0;
    }

    /** 1 the reporter's packets to this peer are translated, 0 not, -1 unknown. */
    public int translated()
    {
        final int flags = buffer.getByte(entry + FLAGS);
        return (flags & FLAG_TRANSLATION_KNOWN) == 0 ? -1 : (flags & FLAG_TRANSLATED) != 0 ? 1 : 0;
    }

    /** Latency p50 in microseconds, or {@link #UNKNOWN}. */
    public long latencyMicros()
    {
        return buffer.getInt(entry + LATENCY, BE) & 0xFFFF_FFFFL;
    }

    /** The sender's last bandwidth test towards this peer in kbit/s, or {@link #UNKNOWN}. */
    public long upKbps()
    {
        return buffer.getInt(entry + UP, BE) & 0xFFFF_FFFFL;
    }

    /** The peer's last bandwidth test towards the sender in kbit/s, or {@link #UNKNOWN}. */
    public long downKbps()
    {
        return buffer.getInt(entry + DOWN, BE) & 0xFFFF_FFFFL;
    }

    public int port()
    {
        return buffer.getShort(entry + PORT, BE) & 0xFFFF;
    }

    public int nameLength()
    {
        return buffer.getByte(entry + NAME_LENGTH) & 0xFF;
    }

    public int nameOffset()
    {
        return reporterOffset() + reporterLength();
    }

    public int hostLength()
    {
        return buffer.getByte(entry + HOST_LENGTH) & 0xFF;
    }

    public int hostOffset()
    {
        return nameOffset() + nameLength();
    }

    public int detailLength()
    {
        return buffer.getByte(entry + DETAIL_LENGTH) & 0xFF;
    }

    public int detailOffset()
    {
        return hostOffset() + hostLength();
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Writes the body's header for {@code count} entries (written after it by {@link #writeEntry}). */
    public static int writeHeader(final MutableDirectBuffer buffer, final int offset, final int count)
    {
        buffer.putByte(offset, (byte)VIEW_VERSION);
        buffer.putByte(offset + 1, (byte)count);
        buffer.putShort(offset + 2, (short)0, BE);
        return HEADER_LENGTH;
    }

    /** The length of an entry with these texts, once cut to their bounds. */
    public static int entryLength(final int reporterBytes, final int nameBytes, final CharSequence host,
        final CharSequence detail)
    {
        return ENTRY_FIXED_LENGTH + Math.min(reporterBytes, ProtocolLimits.MAX_NAME_BYTES) +
            Math.min(nameBytes, ProtocolLimits.MAX_NAME_BYTES) +
            (host == null ? 0 : Math.min(host.length(), MAX_HOST_BYTES)) +
            (detail == null ? 0 : Math.min(detail.length(), MAX_DETAIL_BYTES));
    }

    /**
     * Writes one entry of the sender's own view (no reporter, age 0); returns its length.
     * See {@link #writeEntry(MutableDirectBuffer, int, byte[], int, long, int, int, int, boolean, long, long, long,
     * int, byte[], CharSequence, CharSequence)}.
     */
    public static int writeEntry(final MutableDirectBuffer buffer, final int offset, final int protocol,
        final int state, final int reason, final boolean outgoing, final long latencyMicros, final long upKbps,
        final long downKbps, final int port, final byte[] name, final CharSequence host, final CharSequence detail)
    {
        return writeEntry(buffer, offset, null, 0, 0, protocol, state, reason, outgoing, latencyMicros, upKbps,
            downKbps, port, name, host, detail);
    }

    /**
     * Writes one entry; returns its length. Reporter and name are UTF-8 already (cut to 255 bytes); host and detail
     * are written as ASCII, cut to their bounds, any other character as {@code ?}. Numbers above 32 bits saturate
     * to unknown, an age above {@link #MAX_AGE_MS} to it.
     *
     * @param reporter       the instance whose view this is, null for the sender's own
     * @param reporterLength how many bytes of {@code reporter} (its table's buffers are longer than the name)
     */
    public static int writeEntry(final MutableDirectBuffer buffer, final int offset, final byte[] reporter,
        final int reporterLength, final long ageMs, final int protocol, final int state, final int reason,
        final boolean outgoing, final long latencyMicros, final long upKbps, final long downKbps, final int port,
        final byte[] name, final CharSequence host, final CharSequence detail)
    {
        return writeEntry(buffer, offset, reporter, reporterLength, ageMs, protocol, state, reason, outgoing,
            latencyMicros, upKbps, downKbps, port, name, name == null ? 0 : name.length, host, detail);
    }

    /** Sets the translation flags of the entry written at {@code offset}: 1 translated, 0 not, -1 unknown. */
    public static void putTranslated(final MutableDirectBuffer buffer, final int offset, final int translated)
    {
        final int flags = buffer.getByte(offset + FLAGS) & ~(FLAG_TRANSLATION_KNOWN | FLAG_TRANSLATED);
        buffer.putByte(offset + FLAGS, (byte)(flags | (translated < 0 ? 0 :
            FLAG_TRANSLATION_KNOWN | (translated == 1 ? FLAG_TRANSLATED : 0))));
    }

    /** As above, with the name's length given (a table's buffer is longer than the name it holds). */
    public static int writeEntry(final MutableDirectBuffer buffer, final int offset, final byte[] reporter,
        final int reporterLength, final long ageMs, final int protocol, final int state, final int reason,
        final boolean outgoing, final long latencyMicros, final long upKbps, final long downKbps, final int port,
        final byte[] name, final int nameBytes, final CharSequence host, final CharSequence detail)
    {
        final int reporterBytes = reporter == null ? 0 : Math.min(reporterLength, ProtocolLimits.MAX_NAME_BYTES);
        final int nameLength = name == null ? 0 : Math.min(nameBytes, ProtocolLimits.MAX_NAME_BYTES);
        buffer.putByte(offset + PROTOCOL, (byte)protocol);
        buffer.putByte(offset + STATE, (byte)state);
        buffer.putByte(offset + REASON, (byte)reason);
        buffer.putByte(offset + FLAGS, (byte)(outgoing ? FLAG_OUTGOING : 0));
        buffer.putInt(offset + LATENCY, (int)saturate(latencyMicros), BE);
        buffer.putInt(offset + UP, (int)saturate(upKbps), BE);
        buffer.putInt(offset + DOWN, (int)saturate(downKbps), BE);
        buffer.putShort(offset + PORT, (short)port, BE);
        buffer.putByte(offset + NAME_LENGTH, (byte)nameLength);
        buffer.putByte(offset + REPORTER_LENGTH, (byte)reporterBytes);
        buffer.putShort(offset + AGE, (short)Math.max(0, Math.min(ageMs, MAX_AGE_MS)), BE);
        int at = offset + ENTRY_FIXED_LENGTH;
        if (reporterBytes > 0)
        {
            buffer.putBytes(at, reporter, 0, reporterBytes);
            at += reporterBytes;
        }
        if (nameLength > 0)
        {
            buffer.putBytes(at, name, 0, nameLength);
            at += nameLength;
        }
        final int hostLength = putAscii(buffer, at, host, MAX_HOST_BYTES);
        buffer.putByte(offset + HOST_LENGTH, (byte)hostLength);
        at += hostLength;
        final int detailLength = putAscii(buffer, at, detail, MAX_DETAIL_BYTES);
        buffer.putByte(offset + DETAIL_LENGTH, (byte)detailLength);
        return ENTRY_FIXED_LENGTH + reporterBytes + nameLength + hostLength + detailLength;
    }

    /** All ones when unknown (negative) or too large for 32 bits. */
    private static long saturate(final long value)
    {
        return value < 0 || value > UNKNOWN ? UNKNOWN : value;
    }

    private static int putAscii(final MutableDirectBuffer buffer, final int offset, final CharSequence text,
        final int max)
    {
        if (text == null)
        {
            return 0;
        }
        final int length = Math.min(text.length(), max);
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            buffer.putByte(offset + i, (byte)(c >= 0x20 && c < 0x7F ? c : '?'));
        }
        return length;
    }
}
