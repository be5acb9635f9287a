package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.NdpMessage;

/**
 * What the IPv6 host drops on the way in, each counted: a bad ICMPv6 checksum (RFC 4443 §2.3), another node's
 * address, a multicast source, a Neighbor Discovery message that did not come from the link (hop limit below 255,
 * RFC 4861 §7.1.1), unknown informational messages (RFC 4443 §2.4 b); and that without autoconfiguration the node
 * stays quiet: its link-local address is in use at once and Router Advertisements are not acted on.
 */
class Ipv6IngressTest
{
    private static final long[] PEER = Ipv6Address.parse("fe80::99");

    @Test
    void whatItDoesNotTakeIsCountedAndDropped()
    {
        final ScriptedLink link = new ScriptedLink(4);
        link.start();
        link.sent.clear();
        final long[] us = Ipv6Address.parse(link.host.linkLocal());
        link.inject(ScriptedLink.MAC, PEER, us, 64, ScriptedLink.echoRequest(1));
        final boolean answered = !link.sent.isEmpty(); // our solicitation for the peer, the reply held behind it
        link.sent.clear();
        final byte[] echo = ScriptedLink.echoRequest(2);
        link.inject(ScriptedLink.MAC, PEER, PEER, 64, echo); // not our address
        link.inject(ScriptedLink.MAC, Ipv6Address.parse("ff02::5"), us, 64, echo); // a multicast source
        link.inject(ScriptedLink.MAC, PEER, us, 254, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, us,
            NdpMessage.OPTION_SOURCE_LINK_LAYER, ScriptedLink.PEER_MAC)); // hop limit 254: not from the link
        final byte[] unknown = new byte[8];
        unknown[0] = (byte)200;
        link.inject(ScriptedLink.MAC, PEER, us, 64, unknown);
        assertEquals(1, link.count(Ipv6Counter.IPV6_NOT_FOR_US));
        assertEquals(1, link.count(Ipv6Counter.IPV6_BAD_SOURCE));
        assertEquals(1, link.count(Ipv6Counter.NDP_INVALID));
        assertEquals(1, link.count(Ipv6Counter.ICMPV6_UNHANDLED_TYPE));
        assertTrue(link.sent.isEmpty(), "nothing answered");
        assertTrue(answered, "the sound echo request was taken (a solicitation for its source went out)");
    }

    @Test
    void rfc4443_2_3_aBadChecksumIsDropped()
    {
        final ScriptedLink link = new ScriptedLink(4);
        link.start();
        final long[] us = Ipv6Address.parse(link.host.linkLocal());
        final byte[] frame = new byte[14 + 40 + 16];
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        new EthernetFrame().wrap(b, 0, frame.length).destination(ScriptedLink.MAC).source(ScriptedLink.PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_IPV6);
        new Ipv6Packet().wrap(b, 14, 56).header(0, 0, 16, 58, 64, PEER[0], PEER[1], us[0], us[1]);
        b.putBytes(54, ScriptedLink.echoRequest(3));
        new Icmpv6Packet().wrap(b, 54, 16).finish(Icmpv6Packet.TYPE_ECHO_REQUEST, 0, PEER[0], PEER[1], us[0], us[1]);
        frame[frame.length - 1] ^= 1;
        link.injectRaw(frame);
        assertEquals(1, link.count(Ipv6Counter.ICMPV6_BAD_CHECKSUM));
        assertEquals(0, link.count(Ipv6Counter.ICMPV6_ECHO_REQUESTS_RECEIVED));
    }

    @Test
    void withoutAutoconfigurationTheLinkLocalIsUsedAtOnceAndNothingIsSentUnasked()
    {
        final ScriptedLink link = new ScriptedLink(4, false);
        link.runFor(20_000_000_000L);
        assertTrue(link.sent.isEmpty(), "no DAD, no router solicitation, no MLD report");
        assertTrue(link.host.linkLocalReady());
        link.advertise(ScriptedLink.PREFIX, NdpMessage.PREFIX_FLAG_AUTONOMOUS | NdpMessage.PREFIX_FLAG_ON_LINK,
            86_400, 14_400, 1800, 1400);
        link.runFor(5_000_000_000L);
        assertEquals(null, link.host.globalAddress());
        assertEquals(null, link.host.defaultRouter());
        assertEquals(1500, link.host.linkMtu());
        assertEquals(1, link.count(Ipv6Counter.NDP_ROUTER_ADVERTISEMENTS_IGNORED));
        final long[] us = Ipv6Address.parse(link.host.linkLocal());
        final long group = Ipv6Address.solicitedNodeLo(us[1]);
        link.inject(Ipv6Address.multicastMac(group), PEER, new long[] {Ipv6Address.SOLICITED_NODE_HI, group}, 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, us, NdpMessage.OPTION_SOURCE_LINK_LAYER,
                ScriptedLink.PEER_MAC));
        link.inject(ScriptedLink.MAC, PEER, us, 64, ScriptedLink.echoRequest(1));
        assertEquals(1, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT).size());
        assertEquals(1, link.sentOfType(Icmpv6Packet.TYPE_ECHO_REPLY).size());
    }
}
