package io.conntest.stack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every wire format against frames captured from the Linux kernel: parse, repr, emit, byte-compare. */
class WireFixtureTest
{
    private final EthernetFrame eth = new EthernetFrame();
    private final EthernetRepr ethRepr = new EthernetRepr();
    private final ArpPacket arp = new ArpPacket();
    private final ArpRepr arpRepr = new ArpRepr();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv4Repr ipRepr = new Ipv4Repr();
    private final Icmpv4Packet icmp = new Icmpv4Packet();
    private final Icmpv4Repr icmpRepr = new Icmpv4Repr();
    private final UdpPacket udp = new UdpPacket();
    private final UdpRepr udpRepr = new UdpRepr();

    @Test
    void everyCapturedFrameRoundTrips()
    {
        int arps = 0;
        int ipv4 = 0;
        int icmps = 0;
        int udps = 0;
        int withOptions = 0;
        for (final byte[] bytes : Fixtures.frames())
        {
            final UnsafeBuffer frame = new UnsafeBuffer(bytes);
            assertTrue(eth.wrapChecked(frame, 0, bytes.length));
            assertTrue(ethRepr.parse(eth));
            final UnsafeBuffer out = new UnsafeBuffer(new byte[bytes.length]);
            ethRepr.emit(new EthernetFrame().wrap(out, 0, bytes.length));
            assertArrayEquals(Arrays.copyOf(bytes, 14), Arrays.copyOf(out.byteArray(), 14));

            if (ethRepr.etherType() == EthernetFrame.ETHERTYPE_ARP)
            {
                assertTrue(arp.wrapChecked(frame, 14, bytes.length - 14));
                assertTrue(arpRepr.parse(arp));
                arpRepr.emit(new ArpPacket().wrap(out, 14, ArpPacket.LENGTH));
                assertArrayEquals(Arrays.copyOfRange(bytes, 14, 42), Arrays.copyOfRange(out.byteArray(), 14, 42));
                arps++;
                continue;
            }
            assertEquals(EthernetFrame.ETHERTYPE_IPV4, ethRepr.etherType());
            assertTrue(ip.wrapChecked(frame, 14, bytes.length - 14));
            assertTrue(ip.verifyChecksum());
            assertTrue(ipRepr.parse(ip));
            ipv4++;
            final int headerLength = ipRepr.headerLength();
            if (headerLength == Ipv4Packet.MIN_HEADER_LENGTH)
            {
                ipRepr.emit(new Ipv4Packet().wrap(out, 14, bytes.length - 14));
                assertArrayEquals(Arrays.copyOfRange(bytes, 14, 34), Arrays.copyOfRange(out.byteArray(), 14, 34),
                    "IPv4 header " + ipRepr);
            }
            else
            {
                // Options (record route): skipped through the IHL, the payload starts after them.
                withOptions++;
                assertEquals(60, headerLength);
                assertEquals(60, ip.payloadOffset());
            }
            if (ipRepr.isFragment())
            {
                continue;
            }
            final int payloadAt = 14 + headerLength;
            final int payloadLength = ipRepr.payloadLength();
            if (ipRepr.protocol() == Ipv4Packet.PROTOCOL_ICMP)
            {
                assertTrue(icmp.wrapChecked(frame, payloadAt, payloadLength));
                assertTrue(icmpRepr.parse(icmp));
                final UnsafeBuffer icmpOut = new UnsafeBuffer(new byte[payloadLength]);
                icmpRepr.emit(new Icmpv4Packet().wrap(icmpOut, 0, payloadLength));
                assertArrayEquals(Arrays.copyOfRange(bytes, payloadAt, payloadAt + payloadLength), icmpOut.byteArray(),
                    icmpRepr.toString());
                icmps++;
            }
            else
            {
                assertEquals(Ipv4Packet.PROTOCOL_UDP, ipRepr.protocol());
                assertTrue(udp.wrapChecked(frame, payloadAt, payloadLength));
                assertTrue(udpRepr.parse(udp, ipRepr.sourceAddress(), ipRepr.destinationAddress()));
                final UnsafeBuffer udpOut = new UnsafeBuffer(new byte[payloadLength]);
                udpRepr.emit(new UdpPacket().wrap(udpOut, 0, payloadLength), ipRepr.sourceAddress(),
                    ipRepr.destinationAddress(), udp.buffer(), udp.payloadOffset());
                assertArrayEquals(Arrays.copyOfRange(bytes, payloadAt, payloadAt + payloadLength), udpOut.byteArray(),
                    udpRepr.toString());
                udps++;
            }
        }
        assertEquals(Fixtures.frames().size() - 18, arps);
        assertEquals(18, ipv4);
        assertEquals(2, withOptions);
        assertEquals(5, icmps, "2 echo, 2 echo with options, 1 port unreachable");
        assertEquals(3, udps);
    }

    @Test
    void capturedFieldsReadAsExpected()
    {
        final UnsafeBuffer request = new UnsafeBuffer(Fixtures.frame(1));
        assertTrue(eth.wrapChecked(request, 0, request.capacity()));
        assertEquals(MacAddress.BROADCAST, eth.destination());
        assertEquals(Fixtures.KERNEL_A_MAC, eth.source());
        assertTrue(arp.wrapChecked(request, 14, request.capacity() - 14));
        assertTrue(arpRepr.parse(arp));
        assertEquals(ArpPacket.OPERATION_REQUEST, arpRepr.operation());
        assertEquals(Fixtures.KERNEL_A, arpRepr.senderIp());
        assertEquals(Fixtures.KERNEL_B, arpRepr.targetIp());

        final UnsafeBuffer fragment = new UnsafeBuffer(Fixtures.frame(6));
        assertTrue(ip.wrapChecked(fragment, 14, fragment.capacity() - 14));
        assertTrue(ip.moreFragments());
        assertEquals(1480, ip.fragmentOffset());
        assertEquals(1480, ip.payloadLength());

        final UnsafeBuffer unreachable = new UnsafeBuffer(Fixtures.frame(20));
        assertTrue(ip.wrapChecked(unreachable, 14, unreachable.capacity() - 14));
        assertTrue(icmp.wrapChecked(ip.buffer(), ip.payloadOffset(), ip.payloadLength()));
        assertTrue(icmpRepr.parse(icmp));
        assertEquals(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, icmpRepr.type());
        assertEquals(Icmpv4Packet.CODE_PORT_UNREACHABLE, icmpRepr.code());
        assertEquals("10.9.0.1", Ipv4Address.toString(Fixtures.KERNEL_A));
        assertEquals("02:00:00:00:0a:02", MacAddress.toString(Fixtures.KERNEL_B_MAC));
    }

    @Test
    void corruptedChecksumsAreDetected()
    {
        final byte[] ping = Fixtures.frame(3);
        ping[14 + 8]--; // TTL, without fixing the header checksum
        assertTrue(ip.wrapChecked(new UnsafeBuffer(ping), 14, ping.length - 14));
        assertFalse(ip.verifyChecksum());
        assertFalse(ipRepr.parse(ip));

        final byte[] echo = Fixtures.frame(3);
        echo[echo.length - 1] ^= 1;
        assertTrue(icmp.wrapChecked(new UnsafeBuffer(echo), 34, echo.length - 34));
        assertFalse(icmpRepr.parse(icmp));

        final byte[] hello = Fixtures.frame(13);
        hello[hello.length - 1] ^= 0x40;
        assertTrue(udp.wrapChecked(new UnsafeBuffer(hello), 34, hello.length - 34));
        assertFalse(udpRepr.parse(udp, Fixtures.KERNEL_A, Fixtures.KERNEL_B));
        hello[40] = 0; // a zero checksum means "none" (RFC 768)
        hello[41] = 0;
        assertTrue(udp.wrapChecked(new UnsafeBuffer(hello), 34, hello.length - 34));
        assertTrue(udpRepr.parse(udp, Fixtures.KERNEL_A, Fixtures.KERNEL_B));
    }

    @Test
    void badLengthsAreRejectedWithoutReadingPastTheData()
    {
        final byte[] ping = Fixtures.frame(3);
        final UnsafeBuffer buffer = new UnsafeBuffer(ping);
        for (int length = 0; length < ping.length - 14; length++)
        {
            assertFalse(ip.wrapChecked(buffer, 14, length), "truncated to " + length);
        }
        ping[14] = 0x44; // IHL 4 words: below the minimum
        assertFalse(ip.wrapChecked(buffer, 14, ping.length - 14));
        ping[14] = 0x65; // version 6
        assertFalse(ip.wrapChecked(buffer, 14, ping.length - 14));
        ping[14] = 0x4F; // IHL 15 words: 60 bytes, still within the total length, read as options
        assertTrue(ip.wrapChecked(buffer, 14, ping.length - 14));
        assertEquals(60, ip.payloadOffset());
        assertFalse(ip.wrapChecked(buffer, 14, 40), "IHL beyond the bytes given");
        assertFalse(ip.wrapChecked(buffer, ping.length - 10, 20), "region beyond the buffer");

        final byte[] hello = Fixtures.frame(13);
        final UnsafeBuffer udpBuffer = new UnsafeBuffer(hello);
        hello[38] = 0;
        hello[39] = 7; // UDP length 7 < header
        assertFalse(udp.wrapChecked(udpBuffer, 34, hello.length - 34));
        hello[39] = (byte)200; // beyond the datagram
        assertFalse(udp.wrapChecked(udpBuffer, 34, hello.length - 34));
        assertFalse(arp.wrapChecked(new UnsafeBuffer(Fixtures.frame(1)), 14, 27));
        assertFalse(eth.wrapChecked(new UnsafeBuffer(new byte[13]), 0, 13));
        assertFalse(icmp.wrapChecked(new UnsafeBuffer(new byte[7]), 0, 7));
    }

    @Test
    void addressesParseAndFormat()
    {
        assertEquals(0x0A00_0001, Ipv4Address.parse("10.0.0.1"));
        assertEquals("255.255.255.255", Ipv4Address.toString(Ipv4Address.BROADCAST));
        assertEquals(0x0A00_00FF, Ipv4Address.directedBroadcast(0x0A00_0001, 24));
        assertEquals(0x0200_0000_0a01L, MacAddress.parse("02:00:00:00:0A:01"));
        assertTrue(MacAddress.isLocallyAdministered(MacAddress.randomLocallyAdministered(new java.util.Random(1))));
        assertFalse(MacAddress.isGroup(MacAddress.randomLocallyAdministered(new java.util.Random(2))));
        for (final String bad : new String[] {"10.0.0", "10.0.0.256", "a.b.c.d", "10..0.1", "1.2.3.4.5", ""})
        {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad));
        }
    }
}
