package io.conntest.stack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Neighbor Discovery messages the Linux kernel sent (two namespaces on a veth, captured with tshark: a Router
 * Solicitation, a DAD probe with a nonce option, a Neighbor Solicitation and the solicited Advertisement), read and
 * validated as RFC 4861 asks; then what the validation refuses; then a Router Advertisement with a prefix and an MTU.
 */
class NdpMessageTest
{
    private static final String RS = "6000000000103afffe80000000000000000000fffe00000aff020000000000000000000000000002"
        + "85007b1a00000000010102000000000a";
    private static final String DAD_NS = "6000000000203aff00000000000000000000000000000000ff0200000000000000000001ff000001"
        + "8700d3f40000000020010db80000000000000000000000010e01fee7fa3c71ca";
    private static final String NS = "6000000000203aff20010db8000000000000000000000001ff0200000000000000000001ff000002"
        + "87001c1e0000000020010db8000000000000000000000002010102000000000a";
    private static final String NA = "6000000000203aff20010db800000000000000000000000220010db8000000000000000000000001"
        + "88008a686000000020010db8000000000000000000000002020102000000000b";

    private final NdpMessage ndp = new NdpMessage();
    private UnsafeBuffer b;
    private Ipv6Packet ip;

    private boolean read(final String hex)
    {
        final byte[] bytes = HexFormat.of().parseHex(hex);
        b = new UnsafeBuffer(bytes);
        ip = new Ipv6Packet();
        assertTrue(ip.wrapChecked(b, 0, bytes.length));
        final Icmpv6Packet icmp = new Icmpv6Packet();
        assertTrue(icmp.wrapChecked(b, 40, ip.payloadLength()));
        assertTrue(icmp.verifyChecksum(ip.sourceHi(), ip.sourceLo(), ip.destinationHi(), ip.destinationLo()),
            "the kernel's checksum verifies");
        return ndp.wrap(b, 40, ip.payloadLength(), ip.hopLimit(), ip.sourceHi(), ip.sourceLo(), ip.destinationHi(),
            ip.destinationLo());
    }

    @Test
    void theKernelsMessagesReadAsTheySaid()
    {
        assertTrue(read(RS));
        assertEquals(Icmpv6Packet.TYPE_ROUTER_SOLICITATION, ndp.type());
        assertEquals("02:00:00:00:00:0a", MacAddress.toString(ndp.linkLayerAddress(NdpMessage.OPTION_SOURCE_LINK_LAYER)));

        assertTrue(read(DAD_NS), "a DAD probe: from ::, to the solicited-node group, a nonce and no link-layer option");
        assertEquals("2001:db8::1", Ipv6Address.format(ndp.targetHi(), ndp.targetLo()));
        assertEquals(-1, ndp.linkLayerAddress(NdpMessage.OPTION_SOURCE_LINK_LAYER));

        assertTrue(read(NS));
        assertEquals(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, ndp.type());
        assertEquals("2001:db8::2", Ipv6Address.format(ndp.targetHi(), ndp.targetLo()));
        assertEquals("02:00:00:00:00:0a", MacAddress.toString(ndp.linkLayerAddress(NdpMessage.OPTION_SOURCE_LINK_LAYER)));

        assertTrue(read(NA));
        assertEquals(NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, ndp.flags());
        assertEquals("02:00:00:00:00:0b", MacAddress.toString(ndp.linkLayerAddress(NdpMessage.OPTION_TARGET_LINK_LAYER)));
        assertEquals(-1, ndp.mtu());
        assertFalse(ndp.nextPrefix());
    }

    @Test
    void whatRfc4861RefusesIsRefused()
    {
        assertFalse(withByte(NS, 7, 254), "hop limit below 255: not from the link");
        assertFalse(withByte(NS, 41, 1), "code not 0");
        assertFalse(withByte(NS, 40 + 25, 0), "an option of length 0");
        assertFalse(withByte(NS, 40 + 25, 2), "an option running past the message");
        assertFalse(withByte(NS, 40 + 8, 0xFF), "a multicast target");
        // the DAD probe with a source link-layer option (its nonce option turned into one)
        assertFalse(withByte(DAD_NS, 40 + 24, NdpMessage.OPTION_SOURCE_LINK_LAYER));
        // the advertisement sent to all nodes with the Solicited flag
        final String toAllNodes = NA.substring(0, 48) + "ff020000000000000000000000000001" + NA.substring(80);
        assertFalse(readUnchecked(toAllNodes), "a solicited advertisement is unicast");
        assertFalse(withByte(NA, 40, 140), "not an NDP type");
    }

    @Test
    void aRouterAdvertisementsPrefixAndMtu()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[40 + 16 + 32 + 8]);
        final long[] src = Ipv6Address.parse("fe80::1");
        final long[] dst = Ipv6Address.parse("ff02::1");
        new Ipv6Packet().wrap(out, 0, out.capacity()).header(0, 0, 56, 58, 255, src[0], src[1], dst[0], dst[1]);
        out.putByte(44, (byte)64);                                   // cur hop limit
        out.putByte(45, (byte)NdpMessage.FLAG_OTHER);
        out.putShort(46, (short)1800, java.nio.ByteOrder.BIG_ENDIAN); // router lifetime
        out.putByte(56, (byte)NdpMessage.OPTION_PREFIX_INFORMATION);
        out.putByte(57, (byte)4);
        out.putByte(58, (byte)64);
        out.putByte(59, (byte)(NdpMessage.PREFIX_FLAG_ON_LINK | NdpMessage.PREFIX_FLAG_AUTONOMOUS));
        out.putInt(60, 86400, java.nio.ByteOrder.BIG_ENDIAN);
        out.putInt(64, 14400, java.nio.ByteOrder.BIG_ENDIAN);
        final long[] prefix = Ipv6Address.parse("2001:db8:1::");
        out.putLong(72, prefix[0], java.nio.ByteOrder.BIG_ENDIAN);
        out.putByte(88, (byte)NdpMessage.OPTION_MTU);
        out.putByte(89, (byte)1);
        out.putInt(92, 1400, java.nio.ByteOrder.BIG_ENDIAN);
        new Icmpv6Packet().wrap(out, 40, 56).finish(Icmpv6Packet.TYPE_ROUTER_ADVERTISEMENT, 0, src[0], src[1], dst[0],
            dst[1]);
        assertTrue(ndp.wrap(out, 40, 56, 255, src[0], src[1], dst[0], dst[1]));
        assertEquals(1800, ndp.routerLifetime());
        assertEquals(NdpMessage.FLAG_OTHER, ndp.flags());
        assertEquals(1400, ndp.mtu());
        assertTrue(ndp.nextPrefix());
        assertEquals(64, ndp.prefixLength());
        assertEquals("2001:db8:1::", Ipv6Address.format(ndp.prefixHi(), ndp.prefixLo()));
        assertEquals(86400, ndp.prefixValidLifetime());
        assertEquals(14400, ndp.prefixPreferredLifetime());
        assertFalse(ndp.nextPrefix());
        final long[] global = Ipv6Address.parse("2001:db8::9");
        assertFalse(ndp.wrap(out, 40, 56, 255, global[0], global[1], dst[0], dst[1]), "an RA from a global source");
    }

    private boolean withByte(final String hex, final int at, final int value)
    {
        final byte[] bytes = HexFormat.of().parseHex(hex);
        bytes[at] = (byte)value;
        return readUnchecked(HexFormat.of().formatHex(bytes));
    }

    private boolean readUnchecked(final String hex)
    {
        final byte[] bytes = HexFormat.of().parseHex(hex);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final Ipv6Packet packet = new Ipv6Packet();
        assertTrue(packet.wrapChecked(buffer, 0, bytes.length));
        return ndp.wrap(buffer, 40, packet.payloadLength(), packet.hopLimit(), packet.sourceHi(), packet.sourceLo(),
            packet.destinationHi(), packet.destinationLo());
    }
}
