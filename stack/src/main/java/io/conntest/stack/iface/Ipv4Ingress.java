package io.conntest.stack.iface;

import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Icmpv4Repr;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Options;
import io.conntest.stack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The receiving half of IPv4 and all of ICMP: header validation, reassembly, delivery to the protocol handlers,
 * echo replies, ICMP errors sent (port and protocol unreachable, reassembly time exceeded) and received (passed
 * to the protocol that sent the quoted datagram).
 */
final class Ipv4Ingress implements Reassembler.TimeoutHandler
{
    private static final int QUOTED_DATA = 8;
    private static final int DHCP_CLIENT_PORT = 68;

    private final InterfaceCounters counters;
    private final Ipv4Egress egress;
    private final Reassembler reassembler;
    private final IcmpErrorRateLimiter errorLimiter;
    /** The current address (0 while unassigned, before a DHCP lease): read per datagram. */
    private final Ipv4Assignment assignment;
    private final IpProtocolHandler[] handlers = new IpProtocolHandler[256];

    private final Ipv4Packet ip = new Ipv4Packet();
    private final Icmpv4Packet icmpIn = new Icmpv4Packet();
    private final Icmpv4Packet icmpOut = new Icmpv4Packet();
    private final Icmpv4Repr requestRepr = new Icmpv4Repr();
    private final Icmpv4Repr replyRepr = new Icmpv4Repr();
    private final UnsafeBuffer quote =
        new UnsafeBuffer(ByteBuffer.allocateDirect(Ipv4Packet.MAX_HEADER_LENGTH + QUOTED_DATA));
    private IcmpEchoListener echoListener;
    /** The Record Route option for the echo reply being built (RFC 1122 §3.2.2.6), padded to a multiple of 4. */
    private final UnsafeBuffer replyOptions =
        new UnsafeBuffer(new byte[Ipv4Packet.MAX_HEADER_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH]);
    private int replyOptionsLength;

    Ipv4Ingress(final InterfaceConfig config, final Ipv4Assignment assignment, final Ipv4Egress egress,
        final InterfaceCounters counters)
    {
        this.counters = counters;
        this.egress = egress;
        this.assignment = assignment;
        this.errorLimiter = new IcmpErrorRateLimiter();
        this.reassembler = new Reassembler(config.maxReassemblies(), config.reassemblyTimeoutNs(), counters);
    }

    void handler(final int protocol, final IpProtocolHandler handler)
    {
        handlers[protocol] = handler;
    }

    IpProtocolHandler handler(final int protocol)
    {
        return handlers[protocol];
    }

    void echoListener(final IcmpEchoListener listener)
    {
        this.echoListener = listener;
    }

    Reassembler reassembler()
    {
        return reassembler;
    }

    /** One IPv4 datagram or fragment from an Ethernet frame; {@code linkBroadcast} when sent to ff:ff:ff:ff:ff:ff. */
    void processIpv4(
        final DirectBuffer buffer, final int offset, final int length, final boolean linkBroadcast, final long nowNs)
    {
        processIpv4(buffer, offset, length, linkBroadcast, false, nowNs);
    }

    /**
     * As above; {@code checksumTrusted} when the device vouches for the transport checksum (see
     * {@link IpProtocolHandler#processDatagram(int, int, DirectBuffer, int, int, boolean, long)}). Never for a
     * reassembled datagram, whose fragments came one by one.
     */
    void processIpv4(
        final DirectBuffer buffer, final int offset, final int length, final boolean linkBroadcast,
        final boolean checksumTrusted, final long nowNs)
    {
        if (!ip.wrapChecked(buffer, offset, length) || ip.reservedFlag())
        {
            counters.increment(InterfaceCounter.IPV4_MALFORMED);
            return;
        }
        if (!ip.verifyChecksum())
        {
            counters.increment(InterfaceCounter.IPV4_BAD_CHECKSUM);
            return;
        }
        final int dst = ip.destinationAddress();
        final int src = ip.sourceAddress();
        final int address = assignment.address();
        final boolean broadcast = egress.isBroadcast(dst);
        // Unassigned (waiting for a DHCP lease), a host takes unicast only to the DHCP client's port, to whatever
        // address on its MAC: a server may send OFFER and ACK to the address it offers (RFC 2131 §4.1).
        if (dst != address && !broadcast && !(address == 0 && isDhcpClientDatagram()))
        {
            counters.increment(InterfaceCounter.IPV4_NOT_FOR_US);
            return;
        }
        // RFC 1122 §3.2.1.3: a host MUST silently discard a datagram whose source is not a unicast address.
        if (src == 0 || src == address || egress.isBroadcast(src) || Ipv4Address.isMulticast(src)
            || Ipv4Address.isLoopback(src))
        {
            counters.increment(InterfaceCounter.IPV4_BAD_SOURCE);
            return;
        }
        counters.increment(InterfaceCounter.IPV4_RECEIVED);
        if (ip.headerLength() > Ipv4Packet.MIN_HEADER_LENGTH)
        {
            final int problem = Ipv4Options.firstProblem(ip.buffer(), 0, ip.headerLength());
            if (problem != Ipv4Options.VALID)
            {
                // RFC 1122 §3.2.2.5: a host SHOULD send Parameter Problem (pointer = the faulty octet) and drop it;
                // never in reply to a broadcast, nor about a non-initial fragment (RFC 1122 §3.2.2).
                counters.increment(InterfaceCounter.IPV4_BAD_OPTIONS);
                if (!broadcast && !linkBroadcast && ip.fragmentOffset() == 0)
                {
                    quoteOffender(ip.buffer(), ip.headerLength(), ip.payloadLength(), -1);
                    dispatchIcmpError(Icmpv4Packet.TYPE_PARAMETER_PROBLEM, 0, src, quoteLength, problem << 24);
                }
                return;
            }
        }
        if (ip.isFragment())
        {
            final int slot = reassembler.process(ip, nowNs);
            if (slot >= 0)
            {
                try
                {
                    deliver(src, dst, ip.protocol(), reassembler.payload(slot), 0, reassembler.length(slot),
                        broadcast || linkBroadcast, slot, false, nowNs);
                }
                finally
                {
                    reassembler.release(slot);
                }
            }
            return;
        }
        deliver(src, dst, ip.protocol(), ip.buffer(), ip.headerLength(), ip.payloadLength(),
            broadcast || linkBroadcast, -1, checksumTrusted, nowNs);
    }

    /** Whether the datagram in {@link #ip} is a whole UDP datagram to port 68 (DHCP's client port, RFC 2131 §4.1). */
    private boolean isDhcpClientDatagram()
    {
        return ip.protocol() == Ipv4Packet.PROTOCOL_UDP && !ip.isFragment() && ip.payloadLength() >= 8
            && (ip.buffer().getShort(ip.headerLength() + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) == DHCP_CLIENT_PORT;
    }

    /** Sends ICMP time exceeded, "fragment reassembly time exceeded" (RFC 792), as RFC 1122 §3.3.2 asks. */
    @Override
    public void onReassemblyTimeout(
        final int srcAddr, final DirectBuffer header, final int headerLength, final DirectBuffer payload,
        final long nowNs)
    {
        final int address = assignment.address();
        if (address == 0 || header.getInt(16, ByteOrder.BIG_ENDIAN) != address)
        {
            return;
        }
        quote.putBytes(0, header, 0, headerLength);
        quote.putBytes(headerLength, payload, 0, QUOTED_DATA);
        dispatchIcmpError(Icmpv4Packet.TYPE_TIME_EXCEEDED, Icmpv4Packet.CODE_REASSEMBLY_TIME_EXCEEDED, srcAddr,
            headerLength + QUOTED_DATA);
    }

    private void deliver(
        final int src, final int dst, final int protocol, final DirectBuffer buffer, final int offset,
        final int length, final boolean broadcast, final int reassemblySlot, final boolean checksumTrusted,
        final long nowNs)
    {
        if (protocol == Ipv4Packet.PROTOCOL_ICMP)
        {
            processIcmp(src, buffer, offset, length, broadcast, reassemblySlot, nowNs);
            return;
        }
        final IpProtocolHandler handler = handlers[protocol];
        if (handler == null)
        {
            counters.increment(InterfaceCounter.IPV4_UNKNOWN_PROTOCOL);
            if (!broadcast)
            {
                quoteOffender(buffer, offset, length, reassemblySlot);
                dispatchIcmpError(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, Icmpv4Packet.CODE_PROTOCOL_UNREACHABLE,
                    src, quoteLength);
            }
            return;
        }
        if (reassemblySlot < 0)
        {
            handler.onIpHeader(ip.ttl(), ip.dscpEcn());
        }
        else
        {
            final DirectBuffer header = reassembler.header(reassemblySlot);
            handler.onIpHeader(header.getByte(8) & 0xFF, header.getByte(1) & 0xFF);
        }
        if (!handler.processDatagram(src, dst, buffer, offset, length, checksumTrusted, nowNs)
            && protocol == Ipv4Packet.PROTOCOL_UDP && !broadcast && dst == assignment.address())
        {
            // RFC 1122 §3.2.2.1 / §4.1.3.1: a host SHOULD answer UDP to a closed port with port unreachable,
            // never in reply to a broadcast (RFC 1122 §3.2.2).
            quoteOffender(buffer, offset, length, reassemblySlot);
            if (dispatchIcmpError(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, Icmpv4Packet.CODE_PORT_UNREACHABLE,
                src, quoteLength))
            {
                counters.increment(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT);
            }
        }
    }

    private int quoteLength;

    /**
     * Copies the offending datagram's IP header and first 8 data bytes into {@link #quote} (RFC 792). A
     * reassembled datagram is quoted with fragment zero's header, made to describe the whole datagram.
     */
    private void quoteOffender(final DirectBuffer buffer, final int offset, final int length, final int slot)
    {
        final int headerLength;
        if (slot < 0)
        {
            headerLength = ip.headerLength();
            quote.putBytes(0, ip.buffer(), 0, headerLength);
        }
        else
        {
            headerLength = reassembler.headerLength(slot);
            quote.putBytes(0, reassembler.header(slot), 0, headerLength);
            quote.putShort(2, (short)(headerLength + length), ByteOrder.BIG_ENDIAN);
            quote.putShort(6, (short)0, ByteOrder.BIG_ENDIAN);
            quote.putShort(10, (short)0, ByteOrder.BIG_ENDIAN);
            quote.putShort(10, (short)Checksum.compute(quote, 0, headerLength), ByteOrder.BIG_ENDIAN);
        }
        final int data = Math.min(QUOTED_DATA, length);
        quote.putBytes(headerLength, buffer, offset, data);
        quoteLength = headerLength + data;
    }

    private boolean dispatchIcmpError(final int type, final int code, final int dst, final int quotedLength)
    {
        return dispatchIcmpError(type, code, dst, quotedLength, 0);
    }

    private boolean dispatchIcmpError(final int type, final int code, final int dst, final int quotedLength,
        final int restOfHeader)
    {
        if (!errorLimiter.tryAcquire(dst, egress.nowNs()))
        {
            counters.increment(InterfaceCounter.ICMP_ERRORS_RATE_LIMITED);
            return false;
        }
        replyRepr.error(type, code, restOfHeader, quote, 0, quotedLength);
        return dispatchIcmp(dst, true);
    }

    /**
     * RFC 1122 §3.2.2.6: a Record Route option (RFC 791 §3.1) in an echo request SHOULD come back in the reply,
     * updated with this host and not truncated, so the route covers the whole round trip. Copies it into
     * {@link #replyOptions} with our address in the next two free slots (fewer when it fills up). The options were checked
     * well formed on arrival ({@link Ipv4Options#firstProblem}).
     */
    private void prepareRecordRoute(final DirectBuffer header, final int headerLength)
    {
        replyOptionsLength = 0;
        int i = Ipv4Packet.MIN_HEADER_LENGTH;
        while (i < headerLength)
        {
            final int type = header.getByte(i) & 0xFF;
            if (type == Ipv4Options.END)
            {
                return;
            }
            if (type == Ipv4Options.NOP)
            {
                i++;
                continue;
            }
            final int length = header.getByte(i + 1) & 0xFF;
            if (type == Ipv4Options.RECORD_ROUTE)
            {
                replyOptions.putBytes(0, header, i, length);
                // Our address twice, as Linux records it: once as the request's receiver, once as the reply's
                // sender (so ping -R shows the same route against this stack as against a Linux host).
                for (int r = 0; r < 2; r++)
                {
                    final int pointer = replyOptions.getByte(2) & 0xFF; // 1-based, relative to the option
                    if (pointer + 3 <= length)
                    {
                        replyOptions.putInt(pointer - 1, assignment.address(), ByteOrder.BIG_ENDIAN);
                        replyOptions.putByte(2, (byte)(pointer + 4));
                    }
                }
                int n = length;
                while ((n & 3) != 0)
                {
                    replyOptions.putByte(n++, (byte)Ipv4Options.END);
                }
                replyOptionsLength = n;
                return;
            }
            i += length;
        }
    }

    private boolean dispatchIcmp(final int dst, final boolean error)
    {
        final MutableDirectBuffer buffer = replyOptionsLength > 0 ?
            egress.claimWithOptions(dst, Ipv4Packet.PROTOCOL_ICMP, replyRepr.bufferLength(), false, replyOptions,
                replyOptionsLength) :
            egress.claim(dst, Ipv4Packet.PROTOCOL_ICMP, replyRepr.bufferLength(), false);
        if (buffer == null)
        {
            counters.increment(InterfaceCounter.ICMP_SEND_DROPPED);
            return false;
        }
        replyRepr.emit(icmpOut.wrap(buffer, egress.payloadOffset(), replyRepr.bufferLength()));
        egress.commit();
        counters.increment(error ? InterfaceCounter.ICMP_ERRORS_SENT : InterfaceCounter.ICMP_ECHO_REPLIES_SENT);
        return true;
    }

    private void processIcmp(
        final int src, final DirectBuffer buffer, final int offset, final int length, final boolean broadcast,
        final int reassemblySlot, final long nowNs)
    {
        if (!icmpIn.wrapChecked(buffer, offset, length))
        {
            counters.increment(InterfaceCounter.ICMP_MALFORMED);
            return;
        }
        if (!requestRepr.parse(icmpIn))
        {
            counters.increment(InterfaceCounter.ICMP_BAD_CHECKSUM);
            return;
        }
        switch (requestRepr.type())
        {
            case Icmpv4Packet.TYPE_ECHO_REQUEST:
                counters.increment(InterfaceCounter.ICMP_ECHO_REQUESTS_RECEIVED);
                if (broadcast)
                {
                    counters.increment(InterfaceCounter.ICMP_ECHO_BROADCAST_IGNORED);
                    return;
                }
                // RFC 1122 §3.2.2.6: the reply carries the request's identifier, sequence and data unchanged.
                replyRepr.echo(false, requestRepr.identifier(), requestRepr.sequence(),
                    requestRepr.data(), requestRepr.dataOffset(), requestRepr.dataLength());
                if (reassemblySlot < 0)
                {
                    prepareRecordRoute(ip.buffer(), ip.headerLength());
                }
                else
                {
                    prepareRecordRoute(reassembler.header(reassemblySlot), reassembler.headerLength(reassemblySlot));
                }
                dispatchIcmp(src, false);
                replyOptionsLength = 0;
                break;
            case Icmpv4Packet.TYPE_ECHO_REPLY:
                counters.increment(InterfaceCounter.ICMP_ECHO_REPLIES_RECEIVED);
                if (echoListener != null)
                {
                    echoListener.onEchoReply(src, requestRepr.identifier(), requestRepr.sequence(),
                        requestRepr.data(), requestRepr.dataOffset(), requestRepr.dataLength(), nowNs);
                }
                break;
            case Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE:
            case Icmpv4Packet.TYPE_SOURCE_QUENCH:
            case Icmpv4Packet.TYPE_TIME_EXCEEDED:
            case Icmpv4Packet.TYPE_PARAMETER_PROBLEM:
                processIcmpError(src, nowNs);
                break;
            default:
                counters.increment(InterfaceCounter.ICMP_UNHANDLED_TYPE);
        }
    }

    /**
     * RFC 1122 §3.2.2: pass an error to the transport that sent the quoted datagram, with who sent the error
     * ({@code reporter}: the router or host on the path that gave up, so a failure can say where it happened).
     */
    private void processIcmpError(final int reporter, final long nowNs)
    {
        counters.increment(InterfaceCounter.ICMP_ERRORS_RECEIVED);
        final DirectBuffer data = requestRepr.data();
        final int offset = requestRepr.dataOffset();
        final int length = requestRepr.dataLength();
        if (length < Ipv4Packet.MIN_HEADER_LENGTH + QUOTED_DATA)
        {
            counters.increment(InterfaceCounter.ICMP_ERROR_UNDELIVERABLE);
            return;
        }
        final int versionIhl = data.getByte(offset) & 0xFF;
        final int headerLength = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != 4 || headerLength < Ipv4Packet.MIN_HEADER_LENGTH
            || headerLength + QUOTED_DATA > length)
        {
            counters.increment(InterfaceCounter.ICMP_ERROR_UNDELIVERABLE);
            return;
        }
        final int protocol = data.getByte(offset + 9) & 0xFF;
        final int quotedSrc = data.getInt(offset + 12, ByteOrder.BIG_ENDIAN);
        final int quotedDst = data.getInt(offset + 16, ByteOrder.BIG_ENDIAN);
        final IpProtocolHandler handler = handlers[protocol];
        if (quotedSrc != assignment.address() || handler == null)
        {
            counters.increment(InterfaceCounter.ICMP_ERROR_UNDELIVERABLE);
            return;
        }
        final int type = requestRepr.type();
        final int code = requestRepr.code();
        final int nextHopMtu = type == Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE
            && code == Icmpv4Packet.CODE_FRAGMENTATION_NEEDED ? requestRepr.nextHopMtu() : 0;
        handler.onIcmpError(type, code, reporter, quotedSrc, quotedDst, data, offset + headerLength,
            length - headerLength, nextHopMtu, nowNs);
    }

    /** Sends an echo request from the application (a ping client). */
    boolean dispatchEchoRequest(
        final int dst, final int identifier, final int sequence, final DirectBuffer data, final int offset,
        final int length)
    {
        replyRepr.echo(true, identifier, sequence, data, offset, length);
        final MutableDirectBuffer buffer =
            egress.claim(dst, Ipv4Packet.PROTOCOL_ICMP, replyRepr.bufferLength(), false);
        if (buffer == null)
        {
            return false;
        }
        replyRepr.emit(icmpOut.wrap(buffer, egress.payloadOffset(), replyRepr.bufferLength()));
        egress.commit();
        counters.increment(InterfaceCounter.ICMP_ECHO_REQUESTS_SENT);
        return true;
    }
}
