package io.conntest.stack.ipv6;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;

/**
 * MLDv2 for the groups this host joins (RFC 3810): the solicited-node group of each of its addresses (RFC 4861
 * §7.2.1), so a switch that snoops MLD forwards the solicitations meant for it. A join or leave is announced by
 * State Change Reports ({@code CHANGE_TO_EXCLUDE_MODE} with no sources for a join, {@code CHANGE_TO_INCLUDE_MODE}
 * for a leave), sent at once and repeated [Robustness Variable] times in all at random intervals within the
 * Unsolicited Report Interval (§6.1); a General or group-specific Query is answered with a Current State Report
 * ({@code MODE_IS_EXCLUDE}) after a random delay within its Maximum Response Delay (§6.2). Reports go to
 * {@code ff02::16} with hop limit 1 and a Hop-by-Hop Router Alert option (§5.2.13; RFC 2711), from the link-local
 * address, or from {@code ::} while it is tentative. The all-nodes group is never reported (§6). Queries must come
 * from a link-local address (§6.2). An MLDv1 Query puts the host in MLDv1 compatibility mode (§8.2.1) for the Older
 * Version Querier Present Timeout (§9.12): meanwhile it answers and announces with MLDv1 Reports (RFC 2710 §3, type
 * 131, to the group) and Dones (type 132, to ff02::2), one group per message.
 */
final class MldReporter
{
    static final int ROBUSTNESS = 2;
    static final long UNSOLICITED_REPORT_INTERVAL_NS = 1_000_000_000L;
    static final int TYPE_QUERY = 130;
    static final int RECORD_MODE_IS_EXCLUDE = 2;
    static final int RECORD_CHANGE_TO_INCLUDE = 3;
    static final int RECORD_CHANGE_TO_EXCLUDE = 4;
    /** RFC 2710 §3: MLDv1 Report and Done. */
    static final int TYPE_V1_REPORT = 131;
    static final int TYPE_V1_DONE = 132;
    /** RFC 3810 §9.12: [Robustness Variable] × [Query Interval] (125 s) + [Query Response Interval] (10 s). */
    static final long OLDER_VERSION_QUERIER_PRESENT_TIMEOUT_NS = (ROBUSTNESS * 125L + 10L) * 1_000_000_000L;
    /** ff02::16, all MLDv2-capable routers (RFC 3810 §11). */
    static final long ALL_MLDV2_ROUTERS_LO = 0x16;
    private static final int HOP_BY_HOP_LENGTH = 8;
    /**
     * The Hop-by-Hop Options header every MLD message carries (RFC 8200 §4.3, RFC 2711): next header ICMPv6, length 0
     * (8 bytes), Router Alert (type 5, length 2, value 0 = MLD), then PadN of 2 (type 1, length 0).
     */
    private static final long ROUTER_ALERT = 0x3A00_0502_0000_0100L;
    private static final int RECORD_LENGTH = 20;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final Ipv6FrameWriter writer;
    private final Ipv6Counters counters;
    private final Ipv6AddressTable addresses;
    private final LinkParameters link;
    private final Icmpv6Packet icmp = new Icmpv6Packet();
    private final long[] group;
    private final int[] refs;
    /** State Change Reports still to send for the group, and of which record type. */
    private final int[] pending;
    private final int[] changeType;
    private long changeAtNs = Deadline.NEVER;
    private long answerAtNs = Deadline.NEVER;
    /** The group a pending answer is about, 0 for all (a General Query). */
    private long answerGroupLo;
    /** Until when an MLDv1 querier is known to be present (§8.2.1), NEVER when none is. */
    private long v1QuerierUntilNs = Deadline.NEVER;

    MldReporter(final Ipv6FrameWriter writer, final Ipv6Counters counters, final Ipv6AddressTable addresses,
        final LinkParameters link, final int capacity)
    {
        this.writer = writer;
        this.counters = counters;
        this.addresses = addresses;
        this.link = link;
        this.group = new long[capacity];
        this.refs = new int[capacity];
        this.pending = new int[capacity];
        this.changeType = new int[capacity];
    }

    /** An address that needs the group {@code ff02::1:ffXX:XXXX} ({@code groupLo}) was added. */
    void join(final long groupLo, final long nowNs)
    {
        int free = -1;
        for (int i = 0; i < group.length; i++)
        {
            if (refs[i] > 0 && group[i] == groupLo)
            {
                refs[i]++;
                return;
            }
            if (refs[i] == 0 && pending[i] == 0 && free < 0)
            {
                free = i;
            }
        }
        if (free < 0)
        {
            return; // as many groups as addresses: cannot happen while the table is as large as the address table
        }
        group[free] = groupLo;
        refs[free] = 1;
        change(free, RECORD_CHANGE_TO_EXCLUDE, nowNs);
    }

    /** An address that needed the group went away. */
    void leave(final long groupLo, final long nowNs)
    {
        for (int i = 0; i < group.length; i++)
        {
            if (refs[i] > 0 && group[i] == groupLo)
            {
                if (--refs[i] == 0)
                {
                    change(i, RECORD_CHANGE_TO_INCLUDE, nowNs);
                }
                return;
            }
        }
    }

    private void change(final int i, final int type, final long nowNs)
    {
        changeType[i] = type;
        pending[i] = ROBUSTNESS;
        changeAtNs = nowNs;
    }

    /** A Multicast Listener Query (type 130) of {@code length} bytes at {@code at}, already checksum-verified. */
    void onQuery(final DirectBuffer buffer, final int at, final int length, final long srcHi, final long nowNs)
    {
        if (length < 24 || !Ipv6Address.isLinkLocal(srcHi))
        {
            counters.increment(Ipv6Counter.MLD_QUERIES_INVALID);
            return;
        }
        final boolean v1 = length < 28;
        if (v1)
        {
            // §8.2.1: an MLDv1 querier is on the link: answer in MLDv1 until it has been quiet for the timeout
            counters.increment(Ipv6Counter.MLD_V1_QUERIES_RECEIVED);
            v1QuerierUntilNs = nowNs + OLDER_VERSION_QUERIER_PRESENT_TIMEOUT_NS;
        }
        else
        {
            counters.increment(Ipv6Counter.MLD_QUERIES_RECEIVED);
        }
        final long groupHi = buffer.getLong(at + 8, BE);
        final long groupLo = buffer.getLong(at + 16, BE);
        final boolean general = Ipv6Address.isUnspecified(groupHi, groupLo);
        if (!general && (groupHi != Ipv6Address.SOLICITED_NODE_HI || !joined(groupLo)))
        {
            return; // about a group we are not in
        }
        final int code = buffer.getShort(at + 4, BE) & 0xFFFF;
        final long due = nowNs + link.randomDelayNs(v1 ? code * 1_000_000L : maxResponseDelayNs(code));
        if (!Deadline.isSet(answerAtNs))
        {
            answerGroupLo = general ? 0 : groupLo;
        }
        else if (answerGroupLo != groupLo)
        {
            answerGroupLo = 0; // §6.2: a pending answer about everything, or about two groups: answer everything
        }
        answerAtNs = Deadline.earliest(answerAtNs, due);
    }

    /** RFC 3810 §5.1.3: the Maximum Response Code in ms, exponential above 32768. */
    static long maxResponseDelayNs(final int code)
    {
        final long ms = code < 32768 ? code : ((long)(code & 0xFFF) | 0x1000) << (((code >> 12) & 7) + 3);
        return ms * 1_000_000L;
    }

    boolean joined(final long groupLo)
    {
        for (int i = 0; i < group.length; i++)
        {
            if (refs[i] > 0 && group[i] == groupLo)
            {
                return true;
            }
        }
        return false;
    }

    long pollAtNs()
    {
        return Deadline.earliest(changeAtNs, answerAtNs);
    }

    /** Sends the reports that are due; returns whether it sent any. */
    boolean onTimers(final long nowNs)
    {
        boolean worked = false;
        if (Deadline.isDue(changeAtNs, nowNs))
        {
            worked = true;
            if (v1Mode(nowNs) ? sendV1Changes() : sendChanges())
            {
                boolean more = false;
                for (int i = 0; i < group.length; i++)
                {
                    more |= pending[i] > 0;
                }
                changeAtNs = more ? nowNs + 1 + link.randomDelayNs(UNSOLICITED_REPORT_INTERVAL_NS) : Deadline.NEVER;
            }
        }
        if (Deadline.isDue(answerAtNs, nowNs))
        {
            worked = true;
            if (v1Mode(nowNs) ? sendV1CurrentState() : sendCurrentState())
            {
                answerAtNs = Deadline.NEVER;
            }
        }
        return worked;
    }

    /** Whether an MLDv1 querier was heard within the Older Version Querier Present Timeout. */
    boolean v1Mode(final long nowNs)
    {
        return Deadline.isSet(v1QuerierUntilNs) && !Deadline.isDue(v1QuerierUntilNs, nowNs);
    }

    /** MLDv1 (RFC 2710 §4): a Report for each joined group, a Done for each left one, one message each. */
    private boolean sendV1Changes()
    {
        for (int i = 0; i < group.length; i++)
        {
            if (pending[i] > 0)
            {
                if (!sendV1(changeType[i] == RECORD_CHANGE_TO_INCLUDE ? TYPE_V1_DONE : TYPE_V1_REPORT, group[i]))
                {
                    return false;
                }
                pending[i]--;
            }
        }
        return true;
    }

    private boolean sendV1CurrentState()
    {
        for (int i = 0; i < group.length; i++)
        {
            if (refs[i] > 0 && (answerGroupLo == 0 || group[i] == answerGroupLo) && !sendV1(TYPE_V1_REPORT, group[i]))
            {
                return false;
            }
        }
        return true;
    }

    private boolean sendV1(final int type, final long groupLo)
    {
        final MutableDirectBuffer frame = writer.claim(HOP_BY_HOP_LENGTH + 24);
        if (frame == null)
        {
            return false;
        }
        final long dstLo = type == TYPE_V1_DONE ? 2 : groupLo; // a Done goes to all routers, ff02::2
        final long srcHi = sourceHi();
        final long srcLo = sourceLo();
        writer.headers(frame, Ipv6Address.multicastMac(dstLo), HOP_BY_HOP_LENGTH + 24,
            Ipv6Packet.NEXT_HEADER_HOP_BY_HOP, 1, srcHi, srcLo, Ipv6Address.ALL_NODES_HI, dstLo);
        final int hbh = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putLong(hbh, ROUTER_ALERT, BE);
        final int at = hbh + HOP_BY_HOP_LENGTH;
        frame.putInt(at + 4, 0, BE); // maximum response delay, reserved
        frame.putLong(at + 8, Ipv6Address.SOLICITED_NODE_HI, BE);
        frame.putLong(at + 16, groupLo, BE);
        icmp.wrap(frame, at, 24).finish(type, 0, srcHi, srcLo, Ipv6Address.ALL_NODES_HI, dstLo);
        writer.send(Ipv6FrameWriter.PAYLOAD_AT + HOP_BY_HOP_LENGTH + 24);
        counters.increment(Ipv6Counter.MLD_V1_REPORTS_SENT);
        return true;
    }

    private long sourceHi()
    {
        final int ll = Ipv6AddressTable.LINK_LOCAL;
        return addresses.state(ll) == Ipv6AddressTable.PREFERRED ? addresses.hi(ll) : 0;
    }

    private long sourceLo()
    {
        final int ll = Ipv6AddressTable.LINK_LOCAL;
        return addresses.state(ll) == Ipv6AddressTable.PREFERRED ? addresses.lo(ll) : 0;
    }

    private boolean sendChanges()
    {
        int records = 0;
        for (int i = 0; i < group.length; i++)
        {
            records += pending[i] > 0 ? 1 : 0;
        }
        if (records == 0)
        {
            return true;
        }
        final MutableDirectBuffer frame = claim(records);
        if (frame == null)
        {
            return false;
        }
        int at = Ipv6FrameWriter.PAYLOAD_AT + HOP_BY_HOP_LENGTH + 8;
        for (int i = 0; i < group.length; i++)
        {
            if (pending[i] > 0)
            {
                record(frame, at, changeType[i], group[i]);
                at += RECORD_LENGTH;
                pending[i]--;
            }
        }
        send(frame, records);
        return true;
    }

    private boolean sendCurrentState()
    {
        int records = 0;
        for (int i = 0; i < group.length; i++)
        {
            records += refs[i] > 0 && (answerGroupLo == 0 || group[i] == answerGroupLo) ? 1 : 0;
        }
        if (records == 0)
        {
            return true;
        }
        final MutableDirectBuffer frame = claim(records);
        if (frame == null)
        {
            return false;
        }
        int at = Ipv6FrameWriter.PAYLOAD_AT + HOP_BY_HOP_LENGTH + 8;
        for (int i = 0; i < group.length; i++)
        {
            if (refs[i] > 0 && (answerGroupLo == 0 || group[i] == answerGroupLo))
            {
                record(frame, at, RECORD_MODE_IS_EXCLUDE, group[i]);
                at += RECORD_LENGTH;
            }
        }
        send(frame, records);
        return true;
    }

    private MutableDirectBuffer claim(final int records)
    {
        return writer.claim(HOP_BY_HOP_LENGTH + 8 + records * RECORD_LENGTH);
    }

    private static void record(final MutableDirectBuffer frame, final int at, final int type, final long groupLo)
    {
        frame.putByte(at, (byte)type);
        frame.putByte(at + 1, (byte)0); // aux data length
        frame.putShort(at + 2, (short)0, BE); // no sources
        frame.putLong(at + 4, Ipv6Address.SOLICITED_NODE_HI, BE);
        frame.putLong(at + 12, groupLo, BE);
    }

    private void send(final MutableDirectBuffer frame, final int records)
    {
        final long srcHi = sourceHi();
        final long srcLo = sourceLo();
        final int icmpLength = 8 + records * RECORD_LENGTH;
        final int payload = HOP_BY_HOP_LENGTH + icmpLength;
        writer.headers(frame, Ipv6Address.multicastMac(ALL_MLDV2_ROUTERS_LO), payload,
            Ipv6Packet.NEXT_HEADER_HOP_BY_HOP, 1, srcHi, srcLo, Ipv6Address.ALL_NODES_HI, ALL_MLDV2_ROUTERS_LO);
        final int hbh = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putLong(hbh, ROUTER_ALERT, BE);
        final int at = hbh + HOP_BY_HOP_LENGTH;
        frame.putInt(at + 4, records & 0xFFFF, BE); // reserved, number of records
        icmp.wrap(frame, at, icmpLength).finish(Icmpv6Packet.TYPE_MLDV2_REPORT, 0, srcHi, srcLo,
            Ipv6Address.ALL_NODES_HI, ALL_MLDV2_ROUTERS_LO);
        writer.send(Ipv6FrameWriter.PAYLOAD_AT + payload);
        counters.increment(Ipv6Counter.MLD_REPORTS_SENT);
    }
}
