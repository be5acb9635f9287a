package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static io.conntest.stack.fuzz.PeerFrames.ETH;
import static io.conntest.stack.fuzz.StackHarness.MAX_FRAME;
import static io.conntest.stack.fuzz.StackHarness.MTU;
import static io.conntest.stack.fuzz.StackHarness.OUR_IP;
import static io.conntest.stack.fuzz.StackHarness.OUR_MAC;
import static io.conntest.stack.fuzz.StackHarness.PEER_IP;
import static io.conntest.stack.fuzz.StackHarness.PEER_MAC;

/**
 * The whole stack ({@code NetworkStack}: interface, ARP, IPv4 with reassembly, ICMP, UDP sockets, echo and discard
 * services) fed arbitrary frames over an in-memory cable. The input is a program of up to {@value #MAX_STEPS}
 * steps: raw frames, frames addressed to us with arbitrary payloads, mostly valid datagrams built field by field
 * (options, flags, lying lengths, checksums right or wrong), ARP packets, the fragments of one datagram in any
 * order with duplicates, overlaps, gaps and lies, ICMP errors quoting our datagrams, time passing, socket calls,
 * and reading what the stack sent. Nothing may throw; every frame the stack sends must be well formed; the bounded
 * structures must stay within their bounds after every poll ({@link StackHarness#checkBounds()}); and at the end
 * the stack must still answer ARP, ping and UDP echo. Real captured frames replayed as raw frames are the seeds.
 * TCP (with its echo service on port 7) is registered too, and datagrams of protocol 6 are TCP segments that can
 * answer the last segment the stack sent.
 */
class NetworkStackFuzzTest
{
    static final int MAX_STEPS = 64;

    static final int OP_RAW = 0;
    static final int OP_ADDRESSED = 1;
    static final int OP_DATAGRAM = 2;
    static final int OP_ARP = 3;
    static final int OP_FRAGMENTS = 4;
    static final int OP_ICMP_ERROR = 5;
    static final int OP_CLOCK = 6;
    static final int OP_SOCKET = 7;
    static final int OP_DRAIN = 8;
    static final int OP_POLL = 9;
    static final int OPS = 10;

    /** Time steps: around the ARP retry, reassembly and neighbour timers of both configurations. */
    static final long[] CLOCK_STEPS_NS = {
        1_000_000L, 100_000_000L, 1_000_000_000L, 2_500_000_000L, 10_000_000_000L, 31_000_000_000L, 61_000_000_000L};

    /** SYN, ACK, PSH+ACK, FIN+ACK, RST, RST+ACK, SYN+ACK, or (-1) any flags. */
    static final int[] TCP_FLAGS = {0x02, 0x10, 0x18, 0x11, 0x04, 0x14, 0x12, -1};
    /** MSS 1460, SACK permitted, timestamps, NOP, window scale 7: what Linux puts on a SYN. */
    static final byte[] LINUX_SYN_OPTIONS = {
        2, 4, 0x05, (byte)0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[MAX_FRAME]);
    private final UnsafeBuffer datagram = new UnsafeBuffer(new byte[Ipv4Packet.MAX_LENGTH + 64]);
    private final UdpDatagramHandler ignore = (srcAddr, srcPort, buffer, offset, length) ->
    {
    };

    @FuzzTest(maxDuration = "150s")
    void arbitraryFramesNeverBreakTheInterface(final FuzzedDataProvider data)
    {
        final StackHarness h = new StackHarness(!data.consumeBoolean(), data.consumeBoolean());
        try
        {
            run(h, data);
        }
        catch (final RuntimeException ex)
        {
            if (!KnownBugs.isKnown(ex))
            {
                throw ex;
            }
        }
    }

    private void run(final StackHarness h, final FuzzedDataProvider data)
    {
        h.poll();
        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++)
        {
            switch (data.consumeInt(0, OPS - 1))
            {
                case OP_RAW:
                    raw(h, data);
                    break;
                case OP_ADDRESSED:
                    addressed(h, data);
                    break;
                case OP_DATAGRAM:
                    datagram(h, data);
                    break;
                case OP_ARP:
                    arp(h, data);
                    break;
                case OP_FRAGMENTS:
                    fragments(h, data);
                    break;
                case OP_ICMP_ERROR:
                    icmpError(h, data);
                    break;
                case OP_CLOCK:
                    h.advanceNs(CLOCK_STEPS_NS[data.consumeInt(0, CLOCK_STEPS_NS.length - 1)]);
                    h.poll();
                    break;
                case OP_SOCKET:
                    socket(h, data);
                    break;
                case OP_DRAIN:
                    h.answerArp = data.consumeBoolean();
                    h.drain();
                    break;
                default:
                    for (int i = data.consumeInt(1, 4); i > 0; i--)
                    {
                        h.advanceNs(data.consumeBoolean() ? 0 : 1_000_000L);
                        h.poll();
                    }
            }
        }
        h.checkStillAnswers();
    }

    /** Any bytes at all, as a frame. */
    private static void raw(final StackHarness h, final FuzzedDataProvider data)
    {
        final byte[] bytes = data.consumeBytes(data.consumeInt(0, MAX_FRAME));
        h.inject(bytes);
        h.poll();
    }

    /** An Ethernet header that gets past the MAC filter, then any bytes (IPv4 header checksum fixed if asked). */
    private void addressed(final StackHarness h, final FuzzedDataProvider data)
    {
        final long dst = data.consumeBoolean() ? MacAddress.BROADCAST : OUR_MAC;
        final int type;
        switch (data.consumeInt(0, 3))
        {
            case 0: type = EthernetFrame.ETHERTYPE_IPV4; break;
            case 1: type = EthernetFrame.ETHERTYPE_ARP; break;
            case 2: type = 0x86DD; break;
            default: type = data.consumeInt(0, 0xFFFF);
        }
        final boolean fix = data.consumeBoolean();
        final byte[] payload = data.consumeBytes(data.consumeInt(0, MTU));
        PeerFrames.ethernet(frame, dst, PEER_MAC, type);
        frame.putBytes(ETH, payload);
        if (fix && type == EthernetFrame.ETHERTYPE_IPV4)
        {
            FuzzSupport.fixIpv4HeaderChecksum(frame, ETH, payload.length);
        }
        h.inject(frame, 0, ETH + payload.length);
        h.poll();
    }

    /** A mostly valid datagram built field by field, with a chance of lies and bad checksums at each layer. */
    private void datagram(final StackHarness h, final FuzzedDataProvider data)
    {
        final int src = pickAddress(data);
        final int dst = pickDestination(data);
        final int kind = data.consumeInt(0, 3);
        final byte[] options = data.consumeBytes(4 * data.consumeInt(0, 10));
        final int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + ((options.length + 3) & ~3);
        final int ttl = data.consumeInt(0, 255);
        final int identification = data.consumeInt(0, 0xFFFF);
        final int flags = data.consumeBoolean() ? data.consumeInt(0, 0xFFFF) : data.consumeBoolean() ? 0x4000 : 0;
        final int at = ETH + headerLength;
        final int room = MTU - headerLength;
        final int protocol;
        final int length;
        switch (kind)
        {
            case 0:
            {
                protocol = Ipv4Packet.PROTOCOL_UDP;
                final int srcPort = pickPort(h, data);
                final int dstPort = pickPort(h, data);
                final byte[] body = data.consumeBytes(data.consumeInt(0, room - 8));
                length = PeerFrames.udpDatagram(frame, at, src, dst, srcPort, dstPort, body);
                switch (data.consumeInt(0, 3))
                {
                    case 1: frame.putShort(at + 6, (short)0, ByteOrder.BIG_ENDIAN); break;
                    case 2: frame.putByte(at + 6, (byte)(frame.getByte(at + 6) ^ 0x10)); break;
                    case 3: frame.putShort(at + 4, (short)data.consumeInt(0, 0xFFFF), ByteOrder.BIG_ENDIAN); break;
                    default: break;
                }
                break;
            }
            case 1:
            {
                protocol = Ipv4Packet.PROTOCOL_ICMP;
                final int type = pickIcmpType(data);
                final int code = data.consumeInt(0, 15);
                final int rest = data.consumeInt();
                final byte[] body = data.consumeBytes(data.consumeInt(0, room - 8));
                length = PeerFrames.icmpMessage(frame, at, type, code, rest, body);
                if (data.consumeBoolean())
                {
                    frame.putByte(at + 2, (byte)(frame.getByte(at + 2) ^ 0x01));
                }
                break;
            }
            case 2:
                protocol = Ipv4Packet.PROTOCOL_TCP;
                length = tcpSegment(h, data, at, src, dst, room);
                break;
            default:
            {
                protocol = data.consumeInt(0, 255);
                final byte[] body = data.consumeBytes(data.consumeInt(0, room));
                frame.putBytes(at, body);
                length = body.length;
            }
        }
        PeerFrames.ipv4Header(frame, ETH, src, dst, protocol, identification, flags, ttl, options, length);
        if (data.consumeBoolean())
        {
            frame.putShort(ETH + 2, (short)data.consumeInt(0, 0xFFFF), ByteOrder.BIG_ENDIAN);
            if (data.consumeBoolean())
            {
                FuzzSupport.fixIpv4HeaderChecksum(frame, ETH, headerLength);
            }
        }
        if (data.consumeBoolean())
        {
            frame.putByte(ETH + 10, (byte)(frame.getByte(ETH + 10) ^ 0x40));
        }
        final long ethDst = dst != OUR_IP && data.consumeBoolean() ? MacAddress.BROADCAST : OUR_MAC;
        PeerFrames.ethernet(frame, ethDst, senderMac(src), EthernetFrame.ETHERTYPE_IPV4);
        final int padding = Math.min(data.consumeInt(0, 24), MAX_FRAME - (at + length));
        frame.setMemory(at + length, padding, (byte)0);
        h.inject(frame, 0, at + length + padding);
        h.poll();
    }

    /**
     * A TCP segment to the echo service, a closed port or anywhere, with sequence and acknowledgement numbers that
     * either answer the last segment the stack sent (so handshakes and data exchanges can happen) or are arbitrary,
     * usual or arbitrary flags, the options of a Linux SYN or arbitrary option bytes, and a checksum that is
     * sometimes wrong.
     */
    private int tcpSegment(final StackHarness h, final FuzzedDataProvider data, final int at, final int src,
        final int dst, final int room)
    {
        final int srcPort = data.consumeBoolean() ? h.lastTcpDstPort : pickPort(h, data);
        final int dstPort;
        switch (data.consumeInt(0, 3))
        {
            case 0: dstPort = StackHarness.TCP_ECHO_PORT; break;
            case 1: dstPort = h.lastTcpSrcPort; break;
            case 2: dstPort = StackHarness.CLOSED_PORT; break;
            default: dstPort = pickPort(h, data);
        }
        final int seq = data.consumeBoolean() ? h.lastTcpAck + data.consumeInt(-8, 8) : data.consumeInt();
        final int ack = data.consumeBoolean()
            ? h.lastTcpSeq + h.lastTcpLength + data.consumeInt(-8, 8) : data.consumeInt();
        final int flags = TCP_FLAGS[data.consumeInt(0, TCP_FLAGS.length - 1)];
        final int window = data.consumeInt(0, 0xFFFF);
        final byte[] options =
            data.consumeBoolean() ? LINUX_SYN_OPTIONS : data.consumeBytes(4 * data.consumeInt(0, 10));
        final int headerLength = 20 + Math.min(40, (options.length + 3) & ~3);
        final byte[] payload = data.consumeBytes(data.consumeInt(0, room - headerLength));
        final int length = PeerFrames.tcpSegment(frame, at, src, dst, srcPort, dstPort, seq, ack,
            flags == -1 ? data.consumeInt(0, 255) : flags, window, options, payload);
        if (data.consumeInt(0, 3) == 0)
        {
            frame.putByte(at + 17, (byte)(frame.getByte(at + 17) ^ 0x08));
        }
        return length;
    }

    /** An ARP packet, mostly Ethernet/IPv4, teaching the stack (or asking it) about any address. */
    private void arp(final StackHarness h, final FuzzedDataProvider data)
    {
        final int operation;
        switch (data.consumeInt(0, 2))
        {
            case 0: operation = ArpPacket.OPERATION_REQUEST; break;
            case 1: operation = ArpPacket.OPERATION_REPLY; break;
            default: operation = data.consumeInt(0, 0xFFFF);
        }
        final int senderIp = pickAddress(data);
        final long senderMac;
        switch (data.consumeInt(0, 2))
        {
            case 0: senderMac = senderMac(senderIp); break;
            case 1: senderMac = PEER_MAC; break;
            default: senderMac = data.consumeLong() & 0xFFFF_FFFF_FFFFL;
        }
        final int targetIp = data.consumeBoolean() ? OUR_IP : pickAddress(data);
        final long targetMac = data.consumeBoolean() ? 0 : OUR_MAC;
        final long ethDst = data.consumeBoolean() ? MacAddress.BROADCAST : OUR_MAC;
        int length = PeerFrames.arp(frame, operation, ethDst, senderMac, senderIp, targetMac, targetIp);
        if (data.consumeBoolean())
        {
            // Other hardware or protocol types and address lengths (RFC 826 allows them; we must not choke).
            frame.putByte(ETH + data.consumeInt(0, 5), (byte)data.consumeInt(0, 255));
        }
        length += data.consumeInt(0, 18);
        frame.setMemory(ETH + ArpPacket.LENGTH, length - ETH - ArpPacket.LENGTH, (byte)0);
        h.inject(frame, 0, length);
        h.poll();
    }

    /**
     * One datagram (UDP to any port, an echo request, or another protocol) of up to 9,000 bytes cut into fragments
     * sent in order, reversed, interleaved or last-first, with possibly one duplicated, one missing, one shifted
     * onto its neighbour and one whose MF flag lies, and options on fragment zero.
     */
    private void fragments(final StackHarness h, final FuzzedDataProvider data)
    {
        final int src = data.consumeBoolean() ? PEER_IP : pickAddress(data);
        final int dst = data.consumeInt(0, 3) == 0 ? pickDestination(data) : OUR_IP;
        final int identification;
        switch (data.consumeInt(0, 2))
        {
            case 0: identification = 0x1234; break;
            case 1: identification = 0x1235; break;
            default: identification = data.consumeInt(0, 0xFFFF);
        }
        final int kind = data.consumeInt(0, 2);
        final int total = data.consumeInt(8, 9_000);
        final int seed = data.consumeInt(0, 255);
        final byte[] body = new byte[total - 8];
        for (int i = 0; i < body.length; i++)
        {
            body[i] = (byte)(i * 31 + seed);
        }
        final int protocol;
        switch (kind)
        {
            case 0:
                protocol = Ipv4Packet.PROTOCOL_UDP;
                PeerFrames.udpDatagram(datagram, 0, src, dst, pickPort(h, data), pickPort(h, data), body);
                break;
            case 1:
                protocol = Ipv4Packet.PROTOCOL_ICMP;
                PeerFrames.icmpMessage(datagram, 0, Icmpv4Packet.TYPE_ECHO_REQUEST, 0, identification << 16 | 1, body);
                break;
            default:
                protocol = data.consumeBoolean() ? Ipv4Packet.PROTOCOL_TCP : data.consumeInt(0, 255);
                datagram.putLong(0, 0x0123_4567_89AB_CDEFL);
                datagram.putBytes(8, body);
        }
        final byte[] options = data.consumeBoolean() ? data.consumeBytes(4 * data.consumeInt(1, 10)) : new byte[0];
        int fragmentSize = 8 * data.consumeInt(1, (MTU - 60) / 8);
        if ((total + fragmentSize - 1) / fragmentSize > 40)
        {
            fragmentSize = ((total + 39) / 40 + 7) & ~7;
        }
        final int count = (total + fragmentSize - 1) / fragmentSize;
        final int order = data.consumeInt(0, 3);
        final int duplicate = data.consumeBoolean() ? data.consumeInt(0, count - 1) : -1;
        final int missing = data.consumeBoolean() ? data.consumeInt(0, count - 1) : -1;
        final int shifted = data.consumeBoolean() ? data.consumeInt(0, count - 1) : -1;
        final int lying = data.consumeBoolean() ? data.consumeInt(0, count - 1) : -1;
        final int half = (count + 1) / 2;
        for (int k = 0; k < count; k++)
        {
            final int index;
            switch (order)
            {
                case 0: index = k; break;
                case 1: index = count - 1 - k; break;
                case 2: index = k < half ? 2 * k : 2 * (k - half) + 1; break;
                default: index = k == 0 ? count - 1 : k - 1;
            }
            if (index == missing)
            {
                continue;
            }
            int offset = index * fragmentSize;
            final int length = Math.min(fragmentSize, total - offset);
            boolean more = offset + length < total;
            if (index == shifted && offset >= 8)
            {
                offset -= 8;
            }
            if (index == lying)
            {
                more = !more;
            }
            final int flags = (more ? 0x2000 : 0) | (offset / 8);
            final byte[] fragmentOptions = index == 0 ? options : new byte[0];
            PeerFrames.ethernet(frame, OUR_MAC, senderMac(src), EthernetFrame.ETHERTYPE_IPV4);
            final int headerLength = PeerFrames.ipv4Header(frame, ETH, src, dst, protocol, identification, flags, 64,
                fragmentOptions, length);
            frame.putBytes(ETH + headerLength, datagram, offset, length);
            final int frameLength = ETH + headerLength + length;
            h.inject(frame, 0, frameLength);
            h.poll();
            if (index == duplicate)
            {
                h.inject(frame, 0, frameLength);
                h.poll();
            }
        }
    }

    /** An ICMP error (RFC 792) quoting a datagram that claims to be ours, possibly truncated or with options. */
    private void icmpError(final StackHarness h, final FuzzedDataProvider data)
    {
        final int type;
        final int code;
        switch (data.consumeInt(0, 4))
        {
            case 0: type = Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE; code = data.consumeInt(0, 15); break;
            case 1: type = Icmpv4Packet.TYPE_TIME_EXCEEDED; code = data.consumeInt(0, 1); break;
            case 2: type = Icmpv4Packet.TYPE_PARAMETER_PROBLEM; code = 0; break;
            case 3: type = Icmpv4Packet.TYPE_SOURCE_QUENCH; code = 0; break;
            default: type = Icmpv4Packet.TYPE_REDIRECT; code = data.consumeInt(0, 3);
        }
        final int quotedProtocol;
        switch (data.consumeInt(0, 3))
        {
            case 0: quotedProtocol = Ipv4Packet.PROTOCOL_UDP; break;
            case 1: quotedProtocol = Ipv4Packet.PROTOCOL_ICMP; break;
            case 2: quotedProtocol = Ipv4Packet.PROTOCOL_TCP; break;
            default: quotedProtocol = data.consumeInt(0, 255);
        }
        final int quotedSrc = data.consumeInt(0, 3) != 0 ? OUR_IP : pickAddress(data);
        final int quotedDst = pickAddress(data);
        final byte[] options = data.consumeBoolean() ? data.consumeBytes(4 * data.consumeInt(1, 10)) : new byte[0];
        final int quotedHeader = PeerFrames.ipv4Header(datagram, 0, quotedSrc, quotedDst, quotedProtocol,
            data.consumeInt(0, 0xFFFF), 0, 64, options, 8 + data.consumeInt(0, 1400));
        if (quotedProtocol == Ipv4Packet.PROTOCOL_UDP)
        {
            datagram.putShort(quotedHeader, (short)pickPort(h, data), ByteOrder.BIG_ENDIAN);
            datagram.putShort(quotedHeader + 2, (short)pickPort(h, data), ByteOrder.BIG_ENDIAN);
            datagram.putInt(quotedHeader + 4, data.consumeInt());
        }
        else
        {
            datagram.putLong(quotedHeader, data.consumeLong());
        }
        final int quoteLength = data.consumeBoolean() ? data.consumeInt(0, quotedHeader + 8) : quotedHeader + 8;
        final byte[] quote = FuzzSupport.copy(datagram, 0, quoteLength);
        final int rest = data.consumeInt(0, 0xFFFF);
        final int src = data.consumeBoolean() ? PEER_IP : pickAddress(data);
        PeerFrames.ethernet(frame, OUR_MAC, senderMac(src), EthernetFrame.ETHERTYPE_IPV4);
        final int length = PeerFrames.icmpMessage(frame, ETH + 20, type, code, rest, quote);
        PeerFrames.ipv4Header(frame, ETH, src, OUR_IP, Ipv4Packet.PROTOCOL_ICMP, 1, 0, 64, new byte[0], length);
        h.inject(frame, 0, ETH + 20 + length);
        h.poll();
    }

    /** Socket calls the API allows: open (bound or not), send to any address and port, close, receive. */
    private void socket(final StackHarness h, final FuzzedDataProvider data)
    {
        final int index = data.consumeInt(0, StackHarness.CLIENTS - 1);
        final UdpSocket socket = h.client(index);
        switch (data.consumeInt(0, 4))
        {
            case 0:
            {
                final int port;
                switch (data.consumeInt(0, 2))
                {
                    case 0: port = 0; break;
                    case 1: port = 40_001 + index; break;
                    default: port = data.consumeInt(1, 0xFFFF);
                }
                h.openClient(index, port);
                break;
            }
            case 1:
                if (socket != null)
                {
                    final int dst = pickAddress(data);
                    final int port = Math.max(1, pickPort(h, data));
                    socket.sendTo(dst, port, datagram, 0, data.consumeInt(0, 3_000));
                }
                break;
            case 2:
                h.closeClient(index);
                break;
            case 3:
                if (socket != null)
                {
                    socket.receive(ignore, Integer.MAX_VALUE);
                }
                break;
            default:
                if (socket != null)
                {
                    socket.sendTo(PEER_IP, 7, datagram, 0, data.consumeInt(0, 1_400));
                }
        }
    }

    private static int pickAddress(final FuzzedDataProvider data)
    {
        final int choice = data.consumeInt(0, StackHarness.ADDRESSES.length);
        return choice < StackHarness.ADDRESSES.length ? StackHarness.ADDRESSES[choice] : data.consumeInt();
    }

    /** Mostly us, else a broadcast, multicast or someone else's address. */
    private static int pickDestination(final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 5))
        {
            case 0: return Ipv4Address.parse("10.9.0.255");
            case 1: return Ipv4Address.BROADCAST;
            case 2: return pickAddress(data);
            default: return OUR_IP;
        }
    }

    private static int pickPort(final StackHarness h, final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 5))
        {
            case 0: return StackHarness.ECHO_PORT;
            case 1: return StackHarness.CLOSED_PORT;
            case 2: return 9;
            case 3: return h.clientPort(data.consumeInt(0, StackHarness.CLIENTS - 1));
            case 4: return 40_000;
            default: return data.consumeInt(0, 0xFFFF);
        }
    }

    private static int pickIcmpType(final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 4))
        {
            case 0: return Icmpv4Packet.TYPE_ECHO_REQUEST;
            case 1: return Icmpv4Packet.TYPE_ECHO_REPLY;
            case 2: return Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE;
            case 3: return Icmpv4Packet.TYPE_TIME_EXCEEDED;
            default: return data.consumeInt(0, 255);
        }
    }

    private static long senderMac(final int address)
    {
        return address == PEER_IP ? PEER_MAC : PeerFrames.macOf(address);
    }
}
