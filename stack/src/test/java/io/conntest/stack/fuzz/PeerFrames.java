package io.conntest.stack.fuzz;

import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Builds the frames other hosts send, written by hand here (not with the stack's own emitters, so a shared
 * mistake cannot hide): Ethernet, ARP, IPv4 headers with options and any flags, UDP and ICMP with their checksums.
 * Every method writes at offset 0 of the buffer it is given and returns the frame's length.
 */
final class PeerFrames
{
    static final int ETH = EthernetFrame.HEADER_LENGTH;

    private PeerFrames()
    {
    }

    /** A locally administered unicast MAC for a host the harness plays. */
    static long macOf(final int address)
    {
        return 0x0200_0000_0000L | (address & 0xFFFF_FFFFL);
    }

    static void ethernet(final UnsafeBuffer buffer, final long dst, final long src, final int etherType)
    {
        MacAddress.put(buffer, 0, dst);
        MacAddress.put(buffer, 6, src);
        buffer.putShort(12, (short)etherType, ByteOrder.BIG_ENDIAN);
    }

    static int arp(final UnsafeBuffer buffer, final int operation, final long ethDst, final long senderMac,
        final int senderIp, final long targetMac, final int targetIp)
    {
        ethernet(buffer, ethDst, senderMac, EthernetFrame.ETHERTYPE_ARP);
        buffer.putShort(ETH, (short)ArpPacket.HARDWARE_ETHERNET, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ETH + 2, (short)EthernetFrame.ETHERTYPE_IPV4, ByteOrder.BIG_ENDIAN);
        buffer.putByte(ETH + 4, (byte)6);
        buffer.putByte(ETH + 5, (byte)4);
        buffer.putShort(ETH + 6, (short)operation, ByteOrder.BIG_ENDIAN);
        MacAddress.put(buffer, ETH + 8, senderMac);
        buffer.putInt(ETH + 14, senderIp, ByteOrder.BIG_ENDIAN);
        MacAddress.put(buffer, ETH + 18, targetMac);
        buffer.putInt(ETH + 24, targetIp, ByteOrder.BIG_ENDIAN);
        return ETH + ArpPacket.LENGTH;
    }

    /**
     * Writes an IPv4 header at {@code offset} with {@code options} (padded to a multiple of 4, at most 40 bytes)
     * for {@code payloadLength} bytes of payload, checksum filled; returns the header length.
     */
    static int ipv4Header(final UnsafeBuffer buffer, final int offset, final int src, final int dst,
        final int protocol, final int identification, final int flagsAndOffset, final int ttl, final byte[] options,
        final int payloadLength)
    {
        final int optionsLength = Math.min(40, (options.length + 3) & ~3);
        final int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + optionsLength;
        buffer.putByte(offset, (byte)(0x40 | headerLength / 4));
        buffer.putByte(offset + 1, (byte)0);
        buffer.putShort(offset + 2, (short)(headerLength + payloadLength), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)identification, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 6, (short)flagsAndOffset, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + 8, (byte)ttl);
        buffer.putByte(offset + 9, (byte)protocol);
        buffer.putInt(offset + 12, src, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 16, dst, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < optionsLength; i++)
        {
            buffer.putByte(offset + 20 + i, i < options.length ? options[i] : 0);
        }
        FuzzSupport.fixIpv4HeaderChecksum(buffer, offset, headerLength);
        return headerLength;
    }

    /** A UDP datagram (header and data, checksum filled) at {@code offset}; returns its length. */
    static int udpDatagram(final UnsafeBuffer buffer, final int offset, final int src, final int dst,
        final int srcPort, final int dstPort, final byte[] data)
    {
        buffer.putShort(offset, (short)srcPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 2, (short)dstPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)(8 + data.length), ByteOrder.BIG_ENDIAN);
        buffer.putBytes(offset + 8, data);
        FuzzSupport.fixUdpChecksum(buffer, offset, 8 + data.length, src, dst);
        return 8 + data.length;
    }

    /**
     * A TCP segment at {@code offset}: header, {@code options} (padded to a multiple of 4, at most 40 bytes) and
     * data, checksum filled (RFC 9293 §3.1); returns its length.
     */
    static int tcpSegment(final UnsafeBuffer buffer, final int offset, final int src, final int dst,
        final int srcPort, final int dstPort, final int seq, final int ack, final int flags, final int window,
        final byte[] options, final byte[] data)
    {
        final int optionsLength = Math.min(40, (options.length + 3) & ~3);
        final int headerLength = 20 + optionsLength;
        buffer.putShort(offset, (short)srcPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 2, (short)dstPort, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 4, seq, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 8, ack, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + 12, (byte)((headerLength / 4) << 4));
        buffer.putByte(offset + 13, (byte)flags);
        buffer.putShort(offset + 14, (short)window, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 16, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 18, (short)0, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < optionsLength; i++)
        {
            buffer.putByte(offset + 20 + i, i < options.length ? options[i] : 0);
        }
        buffer.putBytes(offset + headerLength, data);
        final int length = headerLength + data.length;
        long sum = Checksum.addPseudoHeader(0, src, dst, Ipv4Packet.PROTOCOL_TCP, length);
        sum = Checksum.add(sum, buffer, offset, length);
        buffer.putShort(offset + 16, (short)Checksum.finish(sum), ByteOrder.BIG_ENDIAN);
        return length;
    }

    /** An ICMP message (checksum filled) at {@code offset}; returns its length. */
    static int icmpMessage(final UnsafeBuffer buffer, final int offset, final int type, final int code,
        final int restOfHeader, final byte[] data)
    {
        buffer.putByte(offset, (byte)type);
        buffer.putByte(offset + 1, (byte)code);
        buffer.putInt(offset + 4, restOfHeader, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(offset + Icmpv4Packet.HEADER_LENGTH, data);
        final int length = Icmpv4Packet.HEADER_LENGTH + data.length;
        FuzzSupport.fixChecksum(buffer, offset, length, offset + 2);
        return length;
    }

    static int echoRequest(final UnsafeBuffer buffer, final long srcMac, final int src, final int dst,
        final int identifier, final int sequence, final byte[] data)
    {
        ethernet(buffer, StackHarness.OUR_MAC, srcMac, EthernetFrame.ETHERTYPE_IPV4);
        final int n = icmpMessage(buffer, ETH + 20, Icmpv4Packet.TYPE_ECHO_REQUEST, 0,
            (identifier << 16) | (sequence & 0xFFFF), data);
        ipv4Header(buffer, ETH, src, dst, Ipv4Packet.PROTOCOL_ICMP, sequence, 0, 64, new byte[0], n);
        return ETH + 20 + n;
    }

    static int udp(final UnsafeBuffer buffer, final long srcMac, final int src, final int dst, final int srcPort,
        final int dstPort, final byte[] data)
    {
        ethernet(buffer, StackHarness.OUR_MAC, srcMac, EthernetFrame.ETHERTYPE_IPV4);
        final int n = udpDatagram(buffer, ETH + 20, src, dst, srcPort, dstPort, data);
        ipv4Header(buffer, ETH, src, dst, Ipv4Packet.PROTOCOL_UDP, srcPort, 0x4000, 64, new byte[0], n);
        return ETH + 20 + n;
    }
}
