package io.conntest.stack.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.NdpMessage;

/**
 * The interface's link-local IPv6 on an in-memory link: its address from the MAC (RFC 4291 appendix A), answers to a
 * Neighbor Solicitation (unicast and DAD) and to an echo request, each reply checked as a peer would check it; and what
 * it drops, counted. (The kernel as the peer: the tap module's {@code IcmpKernelInteropTest}.)
 */
class Ipv6LinkLocalTest
{
    private final RawLink link = new RawLink();
    private final long[] us = Ipv6Address.parse("fe80::ff:fe00:2");
    private final long[] peer = Ipv6Address.parse("fe80::ff:fe00:1");

    /** A frame from the peer's MAC to {@code dstMac} carrying ICMPv6 {@code body} (type and code first). */
    private byte[] frame(final long dstMac, final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int hopLimit, final byte[] body)
    {
        final byte[] bytes = new byte[14 + 40 + body.length];
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        new EthernetFrame().wrap(b, 0, bytes.length).destination(dstMac).source(RawLink.PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_IPV6);
        new Ipv6Packet().wrap(b, 14, 40 + body.length).header(0, 0, body.length, 58, hopLimit, srcHi, srcLo, dstHi,
            dstLo);
        b.putBytes(54, body);
        new Icmpv6Packet().wrap(b, 54, body.length).finish(body[0] & 0xFF, body[1] & 0xFF, srcHi, srcLo, dstHi, dstLo);
        return bytes;
    }

    private byte[] solicitation()
    {
        final byte[] ns = new byte[32];
        final UnsafeBuffer b = new UnsafeBuffer(ns);
        b.putByte(0, (byte)Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION);
        b.putLong(8, us[0], java.nio.ByteOrder.BIG_ENDIAN);
        b.putLong(16, us[1], java.nio.ByteOrder.BIG_ENDIAN);
        b.putByte(24, (byte)NdpMessage.OPTION_SOURCE_LINK_LAYER);
        b.putByte(25, (byte)1);
        MacAddress.put(b, 26, RawLink.PEER_MAC);
        return ns;
    }

    /** The IPv6 frames the interface sent (it may also announce itself over ARP). */
    private List<byte[]> sentIpv6()
    {
        return link.sent().stream().filter(f -> f.length > 14 && (f[12] & 0xFF) == 0x86 && (f[13] & 0xFF) == 0xDD)
            .toList();
    }

    private Ipv6Packet reply(final byte[] frame)
    {
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        final EthernetFrame eth = new EthernetFrame();
        assertTrue(eth.wrapChecked(b, 0, frame.length));
        assertEquals(EthernetFrame.ETHERTYPE_IPV6, eth.etherType());
        assertEquals(RawLink.MAC, eth.source());
        final Ipv6Packet ip = new Ipv6Packet();
        assertTrue(ip.wrapChecked(b, 14, frame.length - 14));
        assertTrue(new Icmpv6Packet().wrap(b, 54, ip.payloadLength()).verifyChecksum(ip.sourceHi(), ip.sourceLo(),
            ip.destinationHi(), ip.destinationLo()), "the reply's checksum verifies");
        return ip;
    }

    @Test
    void theAddressIsTheModifiedEui64OfTheMac()
    {
        assertEquals("fe80::ff:fe00:2", link.iface.ipv6LinkLocal());
        assertEquals(0x0211_22FF_FE33_4455L, Ipv6LinkLocal.modifiedEui64(0x0011_2233_4455L), "U/L bit inverted");
    }

    @Test
    void aSolicitationToTheGroupIsAnsweredWithASolicitedAdvertisement()
    {
        final long group = Ipv6Address.solicitedNodeLo(us[1]);
        link.inject(frame(Ipv6Address.multicastMac(group), peer[0], peer[1], Ipv6Address.SOLICITED_NODE_HI, group,
            255, solicitation()));
        link.poll();
        final List<byte[]> sent = sentIpv6();
        assertEquals(1, sent.size());
        final Ipv6Packet ip = reply(sent.get(0));
        assertEquals(255, ip.hopLimit());
        assertEquals(peer[1], ip.destinationLo());
        final NdpMessage na = new NdpMessage();
        assertTrue(na.wrap(ip.buffer(), 40, ip.payloadLength(), 255, ip.sourceHi(), ip.sourceLo(),
            ip.destinationHi(), ip.destinationLo()), "a valid advertisement");
        assertEquals(NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, na.flags());
        assertEquals(RawLink.MAC, na.linkLayerAddress(NdpMessage.OPTION_TARGET_LINK_LAYER));
        assertEquals(us[1], na.targetLo());
        assertEquals(1, link.iface.counters().get(InterfaceCounter.NDP_NEIGHBOR_ADVERTISEMENTS_SENT));
    }

    @Test
    void aDadProbeForOurAddressGetsAnAdvertisementToAllNodes()
    {
        final byte[] probe = solicitation();
        java.util.Arrays.fill(probe, 24, 32, (byte)0); // no source link-layer option from ::
        final byte[] ns = java.util.Arrays.copyOf(probe, 24);
        final long group = Ipv6Address.solicitedNodeLo(us[1]);
        link.inject(frame(Ipv6Address.multicastMac(group), 0, 0, Ipv6Address.SOLICITED_NODE_HI, group, 255, ns));
        link.poll();
        final Ipv6Packet ip = reply(sentIpv6().get(0));
        assertEquals(Ipv6Address.ALL_NODES_HI, ip.destinationHi());
        assertEquals(1, ip.destinationLo());
    }

    @Test
    void anEchoRequestComesBackWithItsData()
    {
        final byte[] echo = HexFormat.of().parseHex("80000000abcd0007" + "636f6e6e74657374");
        link.inject(frame(RawLink.MAC, peer[0], peer[1], us[0], us[1], 64, echo));
        link.poll();
        final Ipv6Packet ip = reply(sentIpv6().get(0));
        assertEquals(Icmpv6Packet.TYPE_ECHO_REPLY, ip.buffer().getByte(40) & 0xFF);
        final byte[] body = new byte[16];
        ip.buffer().getBytes(40, body);
        assertEquals("81" + HexFormat.of().formatHex(echo).substring(2, 4),
            HexFormat.of().formatHex(body).substring(0, 4));
        assertEquals(HexFormat.of().formatHex(echo).substring(8), HexFormat.of().formatHex(body).substring(8),
            "identifier, sequence and data back");
    }

    @Test
    void whatItDoesNotDoIsCountedAndDropped()
    {
        final byte[] echo = HexFormat.of().parseHex("80000000abcd0007");
        final byte[] bad = frame(RawLink.MAC, peer[0], peer[1], us[0], us[1], 64, echo);
        bad[bad.length - 1] ^= 1;
        link.inject(bad);
        link.inject(frame(RawLink.MAC, peer[0], peer[1], peer[0], peer[1], 64, echo)); // not our address
        final byte[] offLink = frame(RawLink.MAC, peer[0], peer[1], us[0], us[1], 254, solicitation());
        link.inject(offLink);
        link.poll();
        assertTrue(sentIpv6().isEmpty());
        assertEquals(1, link.iface.counters().get(InterfaceCounter.ICMPV6_BAD_CHECKSUM));
        assertEquals(1, link.iface.counters().get(InterfaceCounter.IPV6_NOT_FOR_US));
        assertEquals(1, link.iface.counters().get(InterfaceCounter.NDP_INVALID), "hop limit 254: not from the link");
    }
}
