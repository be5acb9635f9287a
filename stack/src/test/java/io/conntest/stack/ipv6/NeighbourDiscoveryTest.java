package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.NdpMessage;

/**
 * The neighbour cache (RFC 4861 §7.2, §7.3) on an in-memory link: an echo request from a neighbour never heard from
 * is answered after the stack resolves it by its own solicitations (multicast, RetransTimer apart, at most
 * MAX_MULTICAST_SOLICIT), the reply held meanwhile in a bounded queue; the states INCOMPLETE, REACHABLE, STALE, DELAY,
 * PROBE in turn; the Override and Solicited flag rules; the answer to a solicitation for our address.
 */
class NeighbourDiscoveryTest
{
    private static final long S = 1_000_000_000L;
    private static final long[] PEER = Ipv6Address.parse("fe80::99");
    private static final long PEER_MAC = ScriptedLink.PEER_MAC;

    private static ScriptedLink started()
    {
        final ScriptedLink link = new ScriptedLink(11);
        link.start();
        link.runFor(13 * S); // the router solicitations are over
        link.sent.clear();
        link.sentAtNs.clear();
        return link;
    }

    private static long[] us(final ScriptedLink link)
    {
        return Ipv6Address.parse(link.host.linkLocal());
    }

    private static void advertisement(final ScriptedLink link, final int flags, final long mac)
    {
        link.inject(ScriptedLink.MAC, PEER, us(link), 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT, flags, PEER,
                NdpMessage.OPTION_TARGET_LINK_LAYER, mac));
    }

    @Test
    void rfc4861_7_2_2_anEchoFromAnUnknownNeighbourIsAnsweredAfterTheStackResolvesIt()
    {
        final ScriptedLink link = started();
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(1));
        assertEquals("INCOMPLETE", link.host.neighbourState("fe80::99"));
        final List<byte[]> ns = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        assertEquals(1, ns.size());
        final long group = Ipv6Address.solicitedNodeLo(PEER[1]);
        assertEquals(group, ScriptedLink.dst(ns.get(0))[1], "to the solicited-node group");
        assertEquals(Ipv6Address.multicastMac(group), ScriptedLink.dstMac(ns.get(0)));
        assertEquals(us(link)[1], ScriptedLink.src(ns.get(0))[1]);
        assertEquals(NdpMessage.OPTION_SOURCE_LINK_LAYER, ns.get(0)[78] & 0xFF);
        assertEquals(0, link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY).size(), "held");
        link.runFor(1500_000_000L);
        assertEquals(2, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION).size(), "retransmitted at 1 s");
        advertisement(link, NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, PEER_MAC);
        final List<byte[]> replies = link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY);
        assertEquals(1, replies.size(), "the held reply left");
        assertEquals(PEER_MAC, ScriptedLink.dstMac(replies.get(0)));
        assertEquals("REACHABLE", link.host.neighbourState("fe80::99"));
    }

    @Test
    void rfc4861_7_3_3_aSilentNeighbourGetsThreeSolicitationsThenItsPacketsAreDropped()
    {
        final ScriptedLink link = started();
        for (int i = 0; i < 4; i++)
        {
            link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(i));
        }
        assertEquals(1, link.count(Ipv6Counter.NDP_QUEUE_FULL), "three held per neighbour");
        link.runFor(5 * S);
        final List<Long> at = link.timesOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        assertEquals(3, at.size(), "MAX_MULTICAST_SOLICIT");
        assertEquals(S, at.get(1) - at.get(0), "RetransTimer");
        assertEquals(S, at.get(2) - at.get(1));
        assertNull(link.host.neighbourState("fe80::99"));
        assertEquals(1, link.count(Ipv6Counter.NDP_NEIGHBOUR_UNREACHABLE));
        assertEquals(3, link.count(Ipv6Counter.NDP_HELD_DROPPED));
    }

    @Test
    void rfc4861_7_3_2_reachableTurnsStaleThenDelayThenProbeThenGoes()
    {
        final ScriptedLink link = started();
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(1));
        advertisement(link, NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, PEER_MAC);
        assertEquals("REACHABLE", link.host.neighbourState("fe80::99"));
        link.runFor(46 * S); // ReachableTime is at most 1.5 x 30 s
        assertEquals("STALE", link.host.neighbourState("fe80::99"));
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(2));
        assertEquals("DELAY", link.host.neighbourState("fe80::99"), "used while STALE");
        link.sent.clear();
        link.sentAtNs.clear();
        link.runFor(5 * S);
        assertEquals("PROBE", link.host.neighbourState("fe80::99"), "after DELAY_FIRST_PROBE_TIME");
        final List<byte[]> probes = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        assertEquals(PEER[1], ScriptedLink.dst(probes.get(0))[1], "unicast");
        assertEquals(PEER_MAC, ScriptedLink.dstMac(probes.get(0)));
        link.runFor(4 * S);
        assertEquals(3, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION).size(), "MAX_UNICAST_SOLICIT");
        assertNull(link.host.neighbourState("fe80::99"));
    }

    @Test
    void rfc4861_7_2_5_aSolicitedAdvertisementConfirmsAProbe()
    {
        final ScriptedLink link = started();
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(1));
        advertisement(link, NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, PEER_MAC);
        link.runFor(46 * S);
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(2));
        link.runFor(5 * S);
        assertEquals("PROBE", link.host.neighbourState("fe80::99"));
        advertisement(link, NdpMessage.FLAG_SOLICITED, PEER_MAC);
        assertEquals("REACHABLE", link.host.neighbourState("fe80::99"));
    }

    @Test
    void rfc4861_7_2_5_theOverrideAndSolicitedFlagRules()
    {
        final ScriptedLink link = started();
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(1));
        advertisement(link, NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, PEER_MAC);
        final long other = 0x0200_0000_0099L;
        // no Override, another address: the cached one stays, the entry is no longer confirmed
        advertisement(link, NdpMessage.FLAG_SOLICITED, other);
        assertEquals("STALE", link.host.neighbourState("fe80::99"));
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(2));
        final List<byte[]> replies = link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY);
        assertEquals(PEER_MAC, ScriptedLink.dstMac(replies.get(replies.size() - 1)), "the old address kept");
        // Override, not solicited, another address: taken, STALE
        advertisement(link, NdpMessage.FLAG_OVERRIDE, other);
        assertEquals("STALE", link.host.neighbourState("fe80::99"));
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(3));
        final List<byte[]> after = link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY);
        assertEquals(other, ScriptedLink.dstMac(after.get(after.size() - 1)), "the new address used");
        // an unsolicited advertisement for a neighbour not in the cache creates nothing
        link.inject(ScriptedLink.MAC, Ipv6Address.parse("fe80::77"), us(link), 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT, NdpMessage.FLAG_OVERRIDE,
                Ipv6Address.parse("fe80::77"), NdpMessage.OPTION_TARGET_LINK_LAYER, other));
        assertNull(link.host.neighbourState("fe80::77"));
        assertEquals(1, link.count(Ipv6Counter.NDP_ADVERTISEMENT_UNSOLICITED_IGNORED));
    }

    @Test
    void rfc4861_7_2_3_aSolicitationForOurAddressIsAnsweredAndTeachesTheSolicitor()
    {
        final ScriptedLink link = started();
        final long[] us = us(link);
        final long group = Ipv6Address.solicitedNodeLo(us[1]);
        link.inject(Ipv6Address.multicastMac(group), PEER, new long[] {Ipv6Address.SOLICITED_NODE_HI, group}, 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, us, NdpMessage.OPTION_SOURCE_LINK_LAYER,
                PEER_MAC));
        final List<byte[]> na = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT);
        assertEquals(1, na.size());
        assertEquals(NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, na.get(0)[58] & 0xFF);
        assertEquals(PEER[1], ScriptedLink.dst(na.get(0))[1]);
        assertEquals(PEER_MAC, ScriptedLink.dstMac(na.get(0)));
        assertEquals(255, na.get(0)[21] & 0xFF);
        assertEquals(NdpMessage.OPTION_TARGET_LINK_LAYER, na.get(0)[78] & 0xFF);
        assertEquals("STALE", link.host.neighbourState("fe80::99"), "§7.2.3: learnt from the solicitation");
        link.runFor(NeighbourDiscovery.STALE_LIFETIME_NS);
        assertNull(link.host.neighbourState("fe80::99"), "an unused STALE entry expires");
        link.inject(Ipv6Address.multicastMac(group), PEER, new long[] {Ipv6Address.SOLICITED_NODE_HI, group}, 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, us, NdpMessage.OPTION_SOURCE_LINK_LAYER,
                PEER_MAC));
        link.inject(ScriptedLink.MAC, PEER, us, 64, ScriptedLink.echoRequest(1));
        assertEquals(1, link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY).size(), "answered without a solicitation");
        assertEquals(2, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT).size());
        assertEquals(0, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION).size());
        assertEquals("DELAY", link.host.neighbourState("fe80::99"));
    }

    @Test
    void anEchoReplyCarriesTheRequestsIdentifierSequenceAndData()
    {
        final ScriptedLink link = started();
        advertisement(link, 0, PEER_MAC); // not in the cache: ignored
        link.inject(ScriptedLink.MAC, PEER, us(link), 64, ScriptedLink.echoRequest(7));
        advertisement(link, NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, PEER_MAC);
        final byte[] reply = link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY).get(0);
        final byte[] request = ScriptedLink.echoRequest(7);
        for (int i = 4; i < request.length; i++)
        {
            assertEquals(request[i], reply[54 + i], "byte " + i);
        }
        assertEquals(us(link)[1], ScriptedLink.src(reply)[1]);
        assertTrue(new io.conntest.stack.wire.Icmpv6Packet().wrap(new org.agrona.concurrent.UnsafeBuffer(reply), 54,
            16).verifyChecksum(us(link)[0], us(link)[1], PEER[0], PEER[1]));
    }

    @Test
    void theLinkLocalAddressIsTheModifiedEui64OfTheMac()
    {
        final ScriptedLink link = new ScriptedLink(1);
        assertEquals("fe80::ff:fe00:2", link.host.linkLocal());
        assertEquals(0x0211_22FF_FE33_4455L, AddressAutoconfig.modifiedEui64(0x0011_2233_4455L), "U/L bit inverted");
        assertEquals("fe80::ff:fe00:2", link.iface.ipv6LinkLocal());
    }
}
