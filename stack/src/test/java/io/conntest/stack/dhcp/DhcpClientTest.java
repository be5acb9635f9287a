package io.conntest.stack.dhcp;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.conntest.stack.dhcp.DhcpLink.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DHCP client (RFC 2131) against a scripted server over an in-memory cable, on a manual clock: the whole
 * exchange, renew, rebind, expiry, NAK, decline after an ARP conflict (RFC 5227), retransmission timing and
 * malformed replies.
 */
class DhcpClientTest
{
    private static final int OFFER = Ipv4Address.parse("10.0.0.50");

    private static DhcpLink bound(final DhcpLink link)
    {
        assertTrue(link.runUntil(() -> link.client.state() == DhcpState.BOUND, 60 * SECOND),
            "bound: " + link.events + " " + link.client.counters());
        return link;
    }

    @Test
    void fullExchangeBindsAddressPrefixGatewayDnsAndMtu()
    {
        final DhcpLink link = bound(new DhcpLink());
        assertEquals(List.of("offer 10.0.0.50 from 10.0.0.1",
            "bound 10.0.0.50/24 router 10.0.0.254 dns 10.0.0.53,10.0.0.54 mtu 1400 lease 100s from 10.0.0.1"),
            link.events);
        final DhcpLease lease = link.client.lease();
        assertEquals(OFFER, lease.address());
        assertEquals(24, lease.prefixLength());
        assertEquals(ScriptedDhcpServer.ROUTER, lease.gateway());
        assertArrayEquals(new int[] {ScriptedDhcpServer.DNS1, ScriptedDhcpServer.DNS2}, lease.dns());
        assertEquals(1400, lease.mtu());
        assertEquals(50, lease.t1Secs());
        assertEquals(87, lease.t2Secs());
        assertEquals(OFFER, link.stack.iface().ipv4().address());
        assertEquals(ScriptedDhcpServer.ROUTER, link.stack.iface().ipv4().gateway());
        assertEquals(1400, link.stack.iface().mtu(), "RFC 2132 §5.1: the lease's MTU (below the link's 1500)");

        // RFC 2131 §4.1 / RFC 1122 §3.3.6: DISCOVER and REQUEST broadcast from 0.0.0.0, broadcast bit set
        final ScriptedDhcpServer.Seen discover = link.server.seen(DhcpOption.DISCOVER).get(0);
        assertEquals(0, discover.srcIp());
        assertEquals(Ipv4Address.BROADCAST, discover.dstIp());
        assertEquals(MacAddress.BROADCAST, discover.dstMac());
        assertEquals(DhcpMessage.FLAG_BROADCAST, discover.flags());
        assertTrue(discover.clientId());
        final ScriptedDhcpServer.Seen request = link.server.seen(DhcpOption.REQUEST).get(0);
        assertEquals(discover.xid(), request.xid());
        assertEquals(OFFER, request.requested());
        assertEquals(ScriptedDhcpServer.SERVER, request.serverId());
        assertEquals(0, request.ciaddr());
        assertEquals(0, request.srcIp());

        // RFC 5227 §2.1.1: three probes from 0.0.0.0 for the address before using it, then the announcement
        final List<ScriptedDhcpServer.SeenArp> probes = link.server.arps.stream()
            .filter(a -> a.senderIp() == 0 && a.targetIp() == OFFER).toList();
        assertEquals(3, probes.size());
        for (int i = 1; i < probes.size(); i++)
        {
            final long gap = probes.get(i).atNs() - probes.get(i - 1).atNs();
            assertTrue(gap >= SECOND && gap <= 2 * SECOND + 100_000, "probe gap " + gap);
        }
        final long bindDelay = link.eventTimes.get(1) - probes.get(2).atNs();
        assertTrue(bindDelay >= 2 * SECOND && bindDelay < 2 * SECOND + 100_000, "announce wait " + bindDelay);
        link.runTo(link.clock.nowNs() + SECOND / 10);
        assertTrue(link.server.arps.stream().anyMatch(a -> a.senderIp() == OFFER && a.targetIp() == OFFER),
            "gratuitous ARP announcing the leased address");
        assertEquals(0, link.client.counters().totalDrops(), link.client.counters().toString());
    }

    @Test
    void leasedAddressCarriesTraffic()
    {
        final DhcpLink link = bound(new DhcpLink());
        new UdpEchoService(link.stack.udp(), 7);
        final byte[] hello = "hello".getBytes();
        link.server.sendUdp(OFFER, DhcpLink.CLIENT_MAC, 4000, 7, new UnsafeBuffer(hello), hello.length);
        link.runTo(link.clock.nowNs() + SECOND / 10);
        assertTrue(link.server.udpPayloads.stream().anyMatch(p -> new String(p).equals("hello")),
            "echo from the leased address");
    }

    @Test
    void theLeasesMtuFragmentsWhatTheLinkWouldHaveCarriedWhole()
    {
        final DhcpLink link = new DhcpLink();
        link.server.mtu = 576;
        bound(link);
        assertEquals(576, link.stack.iface().mtu());
        new UdpEchoService(link.stack.udp(), 7);
        final byte[] big = new byte[1000];
        link.server.sendUdp(OFFER, DhcpLink.CLIENT_MAC, 4000, 7, new UnsafeBuffer(big), big.length);
        link.runTo(link.clock.nowNs() + SECOND / 10);
        // 1028 bytes of UDP in 576-byte datagrams: two fragments (552 + 476 bytes of payload)
        assertEquals(2, link.stack.iface().counters().get(InterfaceCounter.FRAGMENTS_SENT));
        final DhcpLink large = new DhcpLink();
        large.server.mtu = 9000;
        bound(large);
        assertEquals(1500, large.stack.iface().mtu(), "never above the link's MTU");
    }

    @Test
    void beforeTheLeaseOnlyDhcpLeavesAndNoUnicastGoesOut()
    {
        final DhcpLink link = new DhcpLink();
        link.server.discover = ScriptedDhcpServer.Answer.IGNORE;
        link.runTo(link.clock.nowNs() + 10 * SECOND);
        assertFalse(link.stack.iface().ipv4().isAssigned());
        // no gratuitous ARP for 0.0.0.0, no ARP at all: only DISCOVERs
        assertTrue(link.server.arps.isEmpty(), link.server.arps.toString());
        assertTrue(link.server.seen.stream().allMatch(s -> s.type() == DhcpOption.DISCOVER && s.srcIp() == 0));
        // a unicast send has no route while unassigned
        final UdpSocket socket = link.stack.udp().open(new UdpSocketListener()
        {
        });
        socket.bind(0);
        socket.sendTo(ScriptedDhcpServer.SERVER, 9, new UnsafeBuffer(new byte[4]), 0, 4);
        link.runTo(link.clock.nowNs() + SECOND / 10);
        assertTrue(link.stack.iface().counters().get(InterfaceCounter.IPV4_NO_ROUTE) >= 1);
    }

    @Test
    void unassignedTheStackTakesUnicastOnlyToTheDhcpClientPort()
    {
        final DhcpLink link = new DhcpLink();
        link.server.unicastReplies = true;
        link.server.discover = ScriptedDhcpServer.Answer.IGNORE;
        new UdpEchoService(link.stack.udp(), 7);
        link.runTo(link.clock.nowNs() + SECOND / 10);
        final byte[] hello = "hello".getBytes();
        link.server.sendUdp(OFFER, DhcpLink.CLIENT_MAC, 4000, 7, new UnsafeBuffer(hello), hello.length);
        link.runTo(link.clock.nowNs() + SECOND / 10);
        assertEquals(1, link.stack.iface().counters().get(InterfaceCounter.IPV4_NOT_FOR_US));
        assertTrue(link.server.udpPayloads.isEmpty(), "no echo from an address the stack does not have");
        // OFFER and ACK unicast to the offered address (no broadcast from the server) are taken
        link.server.discover = ScriptedDhcpServer.Answer.REPLY;
        bound(link);
        assertEquals(OFFER, link.stack.iface().ipv4().address());
    }

    @Test
    void renewsAtT1ByUnicastToTheServer()
    {
        final DhcpLink link = bound(new DhcpLink());
        final long boundAt = link.eventTimes.get(1);
        final long requestAt = link.server.seen(DhcpOption.REQUEST).get(0).atNs();
        assertTrue(link.runUntil(() -> link.events.size() >= 4, 200 * SECOND), link.events.toString());
        assertEquals("renewing", link.events.get(2));
        assertTrue(link.events.get(3).startsWith("renewed 10.0.0.50/24"), link.events.get(3));
        // T1 = 50 s after the REQUEST that got the lease (RFC 2131 §4.4.1)
        assertEquals(requestAt + 50 * SECOND, link.eventTimes.get(2), 100_000);
        final ScriptedDhcpServer.Seen renew = link.server.last();
        assertEquals(DhcpOption.REQUEST, renew.type());
        assertEquals(OFFER, renew.ciaddr());
        assertEquals(OFFER, renew.srcIp());
        assertEquals(ScriptedDhcpServer.SERVER, renew.dstIp());
        assertEquals(0, renew.requested(), "no requested address option when renewing (RFC 2131 §4.3.2)");
        assertEquals(0, renew.serverId(), "no server id when renewing");
        assertEquals(DhcpState.BOUND, link.client.state());
        assertTrue(boundAt > requestAt);
    }

    @Test
    void rebindsAtT2ByBroadcastWhenTheServerIsSilent()
    {
        final DhcpLink link = bound(new DhcpLink());
        link.server.renew = ScriptedDhcpServer.Answer.IGNORE;
        final long requestAt = link.server.seen(DhcpOption.REQUEST).get(0).atNs();
        assertTrue(link.runUntil(() -> link.events.contains("rebinding"), 200 * SECOND), link.events.toString());
        assertEquals(requestAt + 87 * SECOND, link.eventTimes.get(link.events.indexOf("rebinding")), 100_000);
        // RENEWING retransmits before T2: half the time left, at least 60 s (more than the 37 s left here: none)
        final long renewRequests = link.server.seen(DhcpOption.REQUEST).stream()
            .filter(s -> s.dstIp() == ScriptedDhcpServer.SERVER).count();
        assertEquals(1, renewRequests);
        assertTrue(link.runUntil(() -> link.events.get(link.events.size() - 1).startsWith("renewed"), 20 * SECOND),
            link.events.toString());
        final ScriptedDhcpServer.Seen rebind = link.server.last();
        assertEquals(Ipv4Address.BROADCAST, rebind.dstIp());
        assertEquals(OFFER, rebind.ciaddr());
        assertEquals(DhcpState.BOUND, link.client.state());
        assertEquals(OFFER, link.stack.iface().ipv4().address());
    }

    @Test
    void leaseExpiresWhenNoServerAnswersAndTheClientStartsOver()
    {
        final DhcpLink link = bound(new DhcpLink());
        link.server.renew = ScriptedDhcpServer.Answer.IGNORE;
        link.server.rebind = ScriptedDhcpServer.Answer.IGNORE;
        link.server.discover = ScriptedDhcpServer.Answer.IGNORE;
        final long requestAt = link.server.seen(DhcpOption.REQUEST).get(0).atNs();
        assertTrue(link.runUntil(() -> link.events.contains("expired 10.0.0.50"), 200 * SECOND),
            link.events.toString());
        assertEquals(requestAt + 100 * SECOND, link.eventTimes.get(link.events.indexOf("expired 10.0.0.50")),
            100_000);
        assertFalse(link.stack.iface().ipv4().isAssigned(), "RFC 2131 §4.4.5: stop using the address at expiry");
        assertEquals(1500, link.stack.iface().mtu(), "the link's MTU again");
        assertEquals(DhcpState.SELECTING, link.client.state());
        assertNull(link.client.lease());
        assertEquals(DhcpOption.DISCOVER, link.server.last().type());
        assertEquals(0, link.server.last().srcIp());
        assertEquals(1, link.client.counters().get(DhcpCounter.LEASES_EXPIRED));
    }

    @Test
    void nakWhileRequestingStartsOver()
    {
        final DhcpLink link = new DhcpLink();
        link.server.select = ScriptedDhcpServer.Answer.NAK;
        assertTrue(link.runUntil(() -> link.client.counters().get(DhcpCounter.NAKS_RECEIVED) == 1, 30 * SECOND));
        assertEquals("nak from 10.0.0.1", link.events.get(1));
        link.server.select = ScriptedDhcpServer.Answer.REPLY;
        bound(link);
        assertEquals(2, link.server.seen(DhcpOption.DISCOVER).size(), "a new DISCOVER after the NAK");
        assertEquals(OFFER, link.stack.iface().ipv4().address());
    }

    @Test
    void nakWhileRenewingGivesTheAddressUp()
    {
        final DhcpLink link = bound(new DhcpLink());
        link.server.renew = ScriptedDhcpServer.Answer.NAK;
        link.server.discover = ScriptedDhcpServer.Answer.IGNORE;
        assertTrue(link.runUntil(() -> link.events.contains("nak from 10.0.0.1"), 100 * SECOND),
            link.events.toString());
        assertFalse(link.stack.iface().ipv4().isAssigned());
        link.runTo(link.clock.nowNs() + SECOND / 10);
        assertEquals(DhcpState.SELECTING, link.client.state());
    }

    @Test
    void declinesAnAddressAnArpProbeFindsInUseAndRestartsAfterTenSeconds()
    {
        final DhcpLink link = new DhcpLink();
        link.server.holder = OFFER;
        assertTrue(link.runUntil(() -> link.client.state() == DhcpState.DECLINED, 30 * SECOND), link.events.toString());
        assertEquals("declined 10.0.0.50 held by 02:00:00:00:00:ee", link.events.get(1));
        assertFalse(link.stack.iface().ipv4().isAssigned(), "a conflicting address is never used");
        final long declinedAt = link.eventTimes.get(1);
        link.runTo(link.clock.nowNs() + SECOND / 10);
        final ScriptedDhcpServer.Seen decline = link.server.seen(DhcpOption.DECLINE).get(0);
        assertEquals(OFFER, decline.requested());
        assertEquals(ScriptedDhcpServer.SERVER, decline.serverId());
        assertEquals(0, decline.ciaddr());
        assertEquals(Ipv4Address.BROADCAST, decline.dstIp());
        assertEquals(1, link.client.counters().get(DhcpCounter.CONFLICTS));
        // no address announced while probing (RFC 5227: probes only, sender 0.0.0.0)
        assertTrue(link.server.arps.stream().noneMatch(a -> a.senderIp() == OFFER));

        // RFC 2131 §3.1.5: at least ten seconds before DISCOVER again; then another address is bound
        link.server.offer = Ipv4Address.parse("10.0.0.51");
        assertTrue(link.runUntil(() -> link.client.state() == DhcpState.BOUND, 60 * SECOND), link.events.toString());
        final long rediscoverAt = link.server.seen(DhcpOption.DISCOVER).get(1).atNs();
        assertTrue(rediscoverAt - declinedAt >= 10 * SECOND, "waited " + (rediscoverAt - declinedAt));
        assertEquals(Ipv4Address.parse("10.0.0.51"), link.stack.iface().ipv4().address());
    }

    @Test
    void anotherHostProbingForTheSameAddressIsAConflict()
    {
        final DhcpLink link = new DhcpLink();
        assertTrue(link.runUntil(() -> link.client.state() == DhcpState.PROBING, 30 * SECOND));
        // RFC 5227 §2.1.1: a probe for the same address from another MAC while we probe
        link.client.onArp(ArpPacket.OPERATION_REQUEST, 0, ScriptedDhcpServer.HOLDER_MAC, OFFER);
        assertTrue(link.runUntil(() -> link.client.state() == DhcpState.DECLINED, SECOND));
    }

    @Test
    void retransmitsDiscoverWithRandomisedExponentialBackOffBoundedAt64Seconds()
    {
        final DhcpLink link = new DhcpLink();
        link.server.discover = ScriptedDhcpServer.Answer.IGNORE;
        link.runTo(link.clock.nowNs() + 400 * SECOND);
        final List<ScriptedDhcpServer.Seen> discovers = link.server.seen(DhcpOption.DISCOVER);
        assertTrue(discovers.size() >= 8, discovers.size() + " DISCOVERs");
        final long[] base = {4, 8, 16, 32, 64, 64, 64};
        for (int i = 0; i < base.length; i++)
        {
            final long gap = discovers.get(i + 1).atNs() - discovers.get(i).atNs();
            // RFC 2131 §4.1: 4 s doubling to 64 s, randomised by a uniform -1..+1 s
            assertTrue(gap >= (base[i] - 1) * SECOND && gap <= (base[i] + 1) * SECOND + 100_000,
                "gap " + i + " = " + gap);
            assertEquals(discovers.get(0).xid(), discovers.get(i + 1).xid());
        }
        // secs counts from the start of the exchange (RFC 2131 §2)
        assertTrue(discovers.get(3).secs() >= 25, "secs " + discovers.get(3).secs());
        assertEquals(discovers.size() - 1, link.client.counters().get(DhcpCounter.RETRANSMISSIONS));
    }

    @Test
    void unansweredRequestsFallBackToDiscover()
    {
        final DhcpLink link = new DhcpLink();
        link.server.select = ScriptedDhcpServer.Answer.IGNORE;
        assertTrue(link.runUntil(() -> link.server.seen(DhcpOption.DISCOVER).size() == 2, 200 * SECOND));
        assertEquals(4, link.server.seen(DhcpOption.REQUEST).size(), "four REQUESTs, then a new DISCOVER");
    }

    @Test
    void repliesForAnotherTransactionAreCountedAndIgnored()
    {
        final DhcpLink link = new DhcpLink();
        link.server.xidSkew = 1;
        link.runTo(link.clock.nowNs() + 10 * SECOND);
        assertEquals(DhcpState.SELECTING, link.client.state());
        assertTrue(link.client.counters().get(DhcpCounter.NOT_OUR_TRANSACTION) >= 2);
        link.server.xidSkew = 0;
        bound(link);
    }

    @Test
    void malformedRepliesAreCountedAndDroppedNeverThrown()
    {
        final DhcpLink link = new DhcpLink();
        link.server.discover = ScriptedDhcpServer.Answer.IGNORE;
        link.runTo(link.clock.nowNs() + SECOND / 10);
        final ScriptedDhcpServer.Seen discover = link.server.seen(DhcpOption.DISCOVER).get(0);
        final int xid = discover.xid();

        sendRaw(link, new byte[100]);
        assertEquals(1, link.client.counters().get(DhcpCounter.MALFORMED_SHORT));

        final UnsafeBuffer reply = new UnsafeBuffer(new byte[DhcpMessage.MIN_MAX_MESSAGE]);
        final DhcpMessage m = new DhcpMessage().wrap(reply, 0, reply.capacity());
        m.writeReplyHeader(xid, 0, OFFER, 0, DhcpLink.CLIENT_MAC);
        int at = m.putOptionByte(0, DhcpOption.MESSAGE_TYPE, DhcpOption.OFFER);
        at = m.putOptionInt(at, DhcpOption.SERVER_ID, ScriptedDhcpServer.SERVER);
        final int good = m.finish(at);

        reply.putInt(DhcpMessage.FIXED_LENGTH, 0x01020304); // bad cookie
        sendRaw(link, reply, good);
        assertEquals(1, link.client.counters().get(DhcpCounter.MALFORMED_COOKIE));
        reply.putInt(DhcpMessage.FIXED_LENGTH, DhcpMessage.MAGIC_COOKIE, java.nio.ByteOrder.BIG_ENDIAN);

        reply.putByte(0, (byte)DhcpMessage.OP_REQUEST); // not a reply
        sendRaw(link, reply, good);
        assertEquals(1, link.client.counters().get(DhcpCounter.MALFORMED_HEADER));
        reply.putByte(0, (byte)DhcpMessage.OP_REPLY);

        // an option running past the end: the server id claims 200 bytes
        reply.putByte(DhcpMessage.OPTIONS_OFFSET + 4, (byte)200);
        sendRaw(link, reply, DhcpMessage.OPTIONS_OFFSET + 20);
        assertEquals(1, link.client.counters().get(DhcpCounter.MALFORMED_OPTIONS));
        reply.putByte(DhcpMessage.OPTIONS_OFFSET + 4, (byte)4);

        // a 3-byte message type
        reply.putByte(DhcpMessage.OPTIONS_OFFSET + 1, (byte)3);
        sendRaw(link, reply, good);
        assertEquals(1, link.client.counters().get(DhcpCounter.MALFORMED_OPTION_VALUE));
        reply.putByte(DhcpMessage.OPTIONS_OFFSET + 1, (byte)1);

        // no end option
        final int noEnd = DhcpMessage.OPTIONS_OFFSET + 9;
        reply.putByte(noEnd, (byte)DhcpOption.PAD);
        sendRaw(link, reply, noEnd + 1);
        assertEquals(2, link.client.counters().get(DhcpCounter.MALFORMED_OPTIONS));
        reply.putByte(noEnd, (byte)DhcpOption.END);

        // an offer without a usable address
        reply.putInt(16, Ipv4Address.BROADCAST);
        sendRaw(link, reply, good);
        assertEquals(1, link.client.counters().get(DhcpCounter.UNUSABLE_REPLY));
        reply.putInt(16, OFFER, java.nio.ByteOrder.BIG_ENDIAN);

        // an ACK while selecting
        reply.putByte(DhcpMessage.OPTIONS_OFFSET + 2, (byte)DhcpOption.ACK);
        sendRaw(link, reply, good);
        assertEquals(1, link.client.counters().get(DhcpCounter.UNEXPECTED_TYPE));
        reply.putByte(DhcpMessage.OPTIONS_OFFSET + 2, (byte)DhcpOption.OFFER);

        assertEquals(DhcpState.SELECTING, link.client.state());
        assertTrue(link.client.counters().totalDrops() >= 7, link.client.counters().toString());
        // the good offer still works
        sendRaw(link, reply, good);
        assertEquals("offer 10.0.0.50 from 10.0.0.1", link.events.get(0));
        assertEquals(1, link.server.seen(DhcpOption.REQUEST).size());
    }

    @Test
    void ackWithoutLeaseTimeIsDropped()
    {
        final DhcpLink link = new DhcpLink();
        link.server.select = ScriptedDhcpServer.Answer.IGNORE;
        assertTrue(link.runUntil(() -> link.client.state() == DhcpState.REQUESTING, 10 * SECOND));
        final ScriptedDhcpServer.Seen request = link.server.seen(DhcpOption.REQUEST).get(0);
        link.server.sendReply(DhcpOption.ACK, request, DhcpLink.CLIENT_MAC, OFFER, false);
        link.runTo(link.clock.nowNs() + SECOND / 100);
        assertEquals(1, link.client.counters().get(DhcpCounter.NO_LEASE_TIME));
        assertEquals(DhcpState.REQUESTING, link.client.state());
    }

    @Test
    void serverT1AndT2AndTheTestOverrideOfT1()
    {
        final DhcpLink link = new DhcpLink(DhcpConfig.builder().seed(7).t1OverrideSecs(5));
        link.server.t1Secs = 30;
        link.server.t2Secs = 40;
        bound(link);
        assertEquals(5, link.client.lease().t1Secs());
        assertEquals(40, link.client.lease().t2Secs());

        final DhcpLink server = new DhcpLink();
        server.server.t1Secs = 30;
        server.server.t2Secs = 200; // beyond the lease: ignored, 0.875 × lease
        bound(server);
        assertEquals(30, server.client.lease().t1Secs());
        assertEquals(87, server.client.lease().t2Secs());
    }

    private static void sendRaw(final DhcpLink link, final byte[] bytes)
    {
        sendRaw(link, new UnsafeBuffer(bytes), bytes.length);
    }

    private static void sendRaw(final DhcpLink link, final UnsafeBuffer bytes, final int length)
    {
        link.server.sendUdp(Ipv4Address.BROADCAST, MacAddress.BROADCAST, DhcpClient.SERVER_PORT,
            DhcpClient.CLIENT_PORT, bytes, length);
        link.runTo(link.clock.nowNs() + 1_000_000);
    }
}
