package io.conntest.stack.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Ipv4Options;
import io.conntest.stack.wire.Ipv4Packet;

/** RFC 791 §3.1 option syntax; RFC 1122 §3.2.2.5: a malformed option gets Parameter Problem and the datagram goes. */
class Ipv4OptionsTest
{
    private static int problem(final int... options)
    {
        final byte[] header = new byte[20 + options.length];
        for (int i = 0; i < options.length; i++)
        {
            header[20 + i] = (byte)options[i];
        }
        return Ipv4Options.firstProblem(new UnsafeBuffer(header), 0, header.length);
    }

    @Test
    void rfc791_wellFormedOptions()
    {
        assertEquals(Ipv4Options.VALID, problem(1, 1, 1, 0));
        assertEquals(Ipv4Options.VALID, problem(7, 7, 4, 0, 0, 0, 0, 0)); // Record Route, room for one address
        assertEquals(Ipv4Options.VALID, problem(0, 0xFF, 0xFF, 0xFF)); // nothing after End of Option List counts
        assertEquals(Ipv4Options.VALID, problem(0x94, 4, 0, 0)); // Router Alert (RFC 2113)
    }

    @Test
    void rfc791_malformedOptionsPointAtTheFaultyOctet()
    {
        assertEquals(21, problem(0x94, 1, 0, 0), "length below 2");
        assertEquals(21, problem(0x94, 9, 0, 0), "length past the header");
        assertEquals(23, problem(1, 1, 1, 0x94), "type with no room for its length");
        assertEquals(22, problem(7, 3, 2, 0), "Record Route pointer below 4");
        assertEquals(22, problem(68, 4, 4, 0), "Timestamp pointer below 5");
        assertEquals(21, problem(131, 2, 0, 0), "a source route too short for its pointer");
    }

    @Test
    void rfc1122_3_2_2_5_parameterProblemForAMalformedOption()
    {
        final RawLink link = new RawLink();
        link.introduce();
        link.sent();
        link.inject(datagramWithOptions(new byte[] {7, 3, 2, 0}));
        final List<byte[]> sent = link.sent();
        assertEquals(1, sent.size(), "one ICMP error, nothing delivered");
        final UnsafeBuffer reply = new UnsafeBuffer(sent.get(0));
        final int icmp = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, reply.getByte(EthernetFrame.HEADER_LENGTH + 9));
        assertEquals(Icmpv4Packet.TYPE_PARAMETER_PROBLEM, reply.getByte(icmp) & 0xFF);
        assertEquals(0, reply.getByte(icmp + 1));
        assertEquals(22, reply.getByte(icmp + 4) & 0xFF, "pointer at the Record Route pointer octet");
        assertEquals(1, link.count(InterfaceCounter.IPV4_BAD_OPTIONS));
        assertEquals(0, link.count(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT));

        // well-formed options (NOPs and End of Option List) pass: the closed port answers as usual
        link.inject(datagramWithOptions(new byte[] {1, 1, 1, 0}));
        assertEquals(1, link.sent().size());
        assertEquals(1, link.count(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT));
        assertEquals(1, link.count(InterfaceCounter.IPV4_BAD_OPTIONS));
    }

    /** An echo request (RFC 792) with identifier 0x1234, sequence 7 and 8 bytes of data. */
    private static byte[] echoRequest()
    {
        final byte[] icmp = new byte[16];
        final UnsafeBuffer b = new UnsafeBuffer(icmp);
        b.putByte(0, (byte)Icmpv4Packet.TYPE_ECHO_REQUEST);
        b.putShort(4, (short)0x1234, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)7, ByteOrder.BIG_ENDIAN);
        for (int i = 8; i < 16; i++)
        {
            icmp[i] = (byte)i;
        }
        b.putShort(2, (short)Checksum.compute(b, 0, icmp.length), ByteOrder.BIG_ENDIAN);
        return icmp;
    }

    /** What ping -R sends: NOP, then Record Route of 39 bytes (9 slots), the sender's address already in slot 1. */
    private static byte[] recordRoute(final int recorded)
    {
        final byte[] o = new byte[40];
        o[0] = 1;
        o[1] = 7;
        o[2] = 39;
        o[3] = (byte)(4 + 4 * recorded);
        for (int i = 0; i < recorded; i++)
        {
            new UnsafeBuffer(o).putInt(4 + 4 * i, RawLink.PEER + i, ByteOrder.BIG_ENDIAN);
        }
        return o;
    }

    @Test
    void rfc1122_3_2_2_6_echoReplyCarriesTheRecordRouteWithThisHostAdded()
    {
        final RawLink link = new RawLink();
        link.introduce();
        link.sent();
        link.inject(datagramWithOptions(recordRoute(1), Ipv4Packet.PROTOCOL_ICMP, echoRequest()));
        final List<byte[]> sent = link.sent();
        assertEquals(1, sent.size());
        final UnsafeBuffer reply = new UnsafeBuffer(sent.get(0));
        final int ip = EthernetFrame.HEADER_LENGTH;
        assertEquals(0x4F, reply.getByte(ip) & 0xFF, "a 60-byte header: the 40 option bytes came back");
        assertEquals(60 + 16, reply.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(0, Checksum.compute(reply, ip, 60) & 0xFFFF, "header checksum covers the options");
        // Record Route first, then End of Option List to pad to 40 bytes.
        assertEquals(7, reply.getByte(ip + 20));
        assertEquals(39, reply.getByte(ip + 21));
        assertEquals(16, reply.getByte(ip + 22), "pointer moved past our two slots");
        assertEquals(RawLink.PEER, reply.getInt(ip + 23, ByteOrder.BIG_ENDIAN), "the request's route kept");
        assertEquals(RawLink.ADDR, reply.getInt(ip + 27, ByteOrder.BIG_ENDIAN), "this host as receiver");
        assertEquals(RawLink.ADDR, reply.getInt(ip + 31, ByteOrder.BIG_ENDIAN), "and as sender, as Linux does");
        assertEquals(0, reply.getInt(ip + 35, ByteOrder.BIG_ENDIAN));
        assertEquals(Ipv4Options.END, reply.getByte(ip + 59));
        final int icmp = ip + 60;
        assertEquals(Icmpv4Packet.TYPE_ECHO_REPLY, reply.getByte(icmp) & 0xFF);
        assertEquals(0x1234, reply.getShort(icmp + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(7, reply.getShort(icmp + 6, ByteOrder.BIG_ENDIAN));
        assertEquals(0, Checksum.compute(reply, icmp, 16) & 0xFFFF);
        assertEquals(15, reply.getByte(icmp + 15));
    }

    @Test
    void rfc791_anAlmostFullRecordRouteTakesOneAddressAndAFullOneComesBackUnchanged()
    {
        final RawLink link = new RawLink();
        link.introduce();
        link.sent();
        link.inject(datagramWithOptions(recordRoute(8), Ipv4Packet.PROTOCOL_ICMP, echoRequest()));
        final UnsafeBuffer reply = new UnsafeBuffer(link.sent().get(0));
        final int ip = EthernetFrame.HEADER_LENGTH;
        assertEquals(40, reply.getByte(ip + 22), "pointer past the end: full");
        assertEquals(RawLink.ADDR, reply.getInt(ip + 20 + 35, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void rfc791_aFullRecordRouteComesBackUnchangedNotTruncated()
    {
        final RawLink link = new RawLink();
        link.introduce();
        link.sent();
        final byte[] full = recordRoute(9);
        link.inject(datagramWithOptions(full, Ipv4Packet.PROTOCOL_ICMP, echoRequest()));
        final UnsafeBuffer reply = new UnsafeBuffer(link.sent().get(0));
        final int ip = EthernetFrame.HEADER_LENGTH;
        assertEquals(0x4F, reply.getByte(ip) & 0xFF);
        final byte[] options = new byte[39];
        reply.getBytes(ip + 20, options);
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOfRange(full, 1, 40), options);
    }

    @Test
    void echoRequestWithOtherOptionsIsAnsweredWithAPlainHeader()
    {
        final RawLink link = new RawLink();
        link.introduce();
        link.sent();
        link.inject(datagramWithOptions(new byte[] {1, 1, 1, 0}, Ipv4Packet.PROTOCOL_ICMP, echoRequest()));
        final UnsafeBuffer reply = new UnsafeBuffer(link.sent().get(0));
        assertEquals(0x45, reply.getByte(EthernetFrame.HEADER_LENGTH) & 0xFF);
        assertEquals(Icmpv4Packet.TYPE_ECHO_REPLY, reply.getByte(EthernetFrame.HEADER_LENGTH + 20) & 0xFF);
    }

    /** A UDP datagram from the peer to closed port 9 whose IPv4 header carries {@code options} (a multiple of 4). */
    private static byte[] datagramWithOptions(final byte[] options)
    {
        return datagramWithOptions(options, Ipv4Packet.PROTOCOL_UDP,
            RawLink.udpDatagram(5000, 9, new byte[] {1, 2, 3, 4}));
    }

    private static byte[] datagramWithOptions(final byte[] options, final int protocol, final byte[] udp)
    {
        final int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + options.length;
        final byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + headerLength + udp.length];
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        new EthernetFrame().wrap(b, 0, frame.length).destination(RawLink.MAC).source(RawLink.PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_IPV4);
        final int ip = EthernetFrame.HEADER_LENGTH;
        b.putByte(ip, (byte)(0x40 | headerLength / 4));
        b.putShort(ip + 2, (short)(headerLength + udp.length), ByteOrder.BIG_ENDIAN);
        b.putShort(ip + 4, (short)0x4242, ByteOrder.BIG_ENDIAN);
        b.putByte(ip + 8, (byte)64);
        b.putByte(ip + 9, (byte)protocol);
        b.putInt(ip + 12, RawLink.PEER, ByteOrder.BIG_ENDIAN);
        b.putInt(ip + 16, RawLink.ADDR, ByteOrder.BIG_ENDIAN);
        b.putBytes(ip + 20, options);
        b.putShort(ip + 10, (short)Checksum.compute(b, ip, headerLength), ByteOrder.BIG_ENDIAN);
        b.putBytes(ip + headerLength, udp);
        return frame;
    }
}
