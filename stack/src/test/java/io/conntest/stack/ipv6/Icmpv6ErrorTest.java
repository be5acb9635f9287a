package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.NdpMessage;

/**
 * ICMPv6 errors (RFC 4443, RFC 8200 §4) on an in-memory link: Parameter Problem for an unrecognized Next Header
 * (code 1) and for an option whose type asks for one (code 2, also to a multicast destination for type bits 10),
 * port unreachable for UDP and TCP (not on the stack's IPv6 yet), the invoking packet quoted, none where §2.4 e
 * forbids it, and the per-destination rate limit (§2.4 f).
 */
class Icmpv6ErrorTest
{
    private static final long[] PEER = Ipv6Address.parse("fe80::99");
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    /** A started link whose neighbour cache knows the peer (it solicited our address). */
    private static ScriptedLink started()
    {
        final ScriptedLink link = new ScriptedLink(9);
        link.start();
        final long[] us = Ipv6Address.parse(link.host.linkLocal());
        final long group = Ipv6Address.solicitedNodeLo(us[1]);
        link.inject(Ipv6Address.multicastMac(group), PEER, new long[] {Ipv6Address.SOLICITED_NODE_HI, group}, 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, us, NdpMessage.OPTION_SOURCE_LINK_LAYER,
                ScriptedLink.PEER_MAC));
        link.sent.clear();
        return link;
    }

    /** A packet from the peer with next header {@code next} and {@code payload}. */
    private static byte[] packet(final long dstMac, final long[] dst, final int next, final byte[] payload)
    {
        final byte[] bytes = new byte[14 + 40 + payload.length];
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        new EthernetFrame().wrap(b, 0, bytes.length).destination(dstMac).source(ScriptedLink.PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_IPV6);
        new Ipv6Packet().wrap(b, 14, 40 + payload.length).header(0, 0, payload.length, next, 64, PEER[0], PEER[1],
            dst[0], dst[1]);
        b.putBytes(54, payload);
        return bytes;
    }

    private static long[] us(final ScriptedLink link)
    {
        return Ipv6Address.parse(link.host.linkLocal());
    }

    /** A Hop-by-Hop header with one 2-byte option of {@code type} and PadN, then No Next Header... ICMPv6. */
    private static byte[] hopByHop(final int optionType)
    {
        return new byte[] {58, 0, (byte)optionType, 2, 0, 0, 1, 0, (byte)Icmpv6Packet.TYPE_ECHO_REQUEST, 0, 0, 0,
            0, 0, 0, 0};
    }

    @Test
    void rfc8200_4_anUnrecognizedNextHeaderGetsAParameterProblemCode1PointingAtIt()
    {
        final ScriptedLink link = started();
        final byte[] sent = packet(ScriptedLink.MAC, us(link), 253, new byte[8]);
        link.injectRaw(sent);
        final List<byte[]> errors = link.sentOfType(Icmpv6Packet.TYPE_PARAMETER_PROBLEM);
        assertEquals(1, errors.size());
        final byte[] error = errors.get(0);
        final UnsafeBuffer b = new UnsafeBuffer(error);
        assertEquals(1, error[55], "code 1: unrecognized Next Header type");
        assertEquals(Ipv6Packet.NEXT_HEADER_OFFSET, b.getInt(58, BE), "the pointer at the next header field");
        assertEquals(PEER[1], ScriptedLink.dst(error)[1]);
        assertEquals(us(link)[1], ScriptedLink.src(error)[1], "from the address the packet was sent to");
        for (int i = 0; i < sent.length - 14; i++)
        {
            assertEquals(sent[14 + i], error[62 + i], "the invoking packet quoted, byte " + i);
        }
        assertTrue(new Icmpv6Packet().wrap(b, 54, error.length - 54).verifyChecksum(us(link)[0], us(link)[1], PEER[0],
            PEER[1]));
    }

    @Test
    void rfc8200_4_2_anUnknownOptionOfTypeBits10GetsCode2EvenToAMulticastDestination()
    {
        final ScriptedLink link = started();
        link.injectRaw(packet(ScriptedLink.MAC, us(link), 0, hopByHop(0x87)));
        link.injectRaw(packet(Ipv6Address.multicastMac(1), new long[] {Ipv6Address.ALL_NODES_HI, 1}, 0,
            hopByHop(0x87)));
        final List<byte[]> errors = link.sentOfType(Icmpv6Packet.TYPE_PARAMETER_PROBLEM);
        assertEquals(2, errors.size());
        assertEquals(2, errors.get(0)[55], "code 2: unrecognized option");
        assertEquals(42, new UnsafeBuffer(errors.get(0)).getInt(58, BE), "the pointer at the option's type");
    }

    @Test
    void rfc8200_4_2_anUnknownOptionOfTypeBits11ToAMulticastDestinationIsDroppedSilently()
    {
        final ScriptedLink link = started();
        link.injectRaw(packet(Ipv6Address.multicastMac(1), new long[] {Ipv6Address.ALL_NODES_HI, 1}, 0,
            hopByHop(0xC7)));
        link.injectRaw(packet(ScriptedLink.MAC, us(link), 0, hopByHop(0x47))); // bits 01: discard silently
        link.injectRaw(packet(ScriptedLink.MAC, us(link), 0, hopByHop(0x07))); // bits 00: skip, go on
        assertTrue(link.sentOfType(Icmpv6Packet.TYPE_PARAMETER_PROBLEM).isEmpty());
        assertEquals(2, link.count(Ipv6Counter.IPV6_EXTENSION_DISCARDED));
        assertEquals(1, link.count(Ipv6Counter.ICMPV6_UNHANDLED_TYPE) + link.count(Ipv6Counter.ICMPV6_BAD_CHECKSUM),
            "the skipped option's packet went on to ICMPv6");
    }

    @Test
    void rfc4443_2_4_e_noErrorAboutAPacketToAMulticastGroupForAnUnknownNextHeader()
    {
        final ScriptedLink link = started();
        link.injectRaw(packet(Ipv6Address.multicastMac(1), new long[] {Ipv6Address.ALL_NODES_HI, 1}, 253,
            new byte[8]));
        assertTrue(link.sentOfType(Icmpv6Packet.TYPE_PARAMETER_PROBLEM).isEmpty());
        assertEquals(1, link.count(Ipv6Counter.ICMPV6_ERRORS_SUPPRESSED));
    }

    @Test
    void rfc4443_3_1_udpAndTcpToTheStacksAddressGetPortUnreachable()
    {
        final ScriptedLink link = started();
        link.injectRaw(packet(ScriptedLink.MAC, us(link), Ipv6Packet.NEXT_HEADER_UDP, new byte[12]));
        link.injectRaw(packet(ScriptedLink.MAC, us(link), Ipv6Packet.NEXT_HEADER_TCP, new byte[20]));
        final List<byte[]> errors = link.sentOfType(Icmpv6Packet.TYPE_DESTINATION_UNREACHABLE);
        assertEquals(2, errors.size());
        assertEquals(Icmpv6Packet.CODE_PORT_UNREACHABLE, errors.get(0)[55]);
        assertEquals(2, link.count(Ipv6Counter.ICMPV6_PORT_UNREACHABLE_SENT));
    }

    @Test
    void rfc4443_2_4_f_errorsToOneDestinationAreRateLimited()
    {
        final ScriptedLink link = started();
        for (int i = 0; i < 10; i++)
        {
            link.injectRaw(packet(ScriptedLink.MAC, us(link), 253, new byte[8]));
        }
        assertEquals(6, link.sentOfType(Icmpv6Packet.TYPE_PARAMETER_PROBLEM).size(), "the burst");
        assertEquals(4, link.count(Ipv6Counter.ICMPV6_ERRORS_RATE_LIMITED));
        link.clock.advanceNs(1_000_000_000L);
        link.injectRaw(packet(ScriptedLink.MAC, us(link), 253, new byte[8]));
        link.injectRaw(packet(ScriptedLink.MAC, us(link), 253, new byte[8]));
        assertEquals(7, link.sentOfType(Icmpv6Packet.TYPE_PARAMETER_PROBLEM).size(), "one more per second");
    }
}
