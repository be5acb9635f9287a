package io.conntest.stack.iface;

import io.conntest.stack.socket.Errno;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing, next-hop resolution, the neighbour cache's bounds and expiry, refusals, idling. */
class EgressTest
{
    private static final long SECOND = 1_000_000_000L;
    /** TEST-NET-2 (RFC 5737): never leaves the in-memory cable. */
    private static final int OFF_LINK = Ipv4Address.parse("198.51.100.7");

    private final EthernetFrame eth = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final ArpPacket arp = new ArpPacket();
    private final ArpRepr arpRepr = new ArpRepr();

    @Test
    void offLinkDestinationsGoToTheGatewaysMac()
    {
        final RawLink link = new RawLink(InterfaceConfig.builder(RawLink.ADDR, 24).mac(RawLink.MAC)
            .gateway(RawLink.PEER).seed(1).build());
        link.poll();
        link.sent();
        final UdpSocket socket = link.udp.open(null);
        assertTrue(socket.sendTo(OFF_LINK, 53, new UnsafeBuffer(new byte[20]), 0, 20));
        link.poll();
        final List<byte[]> request = link.sent();
        assertEquals(1, request.size());
        assertTrue(arp.wrapChecked(new UnsafeBuffer(request.get(0)), 14, request.get(0).length - 14));
        assertTrue(arpRepr.parse(arp));
        assertEquals(RawLink.PEER, arpRepr.targetIp(), "resolves the gateway, not the destination");
        answerArp(link);
        final List<byte[]> sent = link.sent();
        assertEquals(1, sent.size());
        eth.wrapChecked(new UnsafeBuffer(sent.get(0)), 0, sent.get(0).length);
        assertEquals(RawLink.PEER_MAC, eth.destination());
        assertTrue(ip.wrapChecked(eth.buffer(), 14, eth.payloadLength()));
        assertEquals(OFF_LINK, ip.destinationAddress());
    }

    /** A device that refuses (throws on) its first commit, then behaves. */
    private static final class RefusesOnce extends io.conntest.stack.phy.ForwardingDevice
    {
        private boolean refused;

        RefusesOnce(final io.conntest.stack.phy.FrameDevice inner)
        {
            super(inner);
        }

        @Override
        public void commit(final int length)
        {
            if (!refused)
            {
                refused = true;
                inner.abort();
                throw new IllegalStateException("refused");
            }
            inner.commit(length);
        }
    }

    /** A device that throws on a commit leaves the interface able to send the next datagram (no claim left open). */
    @Test
    void aDeviceThatRefusesAFrameLeavesNoClaimOpen()
    {
        final io.conntest.stack.phy.InMemoryDevicePair pair = new io.conntest.stack.phy.InMemoryDevicePair();
        final Interface iface = new Interface(new RefusesOnce(pair.a()), InterfaceConfig.builder(RawLink.ADDR, 24)
            .mac(RawLink.MAC).seed(1).build());
        final org.agrona.MutableDirectBuffer first = iface.claim(OFF_LINK, 17, 10, false);
        org.junit.jupiter.api.Assertions.assertNull(first, "no route: nothing claimed");
        // an on-link broadcast goes straight to the device: the first commit throws, the second goes out
        final int broadcast = RawLink.ADDR | 0xFF;
        assertTrue(iface.claim(broadcast, 17, 10, false) != null);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, iface::commit);
        assertTrue(iface.claim(broadcast, 17, 10, false) != null, "the interface claims again");
        iface.commit();
        assertEquals(1, pair.b().receive((buffer, offset, length) -> { }, 8));
    }

    @Test
    void withoutAGatewayOffLinkIsNoRoute()
    {
        final RawLink link = new RawLink();
        final int[] errno = new int[1];
        final UdpSocket socket = link.udp.open(new UdpSocketListener()
        {
            @Override
            public void onError(final UdpSocket s, final int code, final int remoteAddr, final int remotePort)
            {
                errno[0] = code;
            }
        });
        assertTrue(socket.sendTo(OFF_LINK, 53, new UnsafeBuffer(new byte[20]), 0, 20));
        link.poll();
        assertEquals(Errno.ENETUNREACH, errno[0]);
        assertEquals(1, link.count(InterfaceCounter.IPV4_NO_ROUTE));
        assertNull(link.iface.claim(RawLink.ADDR, 17, 10, false), "no datagrams to ourselves");
        assertEquals(Ipv4Sender.Refusal.NO_ROUTE, link.iface.lastRefusal());
    }

    @Test
    void refusesWhatIpv4CannotCarry()
    {
        final RawLink link = new RawLink();
        link.poll();
        assertNull(link.iface.claim(RawLink.PEER, 6, 1481, true));
        assertEquals(Ipv4Sender.Refusal.TOO_BIG, link.iface.lastRefusal(), "above the MTU with DF");
        assertNull(link.iface.claim(RawLink.PEER, 17, 65_516, false));
        assertEquals(Ipv4Sender.Refusal.TOO_BIG, link.iface.lastRefusal(), "above 65,535 bytes of datagram");
        assertEquals(2, link.count(InterfaceCounter.IPV4_TOO_BIG));
    }

    @Test
    void broadcastNeedsNoResolution()
    {
        final RawLink link = new RawLink();
        link.poll();
        link.sent();
        final UdpSocket socket = link.udp.open(null);
        assertTrue(socket.sendTo(Ipv4Address.BROADCAST, 67, new UnsafeBuffer(new byte[20]), 0, 20));
        assertTrue(socket.sendTo(Ipv4Address.parse("10.0.0.255"), 67, new UnsafeBuffer(new byte[20]), 0, 20));
        link.poll();
        final List<byte[]> sent = link.sent();
        assertEquals(2, sent.size());
        for (final byte[] frame : sent)
        {
            eth.wrapChecked(new UnsafeBuffer(frame), 0, frame.length);
            assertEquals(MacAddress.BROADCAST, eth.destination());
            assertEquals(EthernetFrame.ETHERTYPE_IPV4, eth.etherType());
        }
        assertEquals(0, link.count(InterfaceCounter.ARP_REQUESTS_SENT));
    }

    @Test
    void neighbourCacheIsBoundedAndEntriesExpire()
    {
        final RawLink link = new RawLink(InterfaceConfig.builder(RawLink.ADDR, 24).mac(RawLink.MAC)
            .neighbourCacheSize(2).neighbourTtlNs(60 * SECOND).seed(1).build());
        link.poll();
        for (int host = 1; host <= 3; host++)
        {
            link.inject(arpRequestFrom(Ipv4Address.parse("10.0.0.1" + host), 0x0200_0000_0100L + host));
            link.clock.advanceMs(1);
        }
        assertEquals(1, link.count(InterfaceCounter.NEIGHBOUR_CACHE_EVICTIONS));
        assertTrue(!link.iface.hasNeighbour(Ipv4Address.parse("10.0.0.11")), "the oldest was evicted");
        assertTrue(link.iface.hasNeighbour(Ipv4Address.parse("10.0.0.13")));
        assertEquals(link.clock.nowNs() - 2_000_000 + 60 * SECOND, link.iface.pollAtNs(link.clock.nowNs()),
            "the next deadline is the first expiry");
        link.clock.advanceNs(61 * SECOND);
        link.poll();
        assertTrue(!link.iface.hasNeighbour(Ipv4Address.parse("10.0.0.13")), "expired");
        assertEquals(Long.MAX_VALUE, link.iface.pollAtNs(link.clock.nowNs()), "idle: nothing to wake up for");
    }

    @Test
    void identificationChangesPerDatagram()
    {
        final RawLink link = new RawLink();
        link.introduce();
        link.sent();
        final UdpSocket socket = link.udp.open(null);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(socket.sendTo(RawLink.PEER, 9, new UnsafeBuffer(new byte[4]), 0, 4));
        }
        link.poll();
        final List<byte[]> sent = link.sent();
        assertEquals(3, sent.size());
        int previous = -1;
        for (final byte[] frame : sent)
        {
            assertTrue(ip.wrapChecked(new UnsafeBuffer(frame), 14, frame.length - 14));
            if (previous >= 0)
            {
                assertEquals((previous + 1) & 0xFFFF, ip.identification(), "RFC 6864: a counter per source");
            }
            previous = ip.identification();
        }
    }

    @Test
    void heldDatagramsLeaveInOrderOnceTheNeighbourAnswers()
    {
        final RawLink link = new RawLink();
        link.poll();
        link.sent();
        final UdpSocket socket = link.udp.open(null);
        for (int i = 0; i < 6; i++)
        {
            final byte[] payload = {(byte)i};
            assertTrue(socket.sendTo(RawLink.PEER, 9, new UnsafeBuffer(payload), 0, 1));
        }
        link.poll();
        assertEquals(1, link.sent().size(), "one ARP request, datagrams held");
        assertNull(link.iface.claim(RawLink.PEER, Ipv4Packet.PROTOCOL_ICMP, 8, false), "4 already held");
        assertEquals(Ipv4Sender.Refusal.NEIGHBOUR_PENDING, link.iface.lastRefusal());
        answerArp(link);
        link.poll();
        final List<byte[]> sent = link.sent();
        assertEquals(6, sent.size(), link.iface.counters().toString());
        for (int i = 0; i < 6; i++)
        {
            assertEquals(i, sent.get(i)[14 + 20 + 8]);
        }
    }

    private void answerArp(final RawLink link)
    {
        final byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        new EthernetFrame().wrap(buffer, 0, frame.length).destination(RawLink.MAC).source(RawLink.PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_ARP);
        new ArpRepr().set(ArpPacket.OPERATION_REPLY, RawLink.PEER_MAC, RawLink.PEER, RawLink.MAC, RawLink.ADDR)
            .emit(new ArpPacket().wrap(buffer, 14, ArpPacket.LENGTH));
        link.inject(frame);
    }

    private static byte[] arpRequestFrom(final int ip, final long mac)
    {
        final byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        new EthernetFrame().wrap(buffer, 0, frame.length).destination(MacAddress.BROADCAST).source(mac)
            .etherType(EthernetFrame.ETHERTYPE_ARP);
        new ArpRepr().set(ArpPacket.OPERATION_REQUEST, mac, ip, 0, RawLink.ADDR)
            .emit(new ArpPacket().wrap(buffer, 14, ArpPacket.LENGTH));
        return frame;
    }
}
