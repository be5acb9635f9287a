package io.conntest.stack.ipv6;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6ExtensionWalker;
import io.conntest.stack.wire.Ipv6Packet;

/**
 * ICMPv6 error messages (RFC 4443 §3): Destination Unreachable, Time Exceeded (reassembly) and Parameter Problem about
 * a received packet, quoting
 * as much of it as fits in the minimum MTU (§2.4 c), from the address the packet was sent to when it is ours. None is
 * sent where §2.4 e forbids it (to a packet sent to a multicast address or link-layer group, except a Parameter
 * Problem code 2 for an option whose type asks for it even then; from the unspecified or a multicast source), and
 * each destination's errors are rate limited (§2.4 f, {@link Icmpv6ErrorBudget}).
 */
final class Icmpv6ErrorSender
{
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int MAX_QUOTE = Ipv6Packet.MIN_MTU - Ipv6Packet.HEADER_LENGTH - 8;

    private final Ipv6Egress egress;
    private final Ipv6AddressTable addresses;
    private final LinkParameters link;
    private final Ipv6Counters counters;
    private final Icmpv6ErrorBudget budget;
    private final Icmpv6Packet icmp = new Icmpv6Packet();

    Icmpv6ErrorSender(final Ipv6Egress egress, final Ipv6AddressTable addresses, final LinkParameters link,
        final Ipv6Counters counters, final Icmpv6ErrorBudget budget)
    {
        this.egress = egress;
        this.addresses = addresses;
        this.link = link;
        this.counters = counters;
        this.budget = budget;
    }

    /**
     * An error of {@code type}/{@code code} with the 32-bit {@code parameter} (the pointer of a Parameter Problem)
     * about the packet of {@code length} bytes at {@code offset}; {@code groupDestination} when it came to a multicast
     * address or Ethernet group.
     */
    void send(final int type, final int code, final int parameter, final DirectBuffer packet, final int offset,
        final int length, final boolean groupDestination, final long nowNs)
    {
        final long srcHi = packet.getLong(offset + 8, BE);
        final long srcLo = packet.getLong(offset + 16, BE);
        final long dstHi = packet.getLong(offset + 24, BE);
        final long dstLo = packet.getLong(offset + 32, BE);
        final boolean allowedToGroup = type == Icmpv6Packet.TYPE_PACKET_TOO_BIG
            || (type == Icmpv6Packet.TYPE_PARAMETER_PROBLEM && code == Ipv6ExtensionWalker.CODE_UNRECOGNIZED_OPTION
                && (packet.getByte(offset + parameter) & 0xC0) == 0x80);
        if ((groupDestination && !allowedToGroup) || Ipv6Address.isUnspecified(srcHi, srcLo)
            || Ipv6Address.isMulticast(srcHi))
        {
            counters.increment(Ipv6Counter.ICMPV6_ERRORS_SUPPRESSED);
            return;
        }
        if (!budget.tryAcquire(srcHi, srcLo, nowNs))
        {
            counters.increment(Ipv6Counter.ICMPV6_ERRORS_RATE_LIMITED);
            return;
        }
        final long fromHi;
        final long fromLo;
        if (addresses.isAssigned(dstHi, dstLo))
        {
            fromHi = dstHi;
            fromLo = dstLo;
        }
        else
        {
            final int source = addresses.selectSource(srcHi);
            if (source < 0)
            {
                counters.increment(Ipv6Counter.ICMPV6_ERRORS_SUPPRESSED);
                return;
            }
            fromHi = addresses.hi(source);
            fromLo = addresses.lo(source);
        }
        final int quote = Math.min(length, MAX_QUOTE);
        final int icmpLength = 8 + quote;
        final MutableDirectBuffer frame = egress.claim(fromHi, fromLo, srcHi, srcLo, Ipv6Packet.NEXT_HEADER_ICMPV6,
            link.hopLimit(), icmpLength, nowNs);
        if (frame == null)
        {
            return;
        }
        final int at = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putInt(at + 4, parameter, BE);
        frame.putBytes(at + 8, packet, offset, quote);
        icmp.wrap(frame, at, icmpLength).finish(type, code, fromHi, fromLo, srcHi, srcLo);
        egress.commit();
        counters.increment(Ipv6Counter.ICMPV6_ERRORS_SENT);
        counters.increment(type == Icmpv6Packet.TYPE_PARAMETER_PROBLEM ? Ipv6Counter.ICMPV6_PARAMETER_PROBLEMS_SENT
            : type == Icmpv6Packet.TYPE_TIME_EXCEEDED ? Ipv6Counter.ICMPV6_TIME_EXCEEDED_SENT
            : Ipv6Counter.ICMPV6_PORT_UNREACHABLE_SENT);
    }
}
