package io.conntest.stack.iface;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.phy.Offloads;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.MacAddress;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The sending half of the interface: routing (on-link or via the gateway), next-hop resolution through the
 * {@link NeighbourCache} with rate-limited ARP requests, datagrams held while a next hop resolves, IPv4 header
 * emission with identification per RFC 6864, and fragmentation (RFC 791 §3.2) of datagrams above the MTU.
 *
 * <p>A datagram that fits the MTU and whose next hop is known is written straight into the device's frame
 * (zero-copy). A larger one is written into a staging buffer and cut into fragments as the device takes them;
 * while a fragmentation is unfinished, further claims are refused as {@link Refusal#DEVICE_BUSY}.
 */
final class Ipv4Egress implements Ipv4Sender
{
    static final int FRAME_HEADERS = FrameEmitter.FRAME_HEADERS;
    static final int MAX_PAYLOAD = Ipv4Packet.MAX_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH;

    private static final int NONE = 0;
    private static final int DIRECT = 1;
    private static final int STAGED = 2;
    private static final int HELD = 3;
    private static final int OFFLOADED = 4;

    private final FrameDevice device;
    private final InterfaceCounters counters;
    private final NeighbourCache neighbours;
    private final HeldDatagrams held;
    private final long mac;
    /** The current address, prefix and gateway: read per datagram, as DHCP may change them at run time. */
    private final Ipv4Assignment assignment;
    /** The device's (or the configured) MTU; a DHCP lease may lower it ({@link #mtu()}). */
    private final int linkMtu;
    private final long neighbourTtlNs;
    private final long arpRetryIntervalNs;
    private final int arpMaxRequests;

    private final FrameEmitter emitter;
    private final Fragmenter fragmenter;
    private final UnsafeBuffer staging = new UnsafeBuffer(ByteBuffer.allocateDirect(HeldDatagrams.SLOT_SIZE));

    private long nowNs;
    private final Ipv4Identification identification;
    private Refusal lastRefusal = Refusal.NONE;

    private int claimMode = NONE;
    private MutableDirectBuffer claimBuffer;
    private int claimPayloadOffset;
    private int claimDst;
    private int claimProtocol;
    private int claimLength;
    /** IPv4 options in the open DIRECT claim's header, and those the next claim should carry if it can. */
    private int claimOptionsLength;
    private DirectBuffer nextOptions;
    private int nextOptionsLength;
    private boolean claimDontFragment;
    private long claimMac;
    private int claimHop;
    private int claimSlot;
    private final int offloads;
    private final FrameMetadata txMetadata = new FrameMetadata();


    Ipv4Egress(final FrameDevice device, final InterfaceConfig config, final Ipv4Assignment assignment, final int mtu,
        final InterfaceCounters counters)
    {
        this.device = device;
        this.counters = counters;
        this.neighbours = new NeighbourCache(config.neighbourCacheSize());
        this.held = new HeldDatagrams(config.heldDatagrams(), config.heldPerNeighbour());
        this.mac = config.mac();
        this.assignment = assignment;
        this.linkMtu = mtu;
        this.neighbourTtlNs = config.neighbourTtlNs();
        this.arpRetryIntervalNs = config.arpRetryIntervalNs();
        this.arpMaxRequests = config.arpMaxRequests();
        this.offloads = device.offloads();
        this.emitter = new FrameEmitter(device, counters, mac, assignment);
        this.fragmenter = new Fragmenter(device, emitter, counters, held, mtu);
        // RFC 6864 §4.1 / RFC 7739 §5.3: per-destination counters, so IDs leak nothing about other traffic.
        this.identification = new Ipv4Identification(config.seed());
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    long nowNs()
    {
        return nowNs;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Ipv4Sender
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public MutableDirectBuffer claim(final int dstAddr, final int protocol, final int payloadLength,
        final boolean dontFragment)
    {
        if (claimMode != NONE)
        {
            throw new IllegalStateException("a datagram claim is already open");
        }
        lastRefusal = Refusal.NONE;
        final int mtu = mtu();
        final int total = Ipv4Packet.MIN_HEADER_LENGTH + payloadLength;
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD || (dontFragment && total > mtu))
        {
            counters.increment(InterfaceCounter.IPV4_TOO_BIG);
            return refuse(Refusal.TOO_BIG);
        }
        final int hop = nextHop(dstAddr);
        if (hop == 0)
        {
            counters.increment(InterfaceCounter.IPV4_NO_ROUTE);
            return refuse(Refusal.NO_ROUTE);
        }
        claimDst = dstAddr;
        claimProtocol = protocol;
        claimLength = payloadLength;
        claimDontFragment = dontFragment;
        claimHop = hop;

        final long dstMac = groupMac(dstAddr);
        if (dstMac != 0)
        {
            claimMac = dstMac;
        }
        else
        {
            final int slot = neighbours.find(hop);
            final int state = slot < 0 ? NeighbourCache.FREE : neighbours.state(slot);
            if (state == NeighbourCache.FAILED)
            {
                return refuse(Refusal.NEIGHBOUR_UNREACHABLE);
            }
            if (state != NeighbourCache.REACHABLE || held.holdsFor(hop))
            {
                return claimHeld(hop, slot);
            }
            claimMac = neighbours.mac(slot);
        }

        if (!fragmenter.resume())
        {
            return refuse(Refusal.DEVICE_BUSY);
        }
        if (total <= mtu)
        {
            final int options = total + nextOptionsLength <= mtu ? nextOptionsLength : 0;
            final MutableDirectBuffer frame = device.claim(EthernetFrame.HEADER_LENGTH + total + options);
            if (frame == null)
            {
                return refuse(Refusal.DEVICE_BUSY);
            }
            claimMode = DIRECT;
            claimBuffer = frame;
            claimOptionsLength = options;
            if (options > 0)
            {
                frame.putBytes(FRAME_HEADERS, nextOptions, 0, options);
            }
            claimPayloadOffset = FRAME_HEADERS + options;
        }
        else
        {
            claimMode = STAGED;
            claimBuffer = staging;
            claimPayloadOffset = 0;
        }
        return claimBuffer;
    }

    /**
     * As {@link #claim}, with {@code length} bytes of IPv4 options (a multiple of 4) in the header when the datagram
     * leaves at once in one frame; when it must wait for ARP or be fragmented it goes without them (the options this
     * is used for, a reflected Record Route, are not copied into fragments anyway, RFC 791 §3.1).
     * {@link #claimedOptionsLength()} tells which.
     */
    MutableDirectBuffer claimWithOptions(final int dstAddr, final int protocol, final int payloadLength,
        final boolean dontFragment, final DirectBuffer options, final int length)
    {
        nextOptions = options;
        nextOptionsLength = length;
        try
        {
            claimOptionsLength = 0;
            return claim(dstAddr, protocol, payloadLength, dontFragment);
        }
        finally
        {
            nextOptions = null;
            nextOptionsLength = 0;
        }
    }

    /** The options length of the open claim (0 unless {@link #claimWithOptions} could place them). */
    int claimedOptionsLength()
    {
        return claimMode == DIRECT ? claimOptionsLength : 0;
    }

    @Override
    public boolean offloadsChecksum()
    {
        return Offloads.checksum(offloads);
    }

    @Override
    public boolean gathers()
    {
        return Offloads.checksum(offloads) && device.gathers();
    }

    /**
     * The OFFLOADED claim's datagram with its payload gathered by the device: IPv4 header as {@link #commit}, then
     * the claimed head ({@code headLength} transport bytes) and the tail's runs in one device write.
     */
    @Override
    public void commitGather(final int headLength, final DirectBuffer tail, final int offset1, final int length1,
        final int offset2, final int length2)
    {
        final int mode = claimMode;
        claimMode = NONE;
        try
        {
            if (mode != OFFLOADED || headLength + length1 + length2 != claimLength)
            {
                if (mode == OFFLOADED)
                {
                    device.abort();
                }
                throw new IllegalStateException(mode != OFFLOADED ? "no offloaded datagram claim" :
                    "gathered " + (headLength + length1 + length2) + " bytes of a " + claimLength + "-byte claim");
            }
            emitter.writeIpv4Headers(claimBuffer, claimMac, claimDst, claimProtocol, claimLength, true,
                identification.next(claimDst, claimProtocol), false, 0);
            emitter.sendGather(FRAME_HEADERS + headLength, txMetadata, tail, offset1, length1, offset2, length2);
            counters.increment(InterfaceCounter.IPV4_SENT);
        }
        finally
        {
            claimBuffer = null;
            claimOptionsLength = 0;
        }
    }

    @Override
    public boolean offloadsTcpSegmentation()
    {
        return Offloads.tcpSegmentation(offloads);
    }

    @Override
    public boolean offloadsUdpSegmentation()
    {
        return Offloads.udpSegmentation(offloads);
    }

    /**
     * See {@link Ipv4Sender#claimOffloaded}. Only a unicast datagram whose next hop is resolved, with nothing held
     * for it and no fragmentation under way, goes this way: everything else is refused as
     * {@link Refusal#OFFLOAD_UNAVAILABLE} and takes the plain path, which resolves, holds and orders as before.
     * Never fragmented: DF is set (RFC 791), the device cuts a super-frame at transport level instead.
     */
    @Override
    public MutableDirectBuffer claimOffloaded(final int dstAddr, final int protocol, final int payloadLength,
        final int transportHeaderLength, final int segmentSize, final int checksumOffset)
    {
        if (claimMode != NONE)
        {
            throw new IllegalStateException("a datagram claim is already open");
        }
        if (!Offloads.checksum(offloads))
        {
            throw new UnsupportedOperationException("the device has no checksum offload");
        }
        lastRefusal = Refusal.NONE;
        final int mtu = mtu();
        final int total = Ipv4Packet.MIN_HEADER_LENGTH + payloadLength;
        final boolean segmented = segmentSize > 0 && payloadLength - transportHeaderLength > segmentSize;
        if (payloadLength < transportHeaderLength || transportHeaderLength < 8 ||
            checksumOffset < 0 || checksumOffset + 2 > transportHeaderLength || payloadLength > MAX_PAYLOAD ||
            (segmented ? !segments(protocol) ||
                Ipv4Packet.MIN_HEADER_LENGTH + transportHeaderLength + segmentSize > mtu : total > mtu))
        {
            counters.increment(InterfaceCounter.IPV4_TOO_BIG);
            return refuse(Refusal.TOO_BIG);
        }
        final int hop = nextHop(dstAddr);
        final int slot = hop == 0 || groupMac(dstAddr) != 0 ? -1 : neighbours.find(hop);
        if (slot < 0 || neighbours.state(slot) != NeighbourCache.REACHABLE || held.holdsFor(hop) ||
            fragmenter.isActive())
        {
            return refuse(Refusal.OFFLOAD_UNAVAILABLE);
        }
        final MutableDirectBuffer frame = device.claim(EthernetFrame.HEADER_LENGTH + total);
        if (frame == null)
        {
            return refuse(Refusal.DEVICE_BUSY);
        }
        claimDst = dstAddr;
        claimProtocol = protocol;
        claimLength = payloadLength;
        claimDontFragment = true;
        claimHop = hop;
        claimMac = neighbours.mac(slot);
        claimMode = OFFLOADED;
        claimBuffer = frame;
        claimPayloadOffset = FRAME_HEADERS;
        final int gsoType = !segmented ? FrameMetadata.GSO_NONE
            : protocol == Ipv4Packet.PROTOCOL_UDP ? FrameMetadata.GSO_UDP_L4 : FrameMetadata.GSO_TCPV4;
        txMetadata.set(FrameMetadata.NEEDS_CSUM, gsoType,
            FRAME_HEADERS + transportHeaderLength, segmented ? segmentSize : 0, FRAME_HEADERS, checksumOffset);
        return frame;
    }

    /** Whether the device cuts super-frames of {@code protocol}: TCP with TSO4, UDP with USO4. */
    private boolean segments(final int protocol)
    {
        return protocol == Ipv4Packet.PROTOCOL_TCP ? Offloads.tcpSegmentation(offloads)
            : protocol == Ipv4Packet.PROTOCOL_UDP && Offloads.udpSegmentation(offloads);
    }

    @Override
    public int payloadOffset()
    {
        return claimPayloadOffset;
    }

    @Override
    public void commit()
    {
        final int mode = claimMode;
        // The claim ends here whatever the device does: a device that throws (it refused the frame) must not leave
        // the interface with a claim open, which would refuse every later datagram.
        claimMode = NONE;
        try
        {
            switch (mode)
            {
                case DIRECT:
                    emitter.writeIpv4Headers(claimBuffer, claimMac, claimDst, claimProtocol, claimLength,
                        claimDontFragment, identification.next(claimDst, claimProtocol), false, 0,
                        claimOptionsLength);
                    emitter.send(FRAME_HEADERS + claimOptionsLength + claimLength);
                    claimOptionsLength = 0;
                    counters.increment(InterfaceCounter.IPV4_SENT);
                    break;
                case OFFLOADED:
                    emitter.writeIpv4Headers(claimBuffer, claimMac, claimDst, claimProtocol, claimLength, true,
                        identification.next(claimDst, claimProtocol), false, 0);
                    emitter.send(FRAME_HEADERS + claimLength, txMetadata);
                    counters.increment(InterfaceCounter.IPV4_SENT);
                    break;
                case STAGED:
                    fragmenter.start(staging, claimLength, claimDst, claimProtocol,
                        identification.next(claimDst, claimProtocol), claimMac, -1, mtu());
                    counters.increment(InterfaceCounter.IPV4_SENT);
                    break;
                case HELD:
                    held.commit(claimSlot, claimHop, claimDst, claimProtocol, claimLength, claimDontFragment);
                    break;
                default:
                    throw new IllegalStateException("no open datagram claim");
            }
        }
        finally
        {
            claimBuffer = null;
            claimOptionsLength = 0;
        }
    }

    @Override
    public void abort()
    {
        if (claimMode == DIRECT || claimMode == OFFLOADED)
        {
            device.abort();
        }
        else if (claimMode == HELD)
        {
            held.abort(claimSlot);
        }
        claimMode = NONE;
        claimBuffer = null;
    }

    @Override
    public Refusal lastRefusal()
    {
        return lastRefusal;
    }

    @Override
    public int sourceAddress()
    {
        return assignment.address();
    }

    @Override
    public int mtu()
    {
        return assignment.effectiveMtu(linkMtu);
    }

    // ---------------------------------------------------------------------------------------------------------
    // ARP
    // ---------------------------------------------------------------------------------------------------------

    /** Sends one ARP packet; false when the device had no room. */
    boolean dispatchArp(final int operation, final long dstMac, final long targetMac, final int targetIp)
    {
        return emitter.dispatchArp(operation, dstMac, assignment.address(), targetMac, targetIp);
    }

    /** Sends an ARP probe for {@code targetIp}: a request with sender address 0.0.0.0 (RFC 5227 §2.1.1). */
    boolean dispatchArpProbe(final int targetIp)
    {
        return emitter.dispatchArp(ArpPacket.OPERATION_REQUEST, MacAddress.BROADCAST, 0, MacAddress.ZERO, targetIp);
    }

    /**
     * Records what an ARP packet taught us (RFC 826 "merge"): an existing entry is refreshed; a new one is added
     * only when {@code create} (the packet was addressed to us).
     */
    void learn(final int ip, final long hwAddress, final boolean create)
    {
        if (neighbours.find(ip) < 0)
        {
            if (!create)
            {
                return;
            }
            makeRoom();
        }
        neighbours.addReachable(ip, hwAddress, nowNs + neighbourTtlNs);
    }

    boolean knows(final int ip)
    {
        return neighbours.find(ip) >= 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Poll phases
    // ---------------------------------------------------------------------------------------------------------

    /** Continues an unfinished fragmentation and sends held datagrams whose next hop is now known. */
    boolean flush()
    {
        if (!fragmenter.resume())
        {
            return false;
        }
        final int mtu = mtu();
        int i = 0;
        while (i < held.count())
        {
            final int slot = held.slotAt(i);
            final int n = neighbours.find(held.nextHop(slot));
            if (n < 0 || neighbours.state(n) != NeighbourCache.REACHABLE)
            {
                i++;
                continue;
            }
            final int length = held.length(slot);
            final int total = Ipv4Packet.MIN_HEADER_LENGTH + length;
            if (total <= mtu)
            {
                final MutableDirectBuffer frame = device.claim(EthernetFrame.HEADER_LENGTH + total);
                if (frame == null)
                {
                    return false;
                }
                emitter.writeIpv4Headers(frame, neighbours.mac(n), held.dstAddr(slot), held.protocol(slot), length,
                    held.dontFragment(slot), identification.next(held.dstAddr(slot), held.protocol(slot)), false, 0);
                frame.putBytes(FRAME_HEADERS, held.buffer(slot), 0, length);
                emitter.send(FRAME_HEADERS + length);
                held.release(held.removeAt(i));
            }
            else
            {
                held.removeAt(i);
                fragmenter.start(held.buffer(slot), length, held.dstAddr(slot), held.protocol(slot),
                    identification.next(held.dstAddr(slot), held.protocol(slot)), neighbours.mac(n), slot, mtu);
                if (fragmenter.isActive())
                {
                    counters.increment(InterfaceCounter.IPV4_SENT);
                    return false;
                }
            }
            counters.increment(InterfaceCounter.IPV4_SENT);
        }
        return true;
    }

    /** ARP retries, giving up on silent neighbours, expiry. Returns whether anything was done. */
    boolean onTimers()
    {
        boolean worked = false;
        for (int slot = 0; slot < neighbours.capacity(); slot++)
        {
            final int state = neighbours.state(slot);
            if (state == NeighbourCache.FREE || !Deadline.isDue(neighbours.deadlineNs(slot), nowNs))
            {
                continue;
            }
            worked = true;
            if (state == NeighbourCache.INCOMPLETE)
            {
                if (neighbours.requestsSent(slot) >= arpMaxRequests)
                {
                    final int hop = neighbours.address(slot);
                    neighbours.fail(slot, nowNs + arpRetryIntervalNs * arpMaxRequests);
                    counters.increment(InterfaceCounter.NEIGHBOUR_UNREACHABLE);
                    counters.add(InterfaceCounter.NEIGHBOUR_HELD_DROPPED, held.dropFor(hop));
                }
                else
                {
                    dispatchRequest(slot);
                }
            }
            else if (state == NeighbourCache.REACHABLE && held.holdsFor(neighbours.address(slot)))
            {
                // Expired while datagrams wait for it (the device was busy): resolve it again for them.
                neighbours.restart(slot, nowNs);
                dispatchRequest(slot);
            }
            else
            {
                // REACHABLE entries expire and are resolved anew on next use; FAILED ones end their hold-down.
                neighbours.remove(slot);
            }
        }
        return worked;
    }

    /** The next time {@link #onTimers()} or {@link #flush()} has something to do. */
    long pollAtNs()
    {
        if (fragmenter.isActive())
        {
            return nowNs;
        }
        long at = Deadline.NEVER;
        for (int slot = 0; slot < neighbours.capacity(); slot++)
        {
            if (neighbours.state(slot) != NeighbourCache.FREE)
            {
                at = Deadline.earliest(at, neighbours.deadlineNs(slot));
            }
        }
        for (int i = 0; i < held.count(); i++)
        {
            final int n = neighbours.find(held.nextHop(held.slotAt(i)));
            if (n >= 0 && neighbours.state(n) == NeighbourCache.REACHABLE)
            {
                return nowNs;
            }
        }
        return at;
    }

    boolean isOnLink(final int dst)
    {
        final int netmask = assignment.netmask();
        return (dst & netmask) == (assignment.address() & netmask);
    }

    boolean isBroadcast(final int dst)
    {
        return dst == Ipv4Address.BROADCAST || dst == assignment.directedBroadcast();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    private MutableDirectBuffer refuse(final Refusal refusal)
    {
        lastRefusal = refusal;
        return null;
    }

    /** The next hop for {@code dst}: itself when on-link or a broadcast, else the gateway; 0 for no route. */
    private int nextHop(final int dst)
    {
        final int address = assignment.address();
        if (dst == 0 || dst == address || Ipv4Address.isLoopback(dst))
        {
            return 0;
        }
        if (isBroadcast(dst) || Ipv4Address.isMulticast(dst))
        {
            return dst;
        }
        if (address == 0)
        {
            // Unassigned: only broadcasts leave, from 0.0.0.0 (a DHCP client's, RFC 2131 §4.1); no unicast, which
            // would need an ARP request with a source address we do not have.
            return 0;
        }
        return isOnLink(dst) ? dst : assignment.gateway();
    }

    /** The MAC of a broadcast or multicast destination (RFC 1112 §6.4), or 0 for a unicast one. */
    private long groupMac(final int dst)
    {
        if (isBroadcast(dst))
        {
            return MacAddress.BROADCAST;
        }
        if (Ipv4Address.isMulticast(dst))
        {
            return 0x0100_5E00_0000L | (dst & 0x7F_FFFF);
        }
        return 0;
    }

    private MutableDirectBuffer claimHeld(final int hop, final int neighbourSlot)
    {
        if (neighbourSlot < 0)
        {
            makeRoom();
            dispatchRequest(neighbours.addIncomplete(hop, nowNs));
        }
        final int slot = held.claim(hop);
        if (slot < 0)
        {
            counters.increment(InterfaceCounter.NEIGHBOUR_QUEUE_FULL);
            return refuse(Refusal.NEIGHBOUR_PENDING);
        }
        claimMode = HELD;
        claimSlot = slot;
        claimBuffer = held.buffer(slot);
        claimPayloadOffset = 0;
        return claimBuffer;
    }

    private void dispatchRequest(final int slot)
    {
        // RFC 1122 §2.3.2.1: at most one request per second per destination; a busy device retries next poll.
        if (dispatchArp(ArpPacket.OPERATION_REQUEST, MacAddress.BROADCAST, MacAddress.ZERO, neighbours.address(slot)))
        {
            counters.increment(InterfaceCounter.ARP_REQUESTS_SENT);
            neighbours.requestSent(slot, nowNs + arpRetryIntervalNs);
        }
    }

    private void makeRoom()
    {
        if (neighbours.isFull())
        {
            final int victim = neighbours.victim();
            counters.add(InterfaceCounter.NEIGHBOUR_HELD_DROPPED, held.dropFor(neighbours.address(victim)));
            neighbours.remove(victim);
            counters.increment(InterfaceCounter.NEIGHBOUR_CACHE_EVICTIONS);
        }
    }

}
