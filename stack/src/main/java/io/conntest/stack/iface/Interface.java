package io.conntest.stack.iface;

import java.nio.ByteOrder;

import java.util.function.LongSupplier;

import io.conntest.stack.ipv6.Ipv6Host;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameHandler;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.phy.Offloads;
import io.conntest.stack.phy.SoftwareOffload;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.MacAddress;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One Ethernet interface with one IPv4 address on a {@link FrameDevice}: the stack's poll loop. Single-threaded:
 * every method is called from the thread that owns the device. No threads, no allocation per frame.
 *
 * <p>{@link #poll(long)} does, in order: a gratuitous ARP when the interface starts (RFC 5227 §2.3), a bounded
 * batch of ingress (Ethernet, ARP, IPv4 with reassembly, ICMP, delivery to the protocols), the datagrams held for
 * next hops that got resolved, the egress of every protocol (each must drain what it has), then timers (ARP
 * retries and expiry, reassembly timeouts). {@link #pollAtNs(long)} tells the owner when to poll next if no frame
 * arrives, so an idle instance can sleep.
 *
 * <p>Transport protocols register with {@link #addProtocol(IpProtocolHandler)} and send through this interface
 * as an {@link Ipv4Sender}.
 */
public final class Interface implements Ipv4Sender
{
    private final FrameDevice device;
    private final InterfaceConfig config;
    private final InterfaceCounters counters = new InterfaceCounters();
    private final Ipv4Egress egress;
    private final Ipv6Host ipv6;
    private final Ipv6Transports ipv6Transports;
    /** ICMPv6 errors are limited per destination by the same token buckets' rule as ICMPv4 ones. */
    private final IcmpErrorRateLimiter icmpv6Limiter = new IcmpErrorRateLimiter();
    private final Ipv4Ingress ingress;
    private final int mtu;
    private final long mac;
    /** The current IPv4 address (static from the config, or bound by DHCP at run time; 0 while unassigned). */
    private final Ipv4Assignment assignment;
    private final FrameHandler frameHandler = new FrameHandler()
    {
        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            ingressDatagrams++;
            Interface.this.onFrame(buffer, offset, length, false);
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length,
            final FrameMetadata metadata)
        {
            // A TCP super-frame (coalesced by the kernel, or sent whole by an offloading peer) is one IPv4 datagram
            // of up to 64 KB with its total length set: it goes up like any other; only the checksum flags matter.
            // A UDP one (GSO_UDP_L4) is many datagrams whose boundaries only gso_size keeps: split here, so every
            // socket sees the datagrams that were sent (each with a checksum computed by the split).
            if ((metadata.gsoType() & ~FrameMetadata.GSO_ECN) == FrameMetadata.GSO_UDP_L4)
            {
                counters.increment(InterfaceCounter.RX_UDP_SUPER_FRAMES);
                final int pieces = udpSplitter().resolve(buffer, offset, length, metadata, udpPieces);
                if (pieces < 0)
                {
                    counters.increment(InterfaceCounter.RX_UDP_SUPER_FRAME_MALFORMED);
                }
                ingressDatagrams += Math.max(1, pieces);
                return;
            }
            ingressDatagrams++;
            // IPv4 and IPv6 alike: a frame with its checksum left partial (NEEDS_CSUM) or vouched for goes up as
            // trusted, its transport checksum not verified in Java (a reassembled IPv6 packet never is)
            if (metadata.needsChecksum() && length >= EthernetFrame.HEADER_LENGTH
                && (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) == EthernetFrame.ETHERTYPE_IPV6)
            {
                counters.increment(InterfaceCounter.RX_IPV6_CHECKSUM_TRUSTED);
            }
            Interface.this.onFrame(buffer, offset, length, metadata.checksumTrusted());
        }
    };
    /** Each datagram of a split UDP super-datagram: its checksum was just computed, so it is trusted. */
    private final SoftwareOffload.Sink udpPieces = (buffer, offset, length) -> onFrame(buffer, offset, length, true);
    /** Made at the first UDP super-datagram (a 64 KB scratch frame), only on devices that hand such frames up. */
    private SoftwareOffload udpSplitter;
    /** Whether the device negotiated USO, so frames may be UDP super-datagrams ({@link #receiveBatch}). */
    private final boolean mayReceiveUdpSuperFrames;
    /** Datagrams received in this poll's batch: one per frame, each datagram of a split super-datagram. */
    private int ingressDatagrams;
    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final ArpRepr arpRepr = new ArpRepr();

    private IpProtocolHandler[] protocols = new IpProtocolHandler[0];
    /** The {@link Ipv4Assignment#changes()} the last announcement was for: each new address is announced once. */
    private int announcedChange = -1;
    private ArpObserver arpObserver;
    private long nowNs;
    private LongSupplier receiveClock;
    private long receivedAtNs;

    public Interface(final FrameDevice device, final InterfaceConfig config)
    {
        this.device = device;
        this.config = config;
        this.mtu = config.mtu() != 0 ? Math.min(config.mtu(), device.mtu()) : device.mtu();
        this.mac = config.mac();
        this.assignment = new Ipv4Assignment();
        if (config.address() != 0)
        {
            assignment.assign(config.address(), config.prefixLength(), config.gateway());
        }
        this.mayReceiveUdpSuperFrames = (device.offloads() & (Offloads.USO4 | Offloads.USO6)) != 0;
        this.egress = new Ipv4Egress(device, config, assignment, mtu, counters);
        this.ipv6 = new Ipv6Host(device, mac, config.seed(), mtu, length ->
        {
            counters.increment(InterfaceCounter.TX_FRAMES);
            counters.add(InterfaceCounter.TX_BYTES, length);
        }, icmpv6Limiter::tryAcquire);
        this.ingress = new Ipv4Ingress(config, assignment, egress, counters);
        this.ipv6Transports = new Ipv6Transports(ipv6);
    }

    /**
     * Plugs in a transport protocol (UDP, TCP). One handler per protocol number; ICMP belongs to the interface.
     *
     * @throws IllegalStateException when the protocol number is taken.
     */
    public void addProtocol(final IpProtocolHandler handler)
    {
        final int protocol = handler.protocol();
        if (protocol < 0 || protocol > 255 || protocol == Ipv4Packet.PROTOCOL_ICMP)
        {
            throw new IllegalArgumentException("cannot register protocol " + protocol);
        }
        if (ingress.handler(protocol) != null)
        {
            throw new IllegalStateException("protocol " + protocol + " already has a handler");
        }
        ingress.handler(protocol, handler);
        ipv6Transports.add(handler);
        final IpProtocolHandler[] grown = new IpProtocolHandler[protocols.length + 1];
        System.arraycopy(protocols, 0, grown, 0, protocols.length);
        grown[protocols.length] = handler;
        protocols = grown;
    }

    /**
     * The clock the frames read in a poll are stamped with (see {@link #receivedAtNs()}); null (the default) stamps
     * them with the poll's time, so a stack on a manual clock stays deterministic. The owner of a stack on the real
     * clock passes {@code System::nanoTime}: one reading per frame read.
     */
    public void receiveClock(final LongSupplier clock)
    {
        this.receiveClock = clock;
    }

    /**
     * When the newest frame of the current (or last) poll was read from the device, on the {@link #receiveClock}
     * (the poll's time without one, or when the poll read nothing). Read in the delivery phase, it is a receive
     * timestamp for what the sockets' owners take in: exact for the one frame of an idle poll; for a batch, never
     * before any of its frames was read (a probe in a batch is measured long rather than short, by at most the
     * batch's ingress).
     */
    public long receivedAtNs()
    {
        return receivedAtNs;
    }

    /** Receives ICMP echo replies (for a ping client); null to stop. */
    public void echoListener(final IcmpEchoListener listener)
    {
        ingress.echoListener(listener);
    }

    /**
     * Sends an ICMP echo request (RFC 792) with {@code length} bytes of data, fragmented if needed.
     *
     * @return false when it could not be sent now; {@link #lastRefusal()} says why.
     */
    public boolean sendEchoRequest(
        final int dstAddr, final int identifier, final int sequence, final DirectBuffer data, final int offset,
        final int length)
    {
        return ingress.dispatchEchoRequest(dstAddr, identifier, sequence, data, offset, length);
    }

    /**
     * One turn of the loop: bounded ingress, held datagrams, every protocol's egress, timers.
     *
     * @return whether anything was received, sent or timed out.
     */
    public boolean poll(final long nowNs)
    {
        this.nowNs = nowNs;
        this.receivedAtNs = nowNs;
        egress.nowNs(nowNs);
        ipv6Transports.nowNs(nowNs);
        final long txBefore = counters.get(InterfaceCounter.TX_FRAMES);
        boolean worked = false;
        if (announcedChange != assignment.changes())
        {
            announce();
        }
        egress.flush();
        final int received = receiveBatch();
        worked |= received > 0;
        egress.flush();
        final IpProtocolHandler[] handlers = protocols;
        // ingress, then delivery (the sockets' owners react, outside any datagram's processing), then egress of
        // everything, so a reply written during delivery leaves in this same poll
        for (final IpProtocolHandler handler : handlers)
        {
            handler.deliver(nowNs);
        }
        for (final IpProtocolHandler handler : handlers)
        {
            handler.dispatch(this, nowNs);
        }
        worked |= egress.onTimers();
        worked |= ingress.reassembler().onTimers(nowNs, ingress);
        worked |= ipv6.poll(nowNs);
        return worked || counters.get(InterfaceCounter.TX_FRAMES) != txBefore;
    }

    /** The time the next {@link #poll} is due if no frame arrives before; {@code nowNs} when at once. */
    public long pollAtNs(final long nowNs)
    {
        egress.nowNs(nowNs);
        if (announcedChange != assignment.changes())
        {
            return nowNs;
        }
        long at = Deadline.earliest(egress.pollAtNs(), ingress.reassembler().pollAtNs());
        at = Deadline.earliest(at, ipv6.pollAtNs(nowNs));
        for (final IpProtocolHandler handler : protocols)
        {
            at = Deadline.earliest(at, handler.pollAtNs(nowNs));
        }
        return at;
    }

    /**
     * RFC 5227 §2.3: announce a new address once (an ARP request with sender = target = our address), so neighbours
     * and bridges learn our MAC before we say anything else. Nothing to announce while unassigned.
     */
    private void announce()
    {
        final int address = assignment.address();
        if (address == 0)
        {
            announcedChange = assignment.changes();
            return;
        }
        if (egress.dispatchArp(ArpPacket.OPERATION_REQUEST, MacAddress.BROADCAST, MacAddress.ZERO, address))
        {
            announcedChange = assignment.changes();
            counters.increment(InterfaceCounter.GRATUITOUS_ARP_SENT);
        }
    }

    /**
     * The current IPv4 address assignment: the config's static address, or what a DHCP client binds (0.0.0.0,
     * unassigned, until then). Change it only from the interface's thread.
     */
    public Ipv4Assignment ipv4()
    {
        return assignment;
    }

    /** Receives every well-formed ARP packet (a DHCP client's RFC 5227 conflict detection); null to stop. */
    public void arpObserver(final ArpObserver observer)
    {
        this.arpObserver = observer;
    }

    /**
     * Sends an ARP probe for {@code address}: a request with sender address 0.0.0.0 (RFC 5227 §2.1.1), asking
     * whether anyone holds it without teaching anyone anything.
     *
     * @return false when the device had no room.
     */
    public boolean sendArpProbe(final int address)
    {
        final boolean sent = egress.dispatchArpProbe(address);
        if (sent)
        {
            counters.increment(InterfaceCounter.ARP_PROBES_SENT);
        }
        return sent;
    }

    public InterfaceCounters counters()
    {
        return counters;
    }

    public InterfaceConfig config()
    {
        return config;
    }

    public FrameDevice device()
    {
        return device;
    }

    public long mac()
    {
        return mac;
    }

    /** The last time given to {@link #poll(long)}. */
    public long nowNs()
    {
        return nowNs;
    }

    /** Reassemblies in progress (for tests and monitoring). */
    public int reassembliesInProgress()
    {
        return ingress.reassembler().activeCount();
    }

    /** Whether the neighbour cache has an entry (in any state) for {@code address}. */
    public boolean hasNeighbour(final int address)
    {
        return egress.knows(address);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Ipv4Sender, for the protocols
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public MutableDirectBuffer claim(final int dstAddr, final int protocol, final int payloadLength,
        final boolean dontFragment)
    {
        return egress.claim(dstAddr, protocol, payloadLength, dontFragment);
    }

    @Override
    public int payloadOffset()
    {
        return egress.payloadOffset();
    }

    @Override
    public boolean offloadsChecksum()
    {
        return egress.offloadsChecksum();
    }

    @Override
    public boolean offloadsTcpSegmentation()
    {
        return egress.offloadsTcpSegmentation();
    }

    @Override
    public boolean gathers()
    {
        return egress.gathers();
    }

    @Override
    public void commitGather(final int headLength, final DirectBuffer tail, final int offset1, final int length1,
        final int offset2, final int length2)
    {
        egress.commitGather(headLength, tail, offset1, length1, offset2, length2);
    }

    @Override
    public boolean offloadsUdpSegmentation()
    {
        return egress.offloadsUdpSegmentation();
    }

    @Override
    public MutableDirectBuffer claimOffloaded(final int dstAddr, final int protocol, final int payloadLength,
        final int transportHeaderLength, final int segmentSize, final int checksumOffset)
    {
        return egress.claimOffloaded(dstAddr, protocol, payloadLength, transportHeaderLength, segmentSize,
            checksumOffset);
    }

    @Override
    public void commit()
    {
        egress.commit();
    }

    @Override
    public void abort()
    {
        egress.abort();
    }

    @Override
    public Refusal lastRefusal()
    {
        return egress.lastRefusal();
    }

    @Override
    public int sourceAddress()
    {
        return assignment.address();
    }

    /** The MTU datagrams are sent with: the device's or the configured one, lowered by a DHCP lease's. */
    @Override
    public int mtu()
    {
        return assignment.effectiveMtu(mtu);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Ingress
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Reads up to {@link InterfaceConfig#ingressBatch()} frames. On a device that may hand up UDP super-datagrams
     * (USO) one frame can be 44 datagrams, so the batch counts datagrams and frames are read one at a time until it
     * is full: otherwise a batch of 64 super-datagrams (4 MB) would overflow the sockets' receive queues before the
     * delivery phase. (The device's read that finds nothing ends the loop, as it ends a batch read: no extra call.)
     */
    private int receiveBatch()
    {
        final int batch = config.ingressBatch();
        if (!mayReceiveUdpSuperFrames)
        {
            return device.receive(frameHandler, batch);
        }
        ingressDatagrams = 0;
        int received = 0;
        while (ingressDatagrams < batch && device.receive(frameHandler, 1) == 1)
        {
            received++;
        }
        return received;
    }

    private SoftwareOffload udpSplitter()
    {
        if (udpSplitter == null)
        {
            udpSplitter = new SoftwareOffload(mtu + EthernetFrame.HEADER_LENGTH);
        }
        return udpSplitter;
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length, final boolean checksumTrusted)
    {
        final LongSupplier clock = receiveClock;
        if (clock != null)
        {
            // right after the device's read returned this frame, before any of its processing
            receivedAtNs = clock.getAsLong();
        }
        counters.increment(InterfaceCounter.RX_FRAMES);
        counters.add(InterfaceCounter.RX_BYTES, length);
        if (!eth.wrapChecked(buffer, offset, length))
        {
            counters.increment(InterfaceCounter.ETHERNET_MALFORMED);
            return;
        }
        final long dst = eth.destination();
        final boolean linkBroadcast = MacAddress.isBroadcast(dst);
        if (dst != mac && !linkBroadcast && !ipv6.joined(dst))
        {
            counters.increment(InterfaceCounter.ETHERNET_NOT_FOR_US);
            return;
        }
        if (eth.source() == mac)
        {
            counters.increment(InterfaceCounter.ETHERNET_OWN_SOURCE);
            return;
        }
        switch (eth.etherType())
        {
            case EthernetFrame.ETHERTYPE_IPV4:
                ingress.processIpv4(eth.buffer(), EthernetFrame.HEADER_LENGTH, eth.payloadLength(), linkBroadcast,
                    checksumTrusted, nowNs);
                break;
            case EthernetFrame.ETHERTYPE_ARP:
                processArp(eth.buffer(), EthernetFrame.HEADER_LENGTH, eth.payloadLength());
                break;
            case EthernetFrame.ETHERTYPE_IPV6:
                ipv6.process(eth.buffer(), EthernetFrame.HEADER_LENGTH, eth.payloadLength(), eth.source(),
                    MacAddress.isGroup(dst), checksumTrusted, nowNs);
                break;
            default:
                counters.increment(InterfaceCounter.ETHERNET_UNKNOWN_TYPE);
        }
    }

    /** The link-local IPv6 address (RFC 4291 modified EUI-64 of the MAC), as text: what answers ping -6. */
    public String ipv6LinkLocal()
    {
        return ipv6.linkLocal();
    }

    /** The interface's IPv6 side: its addresses (SLAAC, DAD), neighbour cache, router, counters. */
    public Ipv6Host ipv6()
    {
        return ipv6;
    }

    /** RFC 826's packet reception algorithm, with RFC 5227's view of address conflicts. */
    private void processArp(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!arp.wrapChecked(buffer, offset, length) || !arpRepr.parse(arp))
        {
            counters.increment(InterfaceCounter.ARP_MALFORMED);
            return;
        }
        final boolean request = arpRepr.operation() == ArpPacket.OPERATION_REQUEST;
        counters.increment(request ? InterfaceCounter.ARP_REQUESTS_RECEIVED : InterfaceCounter.ARP_REPLIES_RECEIVED);
        final int senderIp = arpRepr.senderIp();
        final long senderMac = arpRepr.senderMac();
        final ArpObserver observer = arpObserver;
        if (observer != null)
        {
            observer.onArp(arpRepr.operation(), senderIp, senderMac, arpRepr.targetIp());
        }
        final int address = assignment.address();
        if (address == 0)
        {
            // Unassigned: nothing to answer or defend; what a neighbour says teaches us nothing we could use.
            counters.increment(InterfaceCounter.ARP_NOT_FOR_US);
            return;
        }
        if (senderIp == address)
        {
            counters.increment(InterfaceCounter.ARP_ADDRESS_CONFLICT);
            return;
        }
        final boolean forUs = arpRepr.targetIp() == address;
        // A probe (RFC 5227 §2.1.1) has sender address 0 and teaches nothing; a group sender MAC is bogus.
        if (senderIp != 0 && !MacAddress.isGroup(senderMac) && !egress.isBroadcast(senderIp))
        {
            egress.learn(senderIp, senderMac, forUs);
        }
        if (!forUs)
        {
            counters.increment(InterfaceCounter.ARP_NOT_FOR_US);
            return;
        }
        if (request && egress.dispatchArp(ArpPacket.OPERATION_REPLY, senderMac, senderMac, senderIp))
        {
            counters.increment(InterfaceCounter.ARP_REPLIES_SENT);
        }
    }
}
