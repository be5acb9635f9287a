package io.conntest.stack.ipv6;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6ExtensionWalker;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.NdpMessage;

/**
 * The IPv6 host on one Ethernet interface: the front of this package. The interface hands it every IPv6 frame
 * ({@link #process}) and asks it whether an Ethernet group is one of its groups ({@link #joined}); its
 * {@link #poll} runs the timers (DAD, router solicitations, MLD reports, neighbour solicitations) and sends the packets
 * held for neighbours that answered. Received packets are checked in RFC order: header, source, destination (an
 * assigned address, all-nodes, or a joined solicited-node group; a tentative address takes nothing, RFC 4862 §5.4),
 * extension headers ({@link Ipv6ExtensionWalker}, RFC 8200 §4, with a Parameter Problem where it asks), then ICMPv6:
 * echo (answered through the neighbour cache, so to a neighbour never heard from too), Neighbor Discovery, MLD queries.
 * Fragments are reassembled ({@link Ipv6Reassembler}, RFC 8200 §4.5) and replies above the MTU sent in fragments.
 * TCP and UDP go up to the {@link Ipv6Transport} (a port unreachable when nothing takes them or none is set), with
 * the ICMPv6 errors about what they sent; they send through {@link #claimTransport}. Addresses come from SLAAC
 * ({@link #autoconfigure}) or are configured ({@link #addStaticAddress}, {@link #staticGateway}). Single-threaded; no
 * allocation per packet (the address listing and text accessors allocate, for monitoring).
 */
public final class Ipv6Host
{
    public static final int NEIGHBOUR_CACHE_SIZE = 64;
    public static final int HELD_PACKETS = 16;
    public static final int HELD_PER_NEIGHBOUR = 3;
    public static final int MAX_ADDRESSES = 8;
    /** Packets reassembled at once (64 KiB each). */
    public static final int REASSEMBLY_SLOTS = 4;
    /** {@link #transportRefusal()}: the last {@link #claimTransport} succeeded. */
    public static final int REFUSED_NONE = 0;
    /** No route: not on-link and no default router, or the destination is one of ours or unspecified. */
    public static final int REFUSED_NO_ROUTE = 1;
    /** Above 65,535 bytes of payload. */
    public static final int REFUSED_TOO_BIG = 2;
    /** The neighbour is being resolved and its queue of held packets (or the host's) is full. */
    public static final int REFUSED_NEIGHBOUR_PENDING = 3;
    /** The device has no room now. */
    public static final int REFUSED_DEVICE_BUSY = 4;
    private static final int MAX_ROUTERS = 4;
    private static final int MAX_PREFIXES = 8;
    private static final boolean[] KNOWN = new boolean[256];

    static
    {
        KNOWN[Ipv6Packet.NEXT_HEADER_ICMPV6] = true;
        KNOWN[Ipv6Packet.NEXT_HEADER_TCP] = true;
        KNOWN[Ipv6Packet.NEXT_HEADER_UDP] = true;
    }

    private final Ipv6Counters counters = new Ipv6Counters();
    private final LinkParameters link;
    private final Ipv6AddressTable addresses = new Ipv6AddressTable(MAX_ADDRESSES);
    private final MldReporter mld;
    private final AddressAutoconfig autoconfig;
    private final NeighbourDiscovery neighbours;
    private final RouterDiscovery routers;
    private final Ipv6Egress egress;
    private final Icmpv6ErrorSender errors;
    private final Ipv6Reassembler reassembler;
    private final Ipv6Packet ip = new Ipv6Packet();
    private final Icmpv6Packet icmp = new Icmpv6Packet();
    private final Icmpv6Packet icmpOut = new Icmpv6Packet();
    private final Ipv6ExtensionWalker walker = new Ipv6ExtensionWalker();
    private final NdpMessage ndp = new NdpMessage();
    private boolean started;
    private boolean autoconfigure;
    /** The frame being processed came with its checksum vouched for or left partial (not for a reassembled one). */
    private boolean rxChecksumTrusted;
    private int selectedSource = -1;
    private Ipv6Transport transport;
    /** Configured addresses, added (tentative, DAD) at the first poll: {hi, lo, prefix length} each. */
    private final long[][] statics = new long[MAX_ADDRESSES - 1][];
    private int staticCount;

    /**
     * @param device     the interface's device
     * @param mac        the interface's MAC
     * @param seed       the stack's seed: stable addresses (RFC 7217's secret) and every random delay
     * @param mtu        the interface's MTU
     * @param sentFrames told the length of every frame sent (the interface's counters)
     * @param budget     the rate limit of ICMPv6 errors
     */
    public Ipv6Host(final FrameDevice device, final long mac, final long seed, final int mtu,
        final IntConsumer sentFrames, final Icmpv6ErrorBudget budget)
    {
        this.link = new LinkParameters(mtu, seed);
        final Ipv6FrameWriter writer = new Ipv6FrameWriter(device, counters, sentFrames, mac);
        final NdpSender ndpSender = new NdpSender(writer, counters);
        final HeldPackets held = new HeldPackets(HELD_PACKETS, HELD_PER_NEIGHBOUR,
            Ipv6FrameWriter.IP_AT + Math.min(mtu, 1500));
        this.mld = new MldReporter(writer, counters, addresses, link, MAX_ADDRESSES);
        this.autoconfig = new AddressAutoconfig(addresses, ndpSender, mld, link, counters,
            new StableInterfaceId(mac, seed), mac);
        this.neighbours = new NeighbourDiscovery(new Ipv6NeighbourCache(NEIGHBOUR_CACHE_SIZE), held, ndpSender,
            addresses, autoconfig, link, counters);
        this.routers = new RouterDiscovery(ndpSender, addresses, neighbours, autoconfig, link, counters, MAX_ROUTERS,
            MAX_PREFIXES);
        this.egress = new Ipv6Egress(writer, neighbours, routers, held, link, counters, addresses);
        this.errors = new Icmpv6ErrorSender(egress, addresses, link, counters, budget);
        this.reassembler = new Ipv6Reassembler(REASSEMBLY_SLOTS, counters);
    }

    public Ipv6Counters counters()
    {
        return counters;
    }

    /**
     * Turns on autoconfiguration (what {@code --ipv6 auto} asks for): DAD for the link-local address, Router
     * Solicitations, SLAAC addresses from advertised prefixes, the default router and MTU from advertisements, MLDv2
     * reports. Without it (the default) the node is as quiet as before issue 13's second step: its link-local
     * address is in use at once without DAD, it answers solicitations and echo requests and resolves the neighbours
     * it replies to, but sends nothing unasked and ignores Router Advertisements (a host with {@code accept_ra=0},
     * {@code accept_dad=0}), so an IPv4-only run puts no IPv6 on the wire. Call before the first poll.
     *
     * @throws IllegalStateException after the first poll.
     */
    public void autoconfigure()
    {
        if (started)
        {
            throw new IllegalStateException("IPv6 autoconfiguration is chosen before the interface's first poll");
        }
        autoconfigure = true;
    }

    /** Whether {@link #autoconfigure()} was asked for. */
    public boolean autoconfigures()
    {
        return autoconfigure;
    }

    /**
     * Whether the addresses change at run time: with {@link #autoconfigure} or a configured address (tentative, then
     * preferred or duplicate). Without either, the link-local address is in use from the start and nothing changes.
     */
    public boolean addressesChange()
    {
        return autoconfigure || staticCount > 0;
    }

    /**
     * Configures an address ({@code --ipv6 ADDR/PREFIX}) and its prefix as on-link. It goes through Duplicate
     * Address Detection (RFC 4862 §5.4) from the first poll, with or without {@link #autoconfigure}, and is used once
     * DAD passes: at most the link's DupAddrDetectTransmits × RetransTimer (1 s) after a random delay of up to 1 s.
     *
     * @throws IllegalStateException after the first poll, or when {@link #MAX_ADDRESSES} would be passed.
     * @throws IllegalArgumentException for a multicast, unspecified, loopback or link-local address, or a prefix
     *         length outside 1..128.
     */
    public void addStaticAddress(final long hi, final long lo, final int prefixLength)
    {
        if (started)
        {
            throw new IllegalStateException("IPv6 addresses are configured before the interface's first poll");
        }
        if (Ipv6Address.isMulticast(hi) || Ipv6Address.isUnspecified(hi, lo) || Ipv6Address.isLoopback(hi, lo)
            || Ipv6Address.isLinkLocal(hi))
        {
            throw new IllegalArgumentException("not a global or unique-local unicast address: "
                + Ipv6Address.format(hi, lo));
        }
        if (prefixLength < 1 || prefixLength > 128)
        {
            throw new IllegalArgumentException("IPv6 prefix length must be 1 to 128: " + prefixLength);
        }
        if (staticCount == statics.length)
        {
            throw new IllegalStateException("at most " + statics.length + " configured IPv6 addresses");
        }
        statics[staticCount++] = new long[] {hi, lo, prefixLength};
    }

    /**
     * A configured default router ({@code --ipv6-gateway}), used when no Router Advertisement lists one. It must be
     * on-link: link-local, or in a configured or advertised prefix (RFC 4861 §6.3.6: routers are neighbours).
     */
    public void staticGateway(final long hi, final long lo)
    {
        if (Ipv6Address.isMulticast(hi) || Ipv6Address.isUnspecified(hi, lo))
        {
            throw new IllegalArgumentException("not a unicast address: " + Ipv6Address.format(hi, lo));
        }
        routers.staticRouter(hi, lo);
    }

    /** Where TCP and UDP packets and the errors about them go; null: nowhere (they get a port unreachable). */
    public void transport(final Ipv6Transport transport)
    {
        this.transport = transport;
    }

    /**
     * RFC 6724's source address for {@code dstHi}'s scope (see {@link Ipv6AddressTable#selectSource}): true when
     * there is one, then read by {@link #sourceHi()} and {@link #sourceLo()}.
     */
    public boolean selectSource(final long dstHi)
    {
        selectedSource = addresses.selectSource(dstHi);
        return selectedSource >= 0;
    }

    public long sourceHi()
    {
        return addresses.hi(selectedSource);
    }

    public long sourceLo()
    {
        return addresses.lo(selectedSource);
    }

    /** Whether {@code hi, lo} is one of ours in a state that receives (preferred or deprecated). */
    public boolean isOwnAddress(final long hi, final long lo)
    {
        final int slot = addresses.find(hi, lo);
        return slot >= 0 && (addresses.state(slot) == Ipv6AddressTable.PREFERRED
            || addresses.state(slot) == Ipv6AddressTable.DEPRECATED);
    }

    /**
     * Claims a frame for an upper-layer packet (TCP, UDP) of {@code payloadLength} bytes from {@code srcHi, srcLo}
     * (one of ours) to {@code dstHi, dstLo}: the Ethernet and IPv6 headers are written, the payload goes at
     * {@link #transportPayloadOffset()}; then {@link #commitTransport()} sends it, held while the neighbour is
     * resolved, in fragments when above the MTU (RFC 8200 §4.5). Null when it cannot go now:
     * {@link #transportRefusal()} says why.
     */
    public MutableDirectBuffer claimTransport(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int nextHeader, final int payloadLength, final long nowNs)
    {
        return egress.claim(srcHi, srcLo, dstHi, dstLo, nextHeader, link.hopLimit(), payloadLength, nowNs);
    }

    public static int transportPayloadOffset()
    {
        return Ipv6FrameWriter.PAYLOAD_AT;
    }

    public void commitTransport()
    {
        egress.commit();
    }

    public void abortTransport()
    {
        egress.abort();
    }

    /** Why the last {@link #claimTransport} returned null: a {@code REFUSED_} code. */
    public int transportRefusal()
    {
        return egress.refusal();
    }

    /** Whether a frame to this Ethernet group is for this node: all nodes, or a solicited-node group it joined. */
    public boolean joined(final long dstMac)
    {
        if ((dstMac >>> 32) != 0x3333)
        {
            return false;
        }
        final long group = dstMac & 0xFFFF_FFFFL;
        if (group == 1)
        {
            return true;
        }
        for (int i = 0; i < addresses.capacity(); i++)
        {
            final int state = addresses.state(i);
            if ((state == Ipv6AddressTable.TENTATIVE || state == Ipv6AddressTable.PREFERRED
                || state == Ipv6AddressTable.DEPRECATED)
                && (Ipv6Address.solicitedNodeLo(addresses.lo(i)) & 0xFFFF_FFFFL) == group)
            {
                return true;
            }
        }
        return false;
    }

    /** One IPv6 packet of a frame from {@code srcMac}, sent to an Ethernet group when {@code linkGroup}. */
    public void process(final DirectBuffer buffer, final int offset, final int length, final long srcMac,
        final boolean linkGroup, final long nowNs)
    {
        process(buffer, offset, length, srcMac, linkGroup, false, nowNs);
    }

    /**
     * As {@link #process(DirectBuffer, int, int, long, boolean, long)}; {@code checksumTrusted} when the device
     * vouches for the upper-layer checksum or left it to be completed (a TAP with offloads: the kernel's own TCP and
     * UDP arrive with only the pseudo-header sum, NEEDS_CSUM): TCP and UDP then skip their verification. ICMPv6 is
     * verified anyway (the kernel completes its checksums).
     */
    public void process(final DirectBuffer buffer, final int offset, final int length, final long srcMac,
        final boolean linkGroup, final boolean checksumTrusted, final long nowNs)
    {
        rxChecksumTrusted = checksumTrusted;
        if (!ip.wrapChecked(buffer, offset, length))
        {
            counters.increment(Ipv6Counter.IPV6_MALFORMED);
            return;
        }
        final long dstHi = ip.destinationHi();
        final long dstLo = ip.destinationLo();
        if (Ipv6Address.isMulticast(ip.sourceHi()))
        {
            counters.increment(Ipv6Counter.IPV6_BAD_SOURCE);
            return;
        }
        final boolean multicast = Ipv6Address.isMulticast(dstHi);
        if (multicast)
        {
            if (dstHi != Ipv6Address.ALL_NODES_HI || (dstLo != 1 && !addresses.joinedSolicitedNode(dstLo)))
            {
                counters.increment(Ipv6Counter.IPV6_NOT_FOR_US);
                return;
            }
        }
        else
        {
            final int slot = addresses.find(dstHi, dstLo);
            if (slot < 0 || addresses.state(slot) == Ipv6AddressTable.DUPLICATE)
            {
                counters.increment(Ipv6Counter.IPV6_NOT_FOR_US);
                return;
            }
            if (addresses.state(slot) == Ipv6AddressTable.TENTATIVE)
            {
                counters.increment(Ipv6Counter.IPV6_TO_TENTATIVE);
                return;
            }
        }
        counters.increment(Ipv6Counter.IPV6_RECEIVED);
        upper(buffer, offset, srcMac, multicast, multicast || linkGroup, false, nowNs);
    }

    /**
     * The packet {@link #ip} views (at {@code offset} of {@code buffer}) past the address checks: its extension
     * headers, then what it carries. {@code reassembled} for a packet put together from fragments.
     */
    private void upper(final DirectBuffer buffer, final int offset, final long srcMac, final boolean multicast,
        final boolean toGroup, final boolean reassembled, final long nowNs)
    {
        final long srcHi = ip.sourceHi();
        final long srcLo = ip.sourceLo();
        final long dstHi = ip.destinationHi();
        final long dstLo = ip.destinationLo();
        final int ipLength = ip.length();
        switch (walker.walk(buffer, offset, ipLength, KNOWN, multicast))
        {
            case Ipv6ExtensionWalker.DISCARD:
                counters.increment(Ipv6Counter.IPV6_EXTENSION_DISCARDED);
                return;
            case Ipv6ExtensionWalker.FRAGMENT:
                if (reassembled)
                {
                    counters.increment(Ipv6Counter.IPV6_FRAGMENT_NESTED);
                }
                else
                {
                    fragment(buffer, offset, ipLength, srcMac, multicast, toGroup, nowNs);
                }
                return;
            case Ipv6ExtensionWalker.PARAMETER_PROBLEM:
                counters.increment(Ipv6Counter.IPV6_PARAMETER_PROBLEM);
                errors.send(Icmpv6Packet.TYPE_PARAMETER_PROBLEM, walker.problemCode(), walker.problemPointer(),
                    buffer, offset, ipLength, toGroup, nowNs);
                return;
            default:
                break;
        }
        final int upperProtocol = walker.upperProtocol();
        if (upperProtocol != Ipv6Packet.NEXT_HEADER_ICMPV6)
        {
            final int upperAt = walker.upperOffset();
            if (multicast)
            {
                // nothing here joins a group for TCP or UDP; RFC 4443 §2.4 e.3: no error about a multicast packet
                counters.increment(Ipv6Counter.IPV6_NO_TRANSPORT);
                return;
            }
            if (transport != null && transport.onPacket(upperProtocol, srcHi, srcLo, dstHi, dstLo, ip.hopLimit(),
                ip.trafficClass(), buffer, upperAt, offset + ipLength - upperAt, rxChecksumTrusted && !reassembled,
                nowNs))
            {
                return;
            }
            counters.increment(Ipv6Counter.IPV6_NO_TRANSPORT);
            errors.send(Icmpv6Packet.TYPE_DESTINATION_UNREACHABLE, Icmpv6Packet.CODE_PORT_UNREACHABLE, 0, buffer,
                offset, ipLength, toGroup, nowNs);
            return;
        }
        final int at = walker.upperOffset();
        final int icmpLength = offset + ipLength - at;
        if (!icmp.wrapChecked(buffer, at, icmpLength))
        {
            counters.increment(Ipv6Counter.IPV6_MALFORMED);
            return;
        }
        if (!icmp.verifyChecksum(srcHi, srcLo, dstHi, dstLo))
        {
            counters.increment(Ipv6Counter.ICMPV6_BAD_CHECKSUM);
            return;
        }
        final int type = icmp.type();
        switch (type)
        {
            case Icmpv6Packet.TYPE_ECHO_REQUEST:
                counters.increment(Ipv6Counter.ICMPV6_ECHO_REQUESTS_RECEIVED);
                if (!multicast && icmp.code() == 0 && !Ipv6Address.isUnspecified(srcHi, srcLo))
                {
                    echoReply(buffer, at, icmpLength, srcHi, srcLo, dstHi, dstLo, nowNs);
                }
                break;
            case Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION:
                if (validNdp(buffer, at, icmpLength, srcHi, srcLo, dstHi, dstLo))
                {
                    neighbours.onSolicitation(ndp, srcHi, srcLo, srcMac, nowNs);
                }
                break;
            case Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT:
                if (validNdp(buffer, at, icmpLength, srcHi, srcLo, dstHi, dstLo))
                {
                    if (neighbours.onAdvertisement(ndp, nowNs))
                    {
                        routers.forget(ndp.targetHi(), ndp.targetLo());
                    }
                }
                break;
            case Icmpv6Packet.TYPE_ROUTER_ADVERTISEMENT:
                if (validNdp(buffer, at, icmpLength, srcHi, srcLo, dstHi, dstLo))
                {
                    if (autoconfigure)
                    {
                        routers.onAdvertisement(ndp, srcHi, srcLo, nowNs);
                    }
                    else
                    {
                        counters.increment(Ipv6Counter.NDP_ROUTER_ADVERTISEMENTS_IGNORED);
                    }
                }
                break;
            case Icmpv6Packet.TYPE_ROUTER_SOLICITATION:
                if (validNdp(buffer, at, icmpLength, srcHi, srcLo, dstHi, dstLo))
                {
                    counters.increment(Ipv6Counter.NDP_ROUTER_SOLICITATIONS_IGNORED); // §6.2.6: for routers
                }
                break;
            case Icmpv6Packet.TYPE_REDIRECT:
                if (validNdp(buffer, at, icmpLength, srcHi, srcLo, dstHi, dstLo))
                {
                    counters.increment(Ipv6Counter.NDP_REDIRECTS_IGNORED);
                }
                break;
            case Icmpv6Packet.TYPE_ECHO_REPLY:
                counters.increment(Ipv6Counter.ICMPV6_ECHO_REPLIES_RECEIVED);
                break;
            case MldReporter.TYPE_QUERY:
                if (autoconfigure)
                {
                    mld.onQuery(buffer, at, icmpLength, srcHi, nowNs);
                }
                else
                {
                    counters.increment(Ipv6Counter.ICMPV6_UNHANDLED_TYPE);
                }
                break;
            default:
                // RFC 4443 §2.4 a/b: errors go up to the protocol that sent the quoted packet, unknown informational
                // ones are dropped
                if (Icmpv6Packet.isError(type))
                {
                    counters.increment(Ipv6Counter.ICMPV6_ERRORS_RECEIVED);
                    errorUp(buffer, at, icmpLength, srcHi, srcLo, nowNs);
                }
                else
                {
                    counters.increment(Ipv6Counter.ICMPV6_UNHANDLED_TYPE);
                }
        }
    }

    /**
     * RFC 4443 §3: an error quotes as much of the offending packet as fits; its IPv6 header (source one of ours)
     * and the first 8 bytes of the upper-layer header (the ports) must be there. Extension headers in the quote are
     * not walked: our TCP and UDP packets carry none unless fragmented, and a fragment's quote names its first
     * fragment's ports only when offset 0.
     */
    private void errorUp(final DirectBuffer buffer, final int at, final int icmpLength, final long reporterHi,
        final long reporterLo, final long nowNs)
    {
        final int quotedAt = at + 8;
        final int quotedLength = icmpLength - 8;
        if (transport == null || quotedLength < Ipv6Packet.HEADER_LENGTH + 8)
        {
            return;
        }
        final long qSrcHi = buffer.getLong(quotedAt + 8, ByteOrder.BIG_ENDIAN);
        final long qSrcLo = buffer.getLong(quotedAt + 16, ByteOrder.BIG_ENDIAN);
        final long qDstHi = buffer.getLong(quotedAt + 24, ByteOrder.BIG_ENDIAN);
        final long qDstLo = buffer.getLong(quotedAt + 32, ByteOrder.BIG_ENDIAN);
        final int nextHeader = buffer.getByte(quotedAt + 6) & 0xFF;
        if (!isOwnAddress(qSrcHi, qSrcLo) || (nextHeader != Ipv6Packet.NEXT_HEADER_TCP
            && nextHeader != Ipv6Packet.NEXT_HEADER_UDP))
        {
            counters.increment(Ipv6Counter.ICMPV6_UNHANDLED_TYPE);
            return;
        }
        final int type = icmp.type();
        final int mtu = type == Icmpv6Packet.TYPE_PACKET_TOO_BIG ? buffer.getInt(at + 4, ByteOrder.BIG_ENDIAN) : 0;
        transport.onError(nextHeader, type, icmp.code(), reporterHi, reporterLo, qSrcHi, qSrcLo, qDstHi, qDstLo,
            buffer, quotedAt + Ipv6Packet.HEADER_LENGTH, quotedLength - Ipv6Packet.HEADER_LENGTH, mtu, nowNs);
    }

    /**
     * RFC 8200 §4.5: a fragment. One whose length is not a multiple of 8 while more follow, or that would end beyond
     * 65,535 bytes, gets a Parameter Problem (code 0, at the Payload Length or the Fragment Offset); the others go to
     * the reassembler, and a packet it completes goes through {@link #upper} again.
     */
    private void fragment(final DirectBuffer buffer, final int offset, final int ipLength, final long srcMac,
        final boolean multicast, final boolean toGroup, final long nowNs)
    {
        final int dataAt = walker.fragmentableOffset();
        final int length = offset + ipLength - dataAt;
        final boolean more = walker.moreFragments();
        final int fragmentOffset = walker.fragmentOffset();
        if (more && (length == 0 || (length & 7) != 0))
        {
            counters.increment(Ipv6Counter.IPV6_FRAGMENT_MALFORMED);
            errors.send(Icmpv6Packet.TYPE_PARAMETER_PROBLEM, Ipv6ExtensionWalker.CODE_ERRONEOUS_FIELD, 4, buffer,
                offset, ipLength, toGroup, nowNs);
            return;
        }
        if (fragmentOffset + length > Ipv6Packet.MAX_PAYLOAD)
        {
            counters.increment(Ipv6Counter.IPV6_FRAGMENT_MALFORMED);
            errors.send(Icmpv6Packet.TYPE_PARAMETER_PROBLEM, Ipv6ExtensionWalker.CODE_ERRONEOUS_FIELD,
                dataAt - 8 - offset + 2, buffer, offset, ipLength, toGroup, nowNs);
            return;
        }
        final int slot = reassembler.process(buffer, offset, ipLength, dataAt, length, fragmentOffset, more,
            walker.fragmentId(), walker.fragmentNextHeader(), nowNs);
        if (slot >= 0)
        {
            final UnsafeBuffer packet = reassembler.packet(slot);
            if (ip.wrapChecked(packet, 0, reassembler.packetLength(slot)))
            {
                upper(packet, 0, srcMac, multicast, toGroup, true, nowNs);
            }
            reassembler.release(slot);
        }
    }

    private boolean validNdp(final DirectBuffer buffer, final int at, final int icmpLength, final long srcHi,
        final long srcLo, final long dstHi, final long dstLo)
    {
        if (!ndp.wrap(buffer, at, icmpLength, ip.hopLimit(), srcHi, srcLo, dstHi, dstLo))
        {
            counters.increment(Ipv6Counter.NDP_INVALID);
            return false;
        }
        return true;
    }

    /** RFC 4443 §4.2: the echo request's body back to its source, from the address it was sent to. */
    private void echoReply(final DirectBuffer request, final int at, final int icmpLength, final long dstHi,
        final long dstLo, final long srcHi, final long srcLo, final long nowNs)
    {
        final MutableDirectBuffer frame = egress.claim(srcHi, srcLo, dstHi, dstLo, Ipv6Packet.NEXT_HEADER_ICMPV6,
            link.hopLimit(), icmpLength, nowNs);
        if (frame == null)
        {
            return;
        }
        final int icmpAt = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putBytes(icmpAt, request, at, icmpLength);
        icmpOut.wrap(frame, icmpAt, icmpLength).finish(Icmpv6Packet.TYPE_ECHO_REPLY, 0, srcHi, srcLo, dstHi, dstLo);
        egress.commit();
        counters.increment(Ipv6Counter.ICMPV6_ECHO_REPLIES_SENT);
    }

    /**
     * Sends an echo request (RFC 4443 §4.1) to {@code dstHi, dstLo} with {@code length} bytes of data, from the
     * best source address for it; resolved through the neighbour cache (held while the neighbour is resolved). Replies
     * are counted ({@link Ipv6Counter#ICMPV6_ECHO_REPLIES_RECEIVED}).
     *
     * @return false when it could not go (no route, no usable source, too big, queue or device full: counted).
     */
    public boolean sendEchoRequest(final long dstHi, final long dstLo, final int identifier, final int sequence,
        final DirectBuffer data, final int offset, final int length, final long nowNs)
    {
        final int source = addresses.selectSource(dstHi);
        if (source < 0)
        {
            counters.increment(Ipv6Counter.IPV6_NO_ROUTE);
            return false;
        }
        final long srcHi = addresses.hi(source);
        final long srcLo = addresses.lo(source);
        final int icmpLength = 8 + length;
        final MutableDirectBuffer frame = egress.claim(srcHi, srcLo, dstHi, dstLo, Ipv6Packet.NEXT_HEADER_ICMPV6,
            link.hopLimit(), icmpLength, nowNs);
        if (frame == null)
        {
            return false;
        }
        final int at = Ipv6FrameWriter.PAYLOAD_AT;
        frame.putShort(at + 4, (short)identifier, ByteOrder.BIG_ENDIAN);
        frame.putShort(at + 6, (short)sequence, ByteOrder.BIG_ENDIAN);
        frame.putBytes(at + 8, data, offset, length);
        icmpOut.wrap(frame, at, icmpLength).finish(Icmpv6Packet.TYPE_ECHO_REQUEST, 0, srcHi, srcLo, dstHi, dstLo);
        egress.commit();
        counters.increment(Ipv6Counter.ICMPV6_ECHO_REQUESTS_SENT);
        return true;
    }

    /** Timers (the start on the first call), then the held packets that can go. Returns whether it did anything. */
    public boolean poll(final long nowNs)
    {
        boolean worked = false;
        if (!started)
        {
            started = true;
            if (autoconfigure)
            {
                autoconfig.start(nowNs);
                routers.start(nowNs);
            }
            else
            {
                autoconfig.assignLinkLocal();
            }
            for (int i = 0; i < staticCount; i++)
            {
                final int slot = addresses.freeSlot();
                final long[] a = statics[i];
                autoconfig.addStatic(slot, a[0], a[1], nowNs);
                routers.addStaticPrefix(a[0], a[1], (int)a[2]);
            }
            worked = true;
        }
        worked |= egress.flush();
        // MLD before DAD: the report for a tentative address's group leaves before its probe (RFC 4862 §5.4.2)
        worked |= mld.onTimers(nowNs);
        worked |= autoconfig.onTimers(nowNs);
        worked |= routers.onTimers(nowNs);
        worked |= neighbours.onTimers(nowNs);
        for (int slot = reassembler.expire(nowNs); slot >= 0; slot = reassembler.expire(nowNs))
        {
            // RFC 8200 §4.5: the first fragment came, the rest did not in 60 s: Time Exceeded, code 1
            errors.send(Icmpv6Packet.TYPE_TIME_EXCEEDED, 1, 0, reassembler.firstFragment(slot), 0,
                reassembler.firstFragmentLength(slot), false, nowNs);
            worked = true;
        }
        worked |= egress.flush();
        return worked;
    }

    /** When {@link #poll} has something to do next; {@code nowNs} when at once. */
    public long pollAtNs(final long nowNs)
    {
        if (!started || egress.canFlush())
        {
            return nowNs;
        }
        return Deadline.earliest(Deadline.earliest(Deadline.earliest(mld.pollAtNs(), autoconfig.pollAtNs()),
            Deadline.earliest(routers.pollAtNs(), neighbours.pollAtNs())), reassembler.pollAtNs());
    }

    /** The link-local address (the modified EUI-64 of the MAC), as text, whatever its DAD state. */
    public String linkLocal()
    {
        return Ipv6Address.format(0xFE80_0000_0000_0000L, autoconfig.linkLocalLo());
    }

    /** Whether the link-local address passed DAD and is in use. */
    public boolean linkLocalReady()
    {
        return addresses.state(Ipv6AddressTable.LINK_LOCAL) == Ipv6AddressTable.PREFERRED;
    }

    /** The first preferred global (autoconfigured) address as text, or null while there is none. */
    public String globalAddress()
    {
        for (int i = 1; i < addresses.capacity(); i++)
        {
            if (addresses.state(i) == Ipv6AddressTable.PREFERRED)
            {
                return Ipv6Address.format(addresses.hi(i), addresses.lo(i));
            }
        }
        return null;
    }

    /** Every address the node has, as "address state" lines (tentative, preferred, deprecated, duplicate). */
    public List<String> addresses()
    {
        final List<String> list = new ArrayList<>();
        for (int i = 0; i < addresses.capacity(); i++)
        {
            final int state = addresses.state(i);
            if (state != Ipv6AddressTable.FREE)
            {
                list.add(Ipv6Address.format(addresses.hi(i), addresses.lo(i)) + " "
                    + new String[] {"free", "tentative", "preferred", "deprecated", "duplicate"}[state]);
            }
        }
        return list;
    }

    /** The neighbour cache state of {@code address} (INCOMPLETE, REACHABLE, STALE, DELAY, PROBE), or null. */
    public String neighbourState(final String address)
    {
        final long[] a = Ipv6Address.parse(address);
        final int slot = neighbours.cache().find(a[0], a[1]);
        return slot < 0 ? null : new String[] {"FREE", "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE"}[
            neighbours.cache().state(slot)];
    }

    /** The default router's address as text, or null. */
    public String defaultRouter()
    {
        final int r = routers.defaultRouter();
        return r < 0 ? null : Ipv6Address.format(routers.routerHi(r), routers.routerLo(r));
    }

    /** The link MTU (the device's, or an advertised smaller one). */
    public int linkMtu()
    {
        return link.mtu();
    }

    /** The hop limit the node's packets carry (64, or a router's CurHopLimit). */
    public int hopLimit()
    {
        return link.hopLimit();
    }

    /** Router Solicitations sent so far. */
    public int routerSolicitationsSent()
    {
        return routers.solicitationsSent();
    }
}
