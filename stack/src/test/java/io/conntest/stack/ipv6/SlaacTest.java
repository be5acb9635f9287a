package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.NdpMessage;

/**
 * Router discovery (RFC 4861 §6.3) and stateless autoconfiguration (RFC 4862) against a scripted router on an
 * in-memory link: the solicitations at start, an advertisement's prefix turned into a stable address (RFC 7217:
 * the same for the same seed, another for another prefix or seed) that passes DAD, the default router, the MTU
 * option, the lifetimes with the two-hour rule, and what is ignored.
 */
class SlaacTest
{
    private static final int AUTONOMOUS_ON_LINK = NdpMessage.PREFIX_FLAG_AUTONOMOUS | NdpMessage.PREFIX_FLAG_ON_LINK;
    private static final long S = 1_000_000_000L;

    /** Starts a link, advertises {@code prefix} and runs until its address passed DAD; returns the address. */
    private static String slaac(final ScriptedLink link, final long[] prefix)
    {
        link.start();
        link.advertise(prefix, AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 0);
        link.runUntil(() -> link.host.globalAddress() != null, 3 * S);
        assertNotNull(link.host.globalAddress(), () -> link.host.addresses() + " " + link.host.counters());
        return link.host.globalAddress();
    }

    @Test
    void rfc4861_6_3_7_routerSolicitationsAtStartThreeOfThemFourSecondsApart()
    {
        final ScriptedLink link = new ScriptedLink(7);
        link.runFor(20 * S);
        final List<byte[]> rs = link.sentOfType(Icmpv6Packet.TYPE_ROUTER_SOLICITATION);
        assertEquals(3, rs.size(), "MAX_RTR_SOLICITATIONS");
        final List<Long> at = link.timesOfType(Icmpv6Packet.TYPE_ROUTER_SOLICITATION);
        assertEquals(4 * S, at.get(1) - at.get(0), "RTR_SOLICITATION_INTERVAL");
        assertEquals(4 * S, at.get(2) - at.get(1));
        final byte[] first = rs.get(0);
        assertEquals(Ipv6Address.parse(link.host.linkLocal())[1], ScriptedLink.src(first)[1],
            "from the link-local address once DAD passed it");
        assertEquals(2, ScriptedLink.dst(first)[1], "to all routers");
        assertEquals(Ipv6Address.multicastMac(2), ScriptedLink.dstMac(first));
        assertEquals(255, first[21] & 0xFF);
        assertEquals(NdpMessage.OPTION_SOURCE_LINK_LAYER, first[62] & 0xFF, "with the source link-layer option");
    }

    @Test
    void rfc4861_6_3_7_anAdvertisementStopsTheSolicitations()
    {
        final ScriptedLink link = new ScriptedLink(7);
        link.runUntil(() -> link.host.routerSolicitationsSent() == 1, 5 * S);
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 0);
        link.runFor(20 * S);
        assertEquals(1, link.sentOfType(Icmpv6Packet.TYPE_ROUTER_SOLICITATION).size());
    }

    @Test
    void rfc4862_5_5_3_anAutonomousPrefixGivesAnAddressThatPassesDad()
    {
        final ScriptedLink link = new ScriptedLink(7);
        final String address = slaac(link, ScriptedLink.PREFIX);
        assertTrue(address.startsWith("2001:db8:1:0:"), address);
        final long[] a = Ipv6Address.parse(address);
        final List<byte[]> probes = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION).stream()
            .filter(f -> ScriptedLink.target(f)[1] == a[1]).toList();
        assertEquals(1, probes.size(), "DupAddrDetectTransmits 1");
        assertEquals(0, ScriptedLink.src(probes.get(0))[0] | ScriptedLink.src(probes.get(0))[1], "from ::");
        assertEquals(Ipv6Address.solicitedNodeLo(a[1]), ScriptedLink.dst(probes.get(0))[1],
            "to the address's solicited-node group");
        assertEquals(1, link.count(Ipv6Counter.SLAAC_ADDRESSES_FORMED));
        assertEquals(2, link.count(Ipv6Counter.DAD_SUCCEEDED), "link-local and global");
        assertEquals("fe80::1", link.host.defaultRouter());
        assertTrue(link.host.addresses().contains(address + " preferred"), link.host.addresses().toString());
    }

    @Test
    void rfc7217_theAddressIsStableForASeedAndDiffersForAnotherPrefixOrSeed()
    {
        final String first = slaac(new ScriptedLink(7), ScriptedLink.PREFIX);
        final String restarted = slaac(new ScriptedLink(7), ScriptedLink.PREFIX);
        final String otherPrefix = slaac(new ScriptedLink(7), Ipv6Address.parse("2001:db8:2::"));
        final String otherSeed = slaac(new ScriptedLink(8), ScriptedLink.PREFIX);
        assertEquals(first, restarted, "the same seed, MAC and prefix: the same address after a restart");
        final long id = Ipv6Address.parse(first)[1];
        assertNotEquals(id, Ipv6Address.parse(otherPrefix)[1], "another prefix: an unrelated identifier");
        assertNotEquals(id, Ipv6Address.parse(otherSeed)[1], "another secret: another identifier");
        assertNotEquals(AddressAutoconfig.modifiedEui64(ScriptedLink.MAC), id, "not the MAC-derived identifier");
    }

    @Test
    void rfc4861_6_3_4_theMtuOptionSetsTheLinkMtuWithinItsBounds()
    {
        final ScriptedLink link = new ScriptedLink(7);
        link.start();
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 1400);
        assertEquals(1400, link.host.linkMtu());
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 1000);
        assertEquals(1400, link.host.linkMtu(), "below 1280: ignored");
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 9000);
        assertEquals(1400, link.host.linkMtu(), "above the device's MTU: ignored");
        assertEquals(2, link.count(Ipv6Counter.NDP_MTU_OPTION_IGNORED));
    }

    @Test
    void rfc4861_6_3_4_aZeroRouterLifetimeRemovesTheDefaultRouter()
    {
        final ScriptedLink link = new ScriptedLink(7);
        slaac(link, ScriptedLink.PREFIX);
        assertEquals("fe80::1", link.host.defaultRouter());
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 0, 0);
        assertNull(link.host.defaultRouter());
    }

    @Test
    void rfc4862_5_5_4_theAddressIsDeprecatedThenRemovedWithItsLifetimes()
    {
        final ScriptedLink link = new ScriptedLink(7);
        link.start();
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 20, 10, 1800, 0);
        link.runUntil(() -> link.host.globalAddress() != null, 3 * S);
        final String address = link.host.globalAddress();
        assertNotNull(address);
        link.runFor(10 * S);
        assertTrue(link.host.addresses().contains(address + " deprecated"), link.host.addresses().toString());
        link.runFor(10 * S);
        assertEquals(1, link.host.addresses().size(), "only the link-local is left: " + link.host.addresses());
        assertEquals(1, link.count(Ipv6Counter.SLAAC_ADDRESSES_EXPIRED));
    }

    @Test
    void rfc4862_5_5_3_e_aShortValidLifetimeDoesNotCutALongOneBelowTwoHours()
    {
        final ScriptedLink link = new ScriptedLink(7);
        slaac(link, ScriptedLink.PREFIX);
        final String address = link.host.globalAddress();
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 30, 10, 1800, 0);
        link.runFor(60 * S);
        assertTrue(link.host.addresses().contains(address + " deprecated"),
            "the preferred lifetime is taken as sent: " + link.host.addresses());
        link.runFor(7000 * S);
        assertTrue(link.host.addresses().contains(address + " deprecated"), "still valid before 2 h");
        link.runFor(300 * S);
        assertEquals(1, link.host.addresses().size(), "gone after 2 h: " + link.host.addresses());
    }

    @Test
    void rfc4862_5_5_3_prefixesNotForAutoconfigurationAreIgnored()
    {
        final ScriptedLink link = new ScriptedLink(7);
        link.start();
        link.advertise(ScriptedLink.PREFIX, NdpMessage.PREFIX_FLAG_ON_LINK, 86_400, 14_400, 1800, 0);
        link.advertise(Ipv6Address.parse("fe80::"), AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 0);
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 100, 200, 1800, 0);
        link.runFor(3 * S);
        assertNull(link.host.globalAddress(), link.host.addresses().toString());
        assertEquals(2, link.count(Ipv6Counter.NDP_PREFIX_IGNORED), "link-local; preferred above valid");
    }

    @Test
    void rfc4861_8_3_redirectsAreIgnoredAndCounted()
    {
        final ScriptedLink link = new ScriptedLink(7);
        link.start();
        final byte[] redirect = new byte[40];
        redirect[0] = (byte)Icmpv6Packet.TYPE_REDIRECT;
        final long[] us = Ipv6Address.parse(link.host.linkLocal());
        link.inject(ScriptedLink.MAC, ScriptedLink.ROUTER, us, 255, redirect);
        assertEquals(1, link.count(Ipv6Counter.NDP_REDIRECTS_IGNORED));
    }

    @Test
    void rfc4861_5_2_anOffLinkDestinationGoesThroughTheDefaultRouter()
    {
        final ScriptedLink link = new ScriptedLink(7);
        final long[] us = Ipv6Address.parse(slaac(link, ScriptedLink.PREFIX));
        final long[] remote = Ipv6Address.parse("2001:db8:99::7");
        link.sent.clear();
        link.inject(ScriptedLink.MAC, remote, us, 60, ScriptedLink.echoRequest(1));
        final List<byte[]> replies = link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY);
        assertEquals(1, replies.size(), "the router's address came with its advertisement: no solicitation");
        assertEquals(ScriptedLink.PEER_MAC, ScriptedLink.dstMac(replies.get(0)), "to the router's MAC");
        assertEquals(remote[1], ScriptedLink.dst(replies.get(0))[1]);
        assertEquals(us[1], ScriptedLink.src(replies.get(0))[1]);
        assertEquals("DELAY", link.host.neighbourState("fe80::1"), "the router's entry was STALE and got used");
        // an on-link neighbour in the advertised prefix is resolved directly
        final long[] onLink = Ipv6Address.parse("2001:db8:1::42");
        link.inject(ScriptedLink.MAC, onLink, us, 64, ScriptedLink.echoRequest(2));
        assertEquals("INCOMPLETE", link.host.neighbourState("2001:db8:1::42"));
    }

    @Test
    void rfc4861_7_2_5_aRouterThatAdvertisesItselfAsAHostLeavesTheDefaultRouterList()
    {
        final ScriptedLink link = new ScriptedLink(7);
        final long[] us = Ipv6Address.parse(slaac(link, ScriptedLink.PREFIX));
        assertEquals("fe80::1", link.host.defaultRouter());
        link.inject(ScriptedLink.MAC, ScriptedLink.ROUTER, Ipv6Address.parse(link.host.linkLocal()), 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT, NdpMessage.FLAG_OVERRIDE, ScriptedLink.ROUTER,
                NdpMessage.OPTION_TARGET_LINK_LAYER, ScriptedLink.PEER_MAC));
        assertNull(link.host.defaultRouter());
        link.inject(ScriptedLink.MAC, Ipv6Address.parse("2001:db8:99::7"), us, 60, ScriptedLink.echoRequest(1));
        assertEquals(1, link.count(Ipv6Counter.IPV6_NO_ROUTE), "off-link without a router: no route");
    }

    @Test
    void rfc4861_6_3_6_aRouterKnownReachableIsPreferredToOneBeingResolved()
    {
        final ScriptedLink link = new ScriptedLink(7);
        link.start();
        // first a router heard without its link-layer address: its reachability is unknown
        final byte[] ra = new byte[16];
        ra[0] = (byte)Icmpv6Packet.TYPE_ROUTER_ADVERTISEMENT;
        ra[6] = 0x07;
        ra[7] = 0x08; // router lifetime 1800 s
        link.inject(Ipv6Address.multicastMac(1), Ipv6Address.parse("fe80::2"), new long[] {Ipv6Address.ALL_NODES_HI,
            1}, 255, ra);
        assertEquals("fe80::2", link.host.defaultRouter(), "the only one");
        // then one that names its link-layer address (a STALE entry: probably reachable)
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 1800, 0);
        assertEquals("fe80::1", link.host.defaultRouter(), "preferred to the one being resolved or unknown");
        link.advertise(ScriptedLink.PREFIX, AUTONOMOUS_ON_LINK, 86_400, 14_400, 0, 0); // fe80::1 stops routing
        assertEquals("fe80::2", link.host.defaultRouter());
    }
}
