package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.NdpMessage;

/**
 * MLDv2 (RFC 3810) reports for the solicited-node groups on an in-memory link: their exact form (to ff02::16, hop
 * limit 1, a Hop-by-Hop Router Alert, records without sources), the unsolicited State Change Reports repeated per the
 * Robustness Variable at a join and a leave, answers to General and group Queries, invalid and MLDv1 queries.
 */
class MldReporterTest
{
    private static final long S = 1_000_000_000L;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    /** A report's records as "type group" strings, after checking its headers and checksum. */
    private static List<String> records(final byte[] frame)
    {
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        assertEquals(Ipv6Address.multicastMac(0x16), ScriptedLink.dstMac(frame));
        assertEquals(1, frame[21] & 0xFF, "hop limit 1");
        assertEquals(0, frame[20] & 0xFF, "a Hop-by-Hop Options header");
        assertEquals(0x3A00_0502_0000_0100L, b.getLong(54, BE), "ICMPv6 next, Router Alert (MLD), PadN");
        assertEquals(0x16, ScriptedLink.dst(frame)[1]);
        assertEquals(Ipv6Address.ALL_NODES_HI, ScriptedLink.dst(frame)[0]);
        final int icmpLength = (b.getShort(18, BE) & 0xFFFF) - 8;
        final long[] src = ScriptedLink.src(frame);
        final long[] dst = ScriptedLink.dst(frame);
        assertTrue(Checksum.verifies(Checksum.add(Checksum.addIpv6PseudoHeader(0, src[0], src[1], dst[0], dst[1],
            icmpLength, 58), b, 62, icmpLength)), "the checksum covers the pseudo-header with ICMPv6 as next header");
        assertEquals(Icmpv6Packet.TYPE_MLDV2_REPORT, frame[62] & 0xFF);
        final int n = b.getShort(68, BE) & 0xFFFF;
        assertEquals(8 + 20 * n, icmpLength);
        final List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final int at = 70 + 20 * i;
            assertEquals(0, frame[at + 1], "no aux data");
            assertEquals(0, b.getShort(at + 2, BE), "no sources");
            records.add((frame[at] & 0xFF) + " " + Ipv6Address.format(b.getLong(at + 4, BE), b.getLong(at + 12, BE)));
        }
        return records;
    }

    @Test
    void rfc3810_6_1_joiningTheLinkLocalsGroupIsReportedTwiceFromTheUnspecifiedAddress()
    {
        final ScriptedLink link = new ScriptedLink(5);
        link.start();
        final List<byte[]> reports = link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT);
        assertEquals(MldReporter.ROBUSTNESS, reports.size(), "[Robustness Variable] reports");
        for (final byte[] report : reports)
        {
            assertEquals(List.of("4 ff02::1:ff00:2"), records(report), "CHANGE_TO_EXCLUDE_MODE, no sources");
            assertEquals(0, ScriptedLink.src(report)[0] | ScriptedLink.src(report)[1],
                "§5.2.13: from :: while the link-local is tentative");
        }
        final List<Long> at = link.timesOfType(Icmpv6Packet.TYPE_MLDV2_REPORT);
        assertTrue(at.get(1) - at.get(0) <= MldReporter.UNSOLICITED_REPORT_INTERVAL_NS,
            "repeated within the Unsolicited Report Interval");
        assertEquals(at.get(0), link.sentAtNs.get(0), "the first thing sent");
    }

    @Test
    void rfc3810_6_1_aSlaacAddressJoinsItsGroupAndLeavesItWhenItExpires()
    {
        final ScriptedLink link = new ScriptedLink(5);
        link.start();
        link.sent.clear();
        link.sentAtNs.clear();
        link.advertise(ScriptedLink.PREFIX, NdpMessage.PREFIX_FLAG_AUTONOMOUS | NdpMessage.PREFIX_FLAG_ON_LINK, 30,
            30, 1800, 0);
        link.runUntil(() -> link.host.globalAddress() != null, 3 * S);
        final long lo = Ipv6Address.parse(link.host.globalAddress())[1];
        final String group = Ipv6Address.format(Ipv6Address.SOLICITED_NODE_HI, Ipv6Address.solicitedNodeLo(lo));
        final List<byte[]> joins = link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT);
        assertEquals(2, joins.size());
        assertEquals(List.of("4 " + group), records(joins.get(0)));
        assertEquals(Ipv6Address.parse(link.host.linkLocal())[1], ScriptedLink.src(joins.get(0))[1],
            "from the link-local address once it is valid");
        link.sent.clear();
        link.runFor(31 * S);
        final List<byte[]> leaves = link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT);
        assertEquals(2, leaves.size(), link.host.addresses().toString());
        assertEquals(List.of("3 " + group), records(leaves.get(0)), "CHANGE_TO_INCLUDE_MODE: leave");
    }

    private static byte[] query(final long[] group, final int maxResponseCode, final int length)
    {
        final byte[] body = new byte[length];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putByte(0, (byte)MldReporter.TYPE_QUERY);
        b.putShort(4, (short)maxResponseCode, BE);
        b.putLong(8, group[0], BE);
        b.putLong(16, group[1], BE);
        return body;
    }

    @Test
    void rfc3810_6_2_aGeneralQueryIsAnsweredWithTheCurrentStateWithinItsMaximumResponseDelay()
    {
        final ScriptedLink link = new ScriptedLink(5);
        link.start();
        link.runFor(2 * S);
        link.sent.clear();
        link.sentAtNs.clear();
        final long queriedAt = link.now();
        link.inject(Ipv6Address.multicastMac(1), ScriptedLink.ROUTER, new long[] {Ipv6Address.ALL_NODES_HI, 1}, 1,
            query(new long[] {0, 0}, 1000, 28));
        link.runUntil(() -> !link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT).isEmpty(), 2 * S);
        final List<byte[]> answers = link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT);
        assertEquals(1, answers.size());
        assertEquals(List.of("2 ff02::1:ff00:2"), records(answers.get(0)), "MODE_IS_EXCLUDE");
        assertTrue(link.timesOfType(Icmpv6Packet.TYPE_MLDV2_REPORT).get(0) - queriedAt <= S);
        assertEquals(1, link.count(Ipv6Counter.MLD_QUERIES_RECEIVED));
    }

    @Test
    void rfc3810_6_2_aQueryNotFromALinkLocalAddressIsNotAnswered()
    {
        final ScriptedLink link = new ScriptedLink(5);
        link.start();
        link.runFor(2 * S);
        link.sent.clear();
        link.inject(Ipv6Address.multicastMac(1), Ipv6Address.parse("2001:db8::1"),
            new long[] {Ipv6Address.ALL_NODES_HI, 1}, 1, query(new long[] {0, 0}, 1000, 28));
        link.runFor(3 * S);
        assertTrue(link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT).isEmpty());
        assertEquals(1, link.count(Ipv6Counter.MLD_QUERIES_INVALID));
    }

    @Test
    void rfc3810_8_2_1_anMldv1QueryPutsTheHostInMldv1ModeForTheOlderVersionQuerierPresentTimeout()
    {
        final ScriptedLink link = new ScriptedLink(5);
        link.start();
        link.runFor(2 * S);
        link.sent.clear();
        link.inject(Ipv6Address.multicastMac(1), ScriptedLink.ROUTER, new long[] {Ipv6Address.ALL_NODES_HI, 1}, 1,
            query(new long[] {0, 0}, 1000, 24));
        link.runFor(2 * S);
        assertTrue(link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT).isEmpty(), "no MLDv2 to an MLDv1 querier");
        final List<byte[]> reports = link.sentOfType(MldReporter.TYPE_V1_REPORT);
        assertEquals(1, reports.size());
        final byte[] report = reports.get(0);
        final long group = Ipv6Address.solicitedNodeLo(Ipv6Address.parse(link.host.linkLocal())[1]);
        assertEquals(group, ScriptedLink.dst(report)[1], "RFC 2710 §3: to the group itself");
        assertEquals(Ipv6Address.multicastMac(group), ScriptedLink.dstMac(report));
        assertEquals(1, report[21] & 0xFF, "hop limit 1");
        assertEquals(0x3A00_0502_0000_0100L, new UnsafeBuffer(report).getLong(54, BE), "with the Router Alert");
        assertEquals(group, new UnsafeBuffer(report).getLong(62 + 16, BE), "the group in the message");
        final long[] src = ScriptedLink.src(report);
        final long[] dst = ScriptedLink.dst(report);
        assertTrue(Checksum.verifies(Checksum.add(Checksum.addIpv6PseudoHeader(0, src[0], src[1], dst[0], dst[1],
            24, 58), new UnsafeBuffer(report), 62, 24)));
        // a SLAAC address's group joins with MLDv1 reports while the querier is present
        link.sent.clear();
        link.advertise(ScriptedLink.PREFIX, NdpMessage.PREFIX_FLAG_AUTONOMOUS | NdpMessage.PREFIX_FLAG_ON_LINK, 86_400,
            14_400, 1800, 0);
        link.runUntil(() -> link.host.globalAddress() != null, 3 * S);
        assertEquals(MldReporter.ROBUSTNESS, link.sentOfType(MldReporter.TYPE_V1_REPORT).size());
        assertTrue(link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT).isEmpty());
        // the querier quiet for the timeout: back to MLDv2
        link.runFor(MldReporter.OLDER_VERSION_QUERIER_PRESENT_TIMEOUT_NS);
        link.sent.clear();
        link.inject(Ipv6Address.multicastMac(1), ScriptedLink.ROUTER, new long[] {Ipv6Address.ALL_NODES_HI, 1}, 1,
            query(new long[] {0, 0}, 1000, 28));
        link.runFor(2 * S);
        assertEquals(1, link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT).size());
        assertEquals(1, link.count(Ipv6Counter.MLD_V1_QUERIES_RECEIVED));
    }

    @Test
    void rfc3810_5_1_3_theMaximumResponseCodeIsExponentialAbove32768()
    {
        assertEquals(1000 * 1_000_000L, MldReporter.maxResponseDelayNs(1000));
        assertEquals(((0x0FFFL | 0x1000) << (7 + 3)) * 1_000_000L, MldReporter.maxResponseDelayNs(0xFFFF));
    }
}
