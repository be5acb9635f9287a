package io.conntest.stack.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IPv6 wire layer (issue 13's foundation): addresses in and out of their RFC 5952 text, the fixed header, the
 * pseudo-header checksum checked against packets the Linux kernel sent (an ICMPv6 echo request and reply on ::1,
 * captured with tshark), and the extension header walk with RFC 8200's verdicts.
 */
class Ipv6WireTest
{
    /** {@code ping -6 -s 20 -p 636f6e6e74657374 ::1}: the IPv6 packets of the echo request and the reply. */
    private static final String KERNEL_ECHO_REQUEST = "600a0e62001c3a40" + "00000000000000000000000000000001"
        + "00000000000000000000000000000001" + "80002d6c12cf00013bfd136b000000001d2501000000000063" + "6f6e6e";
    private static final String KERNEL_ECHO_REPLY = "600be62e001c3a40" + "00000000000000000000000000000001"
        + "00000000000000000000000000000001" + "81002c6c12cf00013bfd136b000000001d2501000000000063" + "6f6e6e";

    @ParameterizedTest
    @CsvSource({
        "::1, ::1", "::, ::", "2001:DB8:0:0:0:0:2:1, 2001:db8::2:1", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", "fe80::2aa:ff:fe28:9c5a, fe80::2aa:ff:fe28:9c5a",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1", "1::, 1::", "ff02::1:ff28:9c5a, ff02::1:ff28:9c5a",
    })
    void addressesRoundTripInTheirCanonicalText(final String text, final String canonical)
    {
        final long[] a = Ipv6Address.parse(text);
        assertEquals(canonical, Ipv6Address.format(a[0], a[1]));
        assertArrayEquals(a, Ipv6Address.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "::1.2.3", "1:2:3:4:5:6:7::8", "-1::", "::ffff:300.0.0.1"})
    void nonsenseIsRefusedByName(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(text));
        assertTrue(ex.getMessage().contains("'" + text + "'") || ex.getMessage().contains(text), ex.getMessage());
    }

    @Test
    void addressKinds()
    {
        final long[] linkLocal = Ipv6Address.parse("fe80::2aa:ff:fe28:9c5a");
        assertTrue(Ipv6Address.isLinkLocal(linkLocal[0]));
        assertFalse(Ipv6Address.isMulticast(linkLocal[0]));
        assertFalse(Ipv6Address.isLinkLocal(Ipv6Address.parse("fec0::1")[0]), "fec0::/10 is not fe80::/10");
        // RFC 4291 §2.7.1: the solicited-node group of fe80::2aa:ff:fe28:9c5a is ff02::1:ff28:9c5a
        assertEquals("ff02::1:ff28:9c5a", Ipv6Address.format(Ipv6Address.SOLICITED_NODE_HI,
            Ipv6Address.solicitedNodeLo(linkLocal[1])));
        // RFC 2464 §7: its MAC is 33:33:ff:28:9c:5a
        assertEquals("33:33:ff:28:9c:5a",
            MacAddress.toString(Ipv6Address.multicastMac(Ipv6Address.solicitedNodeLo(linkLocal[1]))));
        assertTrue(Ipv6Address.isMulticast(Ipv6Address.ALL_NODES_HI));
        assertTrue(Ipv6Address.isLoopback(0, 1));
        assertTrue(Ipv6Address.isUnspecified(0, 0));
    }

    @Test
    void theKernelsIcmpv6ChecksumsVerifyWithThePseudoHeader()
    {
        for (final String hex : new String[] {KERNEL_ECHO_REQUEST, KERNEL_ECHO_REPLY})
        {
            final byte[] bytes = HexFormat.of().parseHex(hex);
            final UnsafeBuffer b = new UnsafeBuffer(bytes);
            final Ipv6Packet ip = new Ipv6Packet();
            assertTrue(ip.wrapChecked(b, 0, bytes.length));
            assertEquals(28, ip.payloadLength());
            assertEquals(Ipv6Packet.NEXT_HEADER_ICMPV6, ip.nextHeader());
            assertEquals(64, ip.hopLimit());
            assertEquals("::1", Ipv6Address.format(ip.sourceHi(), ip.sourceLo()));
            final long sum = Checksum.add(Checksum.addIpv6PseudoHeader(0, ip.sourceHi(), ip.sourceLo(),
                ip.destinationHi(), ip.destinationLo(), ip.payloadLength(), ip.nextHeader()), b, 40, 28);
            assertTrue(Checksum.verifies(sum), hex);
            // and computed from scratch (field zeroed) it is the kernel's value
            final int kernel = b.getShort(42, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            b.putShort(42, (short)0);
            assertEquals(kernel, Checksum.finish(Checksum.add(Checksum.addIpv6PseudoHeader(0, ip.sourceHi(),
                ip.sourceLo(), ip.destinationHi(), ip.destinationLo(), 28, 58), b, 40, 28)));
        }
    }

    @Test
    void theFixedHeaderIsCheckedAndTrimmed()
    {
        final byte[] bytes = HexFormat.of().parseHex(KERNEL_ECHO_REQUEST + "0000"); // Ethernet padding after it
        final Ipv6Packet ip = new Ipv6Packet();
        assertTrue(ip.wrapChecked(new UnsafeBuffer(bytes), 0, bytes.length));
        assertEquals(68, ip.length(), "trimmed to header plus payload");
        assertFalse(ip.wrapChecked(new UnsafeBuffer(bytes), 0, 67), "payload longer than the bytes");
        bytes[0] = 0x45;
        assertFalse(ip.wrapChecked(new UnsafeBuffer(bytes), 0, bytes.length), "not version 6");
        assertFalse(ip.wrapChecked(new UnsafeBuffer(bytes), 0, 39), "shorter than the header");
        final UnsafeBuffer out = new UnsafeBuffer(new byte[40]);
        new Ipv6Packet().wrap(out, 0, 40).header(0xB8, 0x12345, 0, Ipv6Packet.NEXT_HEADER_NONE, 255, 1, 2, 3, 4);
        assertTrue(ip.wrapChecked(out, 0, 40));
        assertEquals(0xB8, ip.trafficClass());
        assertEquals(0x12345, ip.flowLabel());
        assertEquals(255, ip.hopLimit());
        assertEquals(4, ip.destinationLo());
    }
}
