package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.NdpMessage;

/**
 * Configured addresses and router ({@code --ipv6 ADDR/PREFIX}, {@code --ipv6-gateway}) without autoconfiguration, on
 * an in-memory link: the address is probed (RFC 4862 §5.4) and then used, its prefix is on-link (resolved directly,
 * RFC 4861 §5.2), an off-link destination goes to the configured router, resolved like any neighbour; no Router
 * Solicitation is sent (no autoconfiguration); configuration after the first poll and addresses a node may not
 * configure are refused.
 */
class StaticAddressTest
{
    private static final long S = 1_000_000_000L;
    private static final long[] OURS = Ipv6Address.parse("fd00:c0::2");
    private static final long[] GATEWAY = Ipv6Address.parse("fd00:c0::1");
    private static final long[] ON_LINK = Ipv6Address.parse("fd00:c0::77");
    private static final long[] OFF_LINK = Ipv6Address.parse("2001:db8:99::7");

    @Test
    void rfc4861_5_2_theConfiguredPrefixIsOnLinkAndTheConfiguredRouterTheNextHopOffLink()
    {
        final ScriptedLink link = new ScriptedLink(5, false);
        link.host.addStaticAddress(OURS[0], OURS[1], 64);
        link.host.staticGateway(GATEWAY[0], GATEWAY[1]);
        link.runUntil(() -> link.host.isOwnAddress(OURS[0], OURS[1]), 3 * S);
        assertTrue(link.host.isOwnAddress(OURS[0], OURS[1]), link.host.addresses().toString());
        assertEquals(1, link.count(Ipv6Counter.DAD_PROBES_SENT), "the link-local is in use without DAD, ours probed");
        assertEquals(1, link.count(Ipv6Counter.DAD_SUCCEEDED));
        assertEquals("fd00:c0::1", link.host.defaultRouter());
        assertEquals(0, link.host.routerSolicitationsSent(), "no autoconfiguration: no router solicitation");
        final UnsafeBuffer data = new UnsafeBuffer(new byte[8]);
        // on-link: the destination itself is solicited, from our address
        link.sent.clear();
        assertTrue(link.host.sendEchoRequest(ON_LINK[0], ON_LINK[1], 1, 1, data, 0, 8, link.now()));
        link.runFor(S / 10);
        final List<byte[]> direct = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        assertEquals(1, direct.size());
        assertEquals(ON_LINK[1], ScriptedLink.target(direct.get(0))[1]);
        assertEquals(OURS[1], ScriptedLink.src(direct.get(0))[1]);
        // off-link: the configured router is solicited, and once it answers the echo leaves to its MAC
        link.sent.clear();
        assertTrue(link.host.sendEchoRequest(OFF_LINK[0], OFF_LINK[1], 1, 2, data, 0, 8, link.now()));
        link.runFor(S / 10);
        final List<byte[]> viaRouter = link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        assertEquals(1, viaRouter.size());
        assertEquals(GATEWAY[1], ScriptedLink.target(viaRouter.get(0))[1]);
        link.inject(ScriptedLink.MAC, GATEWAY, OURS, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT,
            NdpMessage.FLAG_ROUTER | NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, GATEWAY,
            NdpMessage.OPTION_TARGET_LINK_LAYER, ScriptedLink.PEER_MAC));
        link.runFor(S / 10);
        final List<byte[]> echoes = link.sentOfType(Icmpv6Packet.TYPE_ECHO_REQUEST);
        assertEquals(1, echoes.size());
        assertEquals(ScriptedLink.PEER_MAC, ScriptedLink.dstMac(echoes.get(0)), "to the router's MAC");
        assertEquals(OFF_LINK[1], ScriptedLink.dst(echoes.get(0))[1]);
        assertEquals(OURS[1], ScriptedLink.src(echoes.get(0))[1]);
        assertEquals(0, link.count(Ipv6Counter.IPV6_NO_ROUTE));
    }

    @Test
    void withoutAConfiguredRouterAnOffLinkDestinationHasNoRoute()
    {
        final ScriptedLink link = new ScriptedLink(5, false);
        link.host.addStaticAddress(OURS[0], OURS[1], 64);
        link.runUntil(() -> link.host.isOwnAddress(OURS[0], OURS[1]), 3 * S);
        assertFalse(link.host.sendEchoRequest(OFF_LINK[0], OFF_LINK[1], 1, 1, new UnsafeBuffer(new byte[8]), 0, 8,
            link.now()));
        assertEquals(1, link.count(Ipv6Counter.IPV6_NO_ROUTE));
    }

    @Test
    void configurationIsRefusedAfterTheFirstPollAndForAddressesANodeMayNotConfigure()
    {
        final ScriptedLink link = new ScriptedLink(5, false);
        for (final String bad : new String[] {"fe80::2", "ff02::1", "::", "::1"})
        {
            final long[] a = Ipv6Address.parse(bad);
            assertThrows(IllegalArgumentException.class, () -> link.host.addStaticAddress(a[0], a[1], 64), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> link.host.addStaticAddress(OURS[0], OURS[1], 0));
        assertThrows(IllegalArgumentException.class, () -> link.host.addStaticAddress(OURS[0], OURS[1], 129));
        assertThrows(IllegalArgumentException.class, () -> link.host.staticGateway(0xFF02_0000_0000_0000L, 2));
        for (int i = 0; i < Ipv6Host.MAX_ADDRESSES - 1; i++)
        {
            link.host.addStaticAddress(OURS[0], OURS[1] + i, 64);
        }
        assertThrows(IllegalStateException.class, () -> link.host.addStaticAddress(OURS[0], 0x99, 64), "table full");
        link.iface.poll(link.now());
        assertThrows(IllegalStateException.class, () -> link.host.addStaticAddress(OURS[0], 0x100, 64));
        assertEquals(Ipv6Host.MAX_ADDRESSES, link.host.addresses().size(), link.host.addresses().toString());
    }
}
