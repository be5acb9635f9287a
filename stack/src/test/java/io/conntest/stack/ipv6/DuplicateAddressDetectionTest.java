package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.NdpMessage;

/**
 * Duplicate Address Detection (RFC 4862 §5.4) on an in-memory link: the link-local address's probe (after the MLD
 * report for its group), success after RetransTimer, and another node's advertisement or probe for a tentative
 * address making it a duplicate that is never used (a SLAAC address then gets the next RFC 7217 identifier).
 */
class DuplicateAddressDetectionTest
{
    private static final long S = 1_000_000_000L;
    private static final int AUTONOMOUS_ON_LINK = NdpMessage.PREFIX_FLAG_AUTONOMOUS | NdpMessage.PREFIX_FLAG_ON_LINK;

    @Test
    void rfc4862_5_4_2_theLinkLocalAddressIsProbedOnceFromTheUnspecifiedAddressThenUsed()
    {
        final ScriptedLink link = new ScriptedLink(3);
        final long[] ll = Ipv6Address.parse(link.host.linkLocal());
        link.start();
        final List<byte[]> probes = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        assertEquals(1, probes.size());
        final byte[] probe = probes.get(0);
        assertEquals(0, ScriptedLink.src(probe)[0] | ScriptedLink.src(probe)[1]);
        assertEquals(Ipv6Address.solicitedNodeLo(ll[1]), ScriptedLink.dst(probe)[1]);
        assertEquals(ll[1], ScriptedLink.target(probe)[1]);
        assertEquals(14 + 40 + 24, probe.length, "no source link-layer option from ::");
        final int mldAt = link.sent.indexOf(link.sentOfType(Icmpv6Packet.TYPE_MLDV2_REPORT).get(0));
        assertTrue(mldAt < link.sent.indexOf(probe), "the group's MLD report goes before the probe (§5.4.2)");
        final List<Long> at = link.timesOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        assertTrue(at.get(0) - 5 * S < S, "the probe within MAX_RTR_SOLICITATION_DELAY of the start");
        assertEquals(1, link.count(Ipv6Counter.DAD_SUCCEEDED));
    }

    @Test
    void rfc4862_5_4_3_packetsToATentativeAddressAreDroppedAndSolicitationsForItUnanswered()
    {
        final ScriptedLink link = new ScriptedLink(3);
        link.iface.poll(link.now());
        final long[] ll = Ipv6Address.parse(link.host.linkLocal());
        assertFalse(link.host.linkLocalReady());
        final long group = Ipv6Address.solicitedNodeLo(ll[1]);
        link.inject(ScriptedLink.MAC, ScriptedLink.ROUTER, ll, 64, ScriptedLink.echoRequest(1));
        link.inject(Ipv6Address.multicastMac(group), ScriptedLink.ROUTER, new long[] {Ipv6Address.SOLICITED_NODE_HI,
            group}, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, ll,
            NdpMessage.OPTION_SOURCE_LINK_LAYER, ScriptedLink.PEER_MAC));
        assertEquals(1, link.count(Ipv6Counter.IPV6_TO_TENTATIVE));
        assertEquals(0, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT).size());
        assertEquals(0, link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY).size());
    }

    @Test
    void rfc4862_5_4_4_anAdvertisementForTheTentativeLinkLocalMakesItADuplicate()
    {
        final ScriptedLink link = new ScriptedLink(3);
        link.iface.poll(link.now());
        final long[] ll = Ipv6Address.parse(link.host.linkLocal());
        link.inject(Ipv6Address.multicastMac(1), ll, new long[] {Ipv6Address.ALL_NODES_HI, 1}, 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT, NdpMessage.FLAG_OVERRIDE, ll,
                NdpMessage.OPTION_TARGET_LINK_LAYER, ScriptedLink.PEER_MAC));
        link.runFor(10 * S);
        assertEquals(1, link.count(Ipv6Counter.DAD_DUPLICATES));
        assertFalse(link.host.linkLocalReady());
        assertTrue(link.host.addresses().contains(link.host.linkLocal() + " duplicate"));
        // a duplicate is not used: solicitations for it are not answered, router solicitations go from ::
        final long group = Ipv6Address.solicitedNodeLo(ll[1]);
        link.inject(Ipv6Address.multicastMac(group), ScriptedLink.ROUTER, new long[] {Ipv6Address.SOLICITED_NODE_HI,
            group}, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, ll,
            NdpMessage.OPTION_SOURCE_LINK_LAYER, ScriptedLink.PEER_MAC));
        assertEquals(0, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT).size());
        for (final byte[] rs : link.sentOfType(Icmpv6Packet.TYPE_ROUTER_SOLICITATION))
        {
            assertEquals(0, ScriptedLink.src(rs)[0] | ScriptedLink.src(rs)[1]);
            assertEquals(14 + 40 + 8, rs.length, "RFC 4861 §4.1: no source link-layer option from ::");
        }
    }

    @Test
    void rfc4862_5_4_3_anotherNodesProbeForTheTentativeSlaacAddressMakesItADuplicateAndANewOneIsFormed()
    {
        final ScriptedLink link = new ScriptedLink(3);
        link.start();
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 0);
        final String tentative = link.host.addresses().stream().filter(a -> a.endsWith(" tentative")).findFirst()
            .orElseThrow();
        final long[] a = Ipv6Address.parse(tentative.substring(0, tentative.indexOf(' ')));
        final long group = Ipv6Address.solicitedNodeLo(a[1]);
        link.inject(Ipv6Address.multicastMac(group), new long[] {0, 0}, new long[] {Ipv6Address.SOLICITED_NODE_HI,
            group}, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, a, 0, 0));
        assertEquals(1, link.count(Ipv6Counter.DAD_DUPLICATES));
        link.runUntil(() -> link.host.globalAddress() != null, 3 * S);
        final String address = link.host.globalAddress();
        assertNotNull(address, link.host.addresses().toString());
        assertNotEquals(Ipv6Address.format(a[0], a[1]), address, "RFC 7217 §6: the next DAD_Counter");
        assertTrue(link.host.addresses().contains(Ipv6Address.format(a[0], a[1]) + " duplicate"),
            link.host.addresses().toString());
        assertEquals(2, link.count(Ipv6Counter.SLAAC_ADDRESSES_FORMED) + link.count(Ipv6Counter.DAD_DUPLICATES));
    }

    @Test
    void rfc4861_7_2_4_aProbeForOurAssignedAddressIsAnsweredToAllNodes()
    {
        final ScriptedLink link = new ScriptedLink(3);
        link.start();
        final long[] ll = Ipv6Address.parse(link.host.linkLocal());
        final long group = Ipv6Address.solicitedNodeLo(ll[1]);
        link.inject(Ipv6Address.multicastMac(group), new long[] {0, 0}, new long[] {Ipv6Address.SOLICITED_NODE_HI,
            group}, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, ll, 0, 0));
        final List<byte[]> na = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT);
        assertEquals(1, na.size());
        assertEquals(1, ScriptedLink.dst(na.get(0))[1]);
        assertEquals(Ipv6Address.ALL_NODES_HI, ScriptedLink.dst(na.get(0))[0]);
        assertEquals(NdpMessage.FLAG_OVERRIDE, na.get(0)[58] & 0xFF, "not solicited");
    }
}
