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

    /**
     * A configured address ({@code --ipv6 ADDR/PREFIX}) another node already has: its advertisement answers the probe,
     * the address is DUPLICATE and never used (no echo reply or advertisement for it, never a source), no new one is
     * formed (a configured address has no identifier to regenerate), and the node that owns it is a neighbour like
     * any other: its ping to our other configured address is answered, sent to it.
     */
    @Test
    void rfc4862_5_4_aConfiguredAddressAnotherNodeHasIsADuplicateNeverUsedAndItsOwnerStaysReachable()
    {
        final ScriptedLink link = new ScriptedLink(3, false);
        final long[] taken = Ipv6Address.parse("fd00:c0::2");
        final long[] ours = Ipv6Address.parse("fd00:c0::3");
        link.host.addStaticAddress(taken[0], taken[1], 64);
        link.host.addStaticAddress(ours[0], ours[1], 64);
        assertTrue(link.host.addressesChange());
        link.iface.poll(link.now());
        assertTrue(link.host.addresses().contains("fd00:c0::2 tentative"), link.host.addresses().toString());
        // the owner defends it: an advertisement to all nodes (RFC 4861 §7.2.4 answer to a probe from ::)
        link.inject(Ipv6Address.multicastMac(1), taken, new long[] {Ipv6Address.ALL_NODES_HI, 1}, 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT, NdpMessage.FLAG_OVERRIDE, taken,
                NdpMessage.OPTION_TARGET_LINK_LAYER, ScriptedLink.PEER_MAC));
        link.runUntil(() -> link.host.addresses().contains("fd00:c0::3 preferred"), 3 * S);
        assertEquals(List.of("fe80::ff:fe00:2 preferred", "fd00:c0::2 duplicate", "fd00:c0::3 preferred"),
            link.host.addresses());
        assertEquals(1, link.count(Ipv6Counter.DAD_DUPLICATES));
        assertEquals(1, link.count(Ipv6Counter.DAD_SUCCEEDED));
        assertFalse(link.host.isOwnAddress(taken[0], taken[1]));
        link.runFor(10 * S);
        assertEquals(2, link.host.addresses().size() + 1 - link.host.addresses().stream()
            .filter(a -> a.startsWith("fd00:c0::")).count(), "no replacement formed: " + link.host.addresses());
        // not ours: a solicitation for it and an echo request to it go unanswered
        final long group = Ipv6Address.solicitedNodeLo(taken[1]);
        link.inject(Ipv6Address.multicastMac(group), ScriptedLink.ROUTER, new long[] {Ipv6Address.SOLICITED_NODE_HI,
            group}, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, taken,
            NdpMessage.OPTION_SOURCE_LINK_LAYER, ScriptedLink.PEER_MAC));
        link.inject(ScriptedLink.MAC, ScriptedLink.ROUTER, taken, 64, ScriptedLink.echoRequest(1));
        assertEquals(0, link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY).size());
        assertTrue(link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT).stream()
            .noneMatch(na -> ScriptedLink.target(na)[1] == taken[1]), "never advertised");
        // its owner pings our other address from it: answered, to the owner
        link.inject(ScriptedLink.MAC, taken, ours, 64, ScriptedLink.echoRequest(2));
        assertEquals(1, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION).stream()
            .filter(ns -> ScriptedLink.target(ns)[1] == taken[1] && ScriptedLink.src(ns)[1] == ours[1]).count(),
            "the owner resolved from our other address");
        link.inject(ScriptedLink.MAC, taken, ours, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT,
            NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, taken, NdpMessage.OPTION_TARGET_LINK_LAYER,
            ScriptedLink.PEER_MAC));
        link.runFor(S);
        final List<byte[]> replies = link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY);
        assertEquals(1, replies.size(), link.host.counters().toString());
        assertEquals(taken[1], ScriptedLink.dst(replies.get(0))[1]);
        assertEquals(ours[1], ScriptedLink.src(replies.get(0))[1]);
        // and our own echo requests to the prefix never come from the duplicate
        link.host.sendEchoRequest(taken[0], 0x99, 1, 1, new org.agrona.concurrent.UnsafeBuffer(new byte[8]), 0, 8,
            link.now());
        link.runFor(S);
        for (final byte[] frame : link.sent)
        {
            assertFalse(ScriptedLink.src(frame)[0] == taken[0] && ScriptedLink.src(frame)[1] == taken[1],
                "a frame from the duplicate");
        }
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
