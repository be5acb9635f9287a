package io.conntest.stack.socket;

import io.conntest.stack.iface.IpProtocolHandler;
import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.iface.Ipv6Sender;
import io.conntest.stack.iface.UnclaimedArrivals;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Random;

/**
 * UDP (RFC 768) for an interface, over IPv4 and IPv6 (RFC 8200 §8) on the same sockets: the table of
 * {@link UdpSocket}s demultiplexed by local port (bounded, one table for both families), checksum verification (over
 * IPv6 the pseudo-header of RFC 8200 §8.1, and a zero checksum is dropped), delivery, ICMP and ICMPv6 errors turned
 * into socket errors, and the sending of every queued datagram on each poll. Register it with the interface's
 * {@code addProtocol}. Single-threaded; no allocation per datagram on either family.
 */
public final class UdpSockets implements IpProtocolHandler
{
    /** RFC 6056 §2.1 / IANA: the dynamic port range used for ephemeral ports. */
    public static final int EPHEMERAL_FIRST = 49_152;
    public static final int EPHEMERAL_LAST = 65_535;
    public static final int DEFAULT_MAX_SOCKETS = 1024;
    public static final int DEFAULT_QUEUE_BYTES = 256 * 1024;
    private static final long NEIGHBOUR_RECHECK_NS = 1_000_000L;

    private final int maxSockets;
    private final Int2ObjectHashMap<UdpSocket> byPort;
    private final UdpSocket[] sendList;
    private final UdpSocket[] writable;
    /**
     * Sockets that queued datagrams this poll (or still hold some), told in {@link #deliver}. Sized for the open
     * sockets plus as many closed ones still listed (a closed socket leaves the list at the next delivery).
     */
    private final UdpSocket[] readyList;
    private int readyListSize;
    private final Random random;
    private final UdpPacket udp = new UdpPacket();
    private final UdpRepr udpRepr = new UdpRepr();
    /** The flyweights of {@link #sendNow}, apart from dispatch's (a send may come from a callback of any phase). */
    private final UdpPacket directUdp = new UdpPacket();
    /** Where the checksum is in a UDP header (RFC 768). */
    private static final int UDP_CHECKSUM_OFFSET = 6;
    /** RFC 792: destination unreachable, code 4 "fragmentation needed and DF set". */
    private static final int ICMP_DESTINATION_UNREACHABLE = 3;
    private static final int ICMP_FRAGMENTATION_NEEDED = 4;
    /** Super-datagrams handed to the device to cut (USO). */
    private long segmentedSends;
    /** The IPv6 side of the interface, attached once when the interface adds this handler; null when none. */
    private Ipv6Sender ipv6;
    /** An IPv6 header and a UDP header: what a datagram adds to its payload on the link. */
    private static final int IPV6_UDP_HEADERS = Ipv6Packet.HEADER_LENGTH + UdpPacket.HEADER_LENGTH;
    /** RFC 4443 §3.2: Packet Too Big. */
    private static final int ICMPV6_PACKET_TOO_BIG = 2;
    /** Outcomes of sending the head of a send queue over IPv6. */
    private static final int OUT_SENT = 0;
    private static final int OUT_BUSY = 1;
    private static final int OUT_PENDING = 2;
    private static final int OUT_FAILED = 3;
    /**
     * How long the head IPv6 datagram of a queue may wait for its next hop before it fails with EHOSTUNREACH: address
     * resolution gives up after MAX_MULTICAST_SOLICIT (3) solicitations RetransTimer (1 s) apart (RFC 4861 §7.2.2,
     * §7.3.3), with a margin. The host holds no datagram that needs fragments for an unresolved neighbour and starts
     * resolving it again at every try, so without this bound the queue would wait for ever.
     */
    static final long IPV6_NEIGHBOUR_GIVE_UP_NS = 3_500_000_000L;
    private final UdpRepr directRepr = new UdpRepr();
    /** The interface, known from the first dispatch: where {@link #sendNow} claims frames. */
    private Ipv4Sender sender;
    private int sendListSize;
    /** Sockets of the send list whose head datagram waits for ARP: nothing to do until a frame arrives. */
    private int waitingForNeighbour;
    private int open;

    private long malformed;
    private long badChecksum;
    private long noSocket;
    private long icmpErrors;
    private long zeroChecksumIpv6;
    private long ipv6NeighbourGiveUps;
    private UnclaimedArrivals unclaimed;

    /** Where datagrams for no socket are noted (for a prober's question, which of its probes arrived); null: nowhere. */
    public void unclaimedArrivals(final UnclaimedArrivals log)
    {
        this.unclaimed = log;
    }

    public UdpSockets()
    {
        this(DEFAULT_MAX_SOCKETS, System.nanoTime());
    }

    /**
     * @param maxSockets sockets open at once at most.
     * @param seed       of the ephemeral port choice.
     */
    public UdpSockets(final int maxSockets, final long seed)
    {
        this.maxSockets = maxSockets;
        this.byPort = new Int2ObjectHashMap<>(Math.max(8, maxSockets * 2), 0.65f);
        this.sendList = new UdpSocket[maxSockets];
        this.writable = new UdpSocket[maxSockets];
        this.readyList = new UdpSocket[2 * maxSockets];
        this.random = new Random(seed);
    }

    /** Opens an unbound socket with 256 KiB send and receive queues. */
    public UdpSocket open(final UdpSocketListener listener)
    {
        return open(listener, DEFAULT_QUEUE_BYTES, DEFAULT_QUEUE_BYTES);
    }

    /**
     * Opens an unbound socket.
     *
     * @param sendQueueBytes    bound of the send queue (each datagram takes its length plus 16 bytes, rounded to 16).
     * @param receiveQueueBytes bound of the receive queue, likewise.
     * @throws IllegalStateException when {@code maxSockets} are open.
     */
    public UdpSocket open(final UdpSocketListener listener, final int sendQueueBytes, final int receiveQueueBytes)
    {
        if (open >= maxSockets)
        {
            throw new IllegalStateException("too many UDP sockets (max " + maxSockets + ")");
        }
        open++;
        return new UdpSocket(this, sendQueueBytes, receiveQueueBytes, listener);
    }

    /** Datagrams dropped because the UDP length field was bad. */
    public long malformed()
    {
        return malformed;
    }

    public long badChecksum()
    {
        return badChecksum;
    }

    /** Datagrams for a port no socket is bound to (answered by ICMP port unreachable unless broadcast). */
    public long noSocket()
    {
        return noSocket;
    }

    /**
     * IPv6 datagrams dropped because their checksum field was zero: over IPv6 the checksum is mandatory (RFC 8200
     * §8.1; the RFC 6935/6936 exception is for tunnels, which this stack does not speak). Counted apart from
     * {@link #badChecksum()}, which counts the ones of both families that do not verify.
     */
    public long zeroChecksumIpv6()
    {
        return zeroChecksumIpv6;
    }

    /**
     * IPv6 datagrams that failed with EHOSTUNREACH after waiting {@link #IPV6_NEIGHBOUR_GIVE_UP_NS} for their next
     * hop to be resolved.
     */
    public long ipv6NeighbourGiveUps()
    {
        return ipv6NeighbourGiveUps;
    }

    /** ICMP and ICMPv6 errors received about datagrams we sent. */
    public long icmpErrors()
    {
        return icmpErrors;
    }

    public int openSockets()
    {
        return open;
    }

    // ---------------------------------------------------------------------------------------------------------
    // IpProtocolHandler
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public int protocol()
    {
        return Ipv4Packet.PROTOCOL_UDP;
    }

    private int rxTtl = -1;
    private int rxTos = -1;

    @Override
    public void onIpHeader(final int ttl, final int tos)
    {
        rxTtl = ttl;
        rxTos = tos;
    }

    @Override
    public boolean processDatagram(final int srcAddr, final int dstAddr, final DirectBuffer buffer, final int offset,
        final int length, final long nowNs)
    {
        return processDatagram(srcAddr, dstAddr, buffer, offset, length, false, nowNs);
    }

    /** With {@code checksumTrusted} (offloads) the checksum field may hold a partial sum: it is not verified. */
    @Override
    public boolean processDatagram(final int srcAddr, final int dstAddr, final DirectBuffer buffer, final int offset,
        final int length, final boolean checksumTrusted, final long nowNs)
    {
        // Malformed or corrupted datagrams are "handled" (true): they are dropped silently, never answered.
        if (!udp.wrapChecked(buffer, offset, length))
        {
            malformed++;
            return true;
        }
        if (!udpRepr.parse(udp, srcAddr, dstAddr, !checksumTrusted))
        {
            badChecksum++;
            return true;
        }
        final UdpSocket socket = byPort.get(udpRepr.destinationPort());
        if (socket == null)
        {
            noSocket++;
            if (unclaimed != null)
            {
                unclaimed.record(srcAddr, Ipv4Packet.PROTOCOL_UDP, udpRepr.destinationPort(), nowNs);
            }
            return false;
        }
        socket.onDatagram(srcAddr, udpRepr.sourcePort(), rxTtl, rxTos, udp.buffer(), udp.payloadOffset(),
            udp.payloadLength());
        return true;
    }

    @Override
    public void attachIpv6(final Ipv6Sender sender)
    {
        this.ipv6 = sender;
    }

    /** An IPv6 datagram for one of our unicast addresses (the host checked that); verified, then queued. */
    @Override
    public boolean processIpv6Datagram(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        return processIpv6Datagram(srcHi, srcLo, dstHi, dstLo, buffer, offset, length, false, nowNs);
    }

    /**
     * With {@code checksumTrusted} (offloads: the local kernel's datagram with its checksum left partial, or one the
     * device verified) neither the checksum nor its zero test applies: the field may hold a partial sum.
     */
    @Override
    public boolean processIpv6Datagram(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final DirectBuffer buffer, final int offset, final int length, final boolean checksumTrusted,
        final long nowNs)
    {
        // As over IPv4, malformed or corrupted datagrams are dropped silently (true: no port unreachable for them).
        if (!udp.wrapChecked(buffer, offset, length))
        {
            malformed++;
            return true;
        }
        if (!checksumTrusted && udp.checksum() == 0)
        {
            zeroChecksumIpv6++;
            return true;
        }
        if (!udpRepr.parseIpv6(udp, srcHi, srcLo, dstHi, dstLo, !checksumTrusted))
        {
            badChecksum++;
            return true;
        }
        final UdpSocket socket = byPort.get(udpRepr.destinationPort());
        if (socket == null)
        {
            noSocket++;
            return false;
        }
        socket.onDatagram6(srcHi, srcLo, udpRepr.sourcePort(), rxTtl, rxTos, udp.buffer(), udp.payloadOffset(),
            udp.payloadLength());
        return true;
    }

    /**
     * An ICMPv6 error about a datagram we sent (RFC 4443 §3): the socket of the quoted source port gets it as the
     * errno Linux gives it ({@link Errno#fromIcmpv6}); a Packet Too Big also lowers the socket's smallest next-hop
     * MTU (RFC 8201), as IPv4's "fragmentation needed" does.
     */
    @Override
    public void onIcmpv6Error(final int icmpType, final int icmpCode, final long reporterHi, final long reporterLo,
        final long dstHi, final long dstLo, final DirectBuffer quoted, final int offset, final int length,
        final int mtu, final long nowNs)
    {
        if (length < UdpPacket.HEADER_LENGTH)
        {
            return;
        }
        final int errno = Errno.fromIcmpv6(icmpType, icmpCode);
        final int localPort = quoted.getShort(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int remotePort = quoted.getShort(offset + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final UdpSocket socket = byPort.get(localPort);
        if (errno == 0 || socket == null)
        {
            return;
        }
        icmpErrors++;
        if (icmpType == ICMPV6_PACKET_TOO_BIG)
        {
            socket.onPacketTooBig(mtu, reporterHi, reporterLo);
        }
        socket.onIcmpv6Error(errno, icmpType, icmpCode, reporterHi, reporterLo, dstHi, dstLo, remotePort);
    }

    @Override
    public void onIcmpError(final int icmpType, final int icmpCode, final int reporter, final int srcAddr,
        final int dstAddr, final DirectBuffer quoted, final int offset, final int length, final int nextHopMtu,
        final long nowNs)
    {
        if (length < UdpPacket.HEADER_LENGTH)
        {
            return;
        }
        final int errno = Errno.fromIcmp(icmpType, icmpCode);
        final int localPort = quoted.getShort(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int remotePort = quoted.getShort(offset + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final UdpSocket socket = byPort.get(localPort);
        if (errno == 0 || socket == null)
        {
            return;
        }
        icmpErrors++;
        if (icmpType == ICMP_DESTINATION_UNREACHABLE && icmpCode == ICMP_FRAGMENTATION_NEEDED)
        {
            socket.onFragmentationNeeded(nextHopMtu, reporter);
        }
        socket.onIcmpError(errno, icmpType, icmpCode, reporter, dstAddr, remotePort);
    }

    @Override
    public void dispatch(final Ipv4Sender sender, final long nowNs)
    {
        this.sender = sender;
        final int size = sendListSize;
        waitingForNeighbour = 0;
        int kept = 0;
        int toNotify = 0;
        boolean deviceBusy = false;
        for (int i = 0; i < size; i++)
        {
            final UdpSocket socket = sendList[i];
            sendList[i] = null;
            if (socket.isOpen() && !deviceBusy)
            {
                deviceBusy = !drain(socket, sender, nowNs);
                if (socket.wantsWritable())
                {
                    writable[toNotify++] = socket;
                }
            }
            if (socket.isOpen() && !socket.sendQueue().isEmpty())
            {
                sendList[kept++] = socket;
            }
            else
            {
                socket.leaveSendList();
                if (!socket.isOpen())
                {
                    open--; // its place in the send list is free only now: see onClose
                }
            }
        }
        // Error listeners may have queued datagrams on sockets that were not in the list: they were appended.
        for (int i = size; i < sendListSize; i++)
        {
            sendList[kept++] = sendList[i];
            sendList[i] = null;
        }
        sendListSize = kept;
        for (int i = 0; i < toNotify; i++)
        {
            final UdpSocket socket = writable[i];
            writable[i] = null;
            socket.onWritable();
        }
    }

    @Override
    public void deliver(final long nowNs)
    {
        final int size = readyListSize;
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            final UdpSocket socket = readyList[i];
            readyList[i] = null;
            if (socket.deliver(nowNs))
            {
                // the owner left datagrams queued: tell it again on the next poll (which pollAtNs makes immediate)
                socket.markReady();
                readyList[kept++] = socket;
            }
        }
        // sockets that became ready during the callbacks (none from ingress, which is over) keep their places
        for (int i = size; i < readyListSize; i++)
        {
            readyList[kept++] = readyList[i];
            readyList[i] = null;
        }
        readyListSize = kept;
    }

    @Override
    public long pollAtNs(final long nowNs)
    {
        if (readyListSize > 0)
        {
            return nowNs;
        }
        if (sendListSize == 0)
        {
            return Long.MAX_VALUE;
        }
        // When every queue waits for a next hop, the ARP reply is a frame that wakes the loop anyway; until
        // then look again now and then rather than spin.
        return waitingForNeighbour >= sendListSize ? nowNs + NEIGHBOUR_RECHECK_NS : nowNs;
    }

    // ---------------------------------------------------------------------------------------------------------
    // For UdpSocket
    // ---------------------------------------------------------------------------------------------------------

    int bind(final UdpSocket socket, final int port)
    {
        if (port < 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("bad port " + port);
        }
        int chosen = port;
        if (chosen == 0)
        {
            // RFC 6056 §3.3.1, Algorithm 1: start at a random port of the range, take the next free one.
            final int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
            final int start = random.nextInt(range);
            for (int i = 0; i < range; i++)
            {
                final int candidate = EPHEMERAL_FIRST + (start + i) % range;
                if (!byPort.containsKey(candidate))
                {
                    chosen = candidate;
                    break;
                }
            }
            if (chosen == 0)
            {
                throw new IllegalStateException("no free ephemeral UDP port");
            }
        }
        else if (byPort.containsKey(chosen))
        {
            throw new IllegalStateException("UDP port " + chosen + " is in use (EADDRINUSE)");
        }
        byPort.put(chosen, socket);
        return chosen;
    }

    /**
     * Sends one datagram straight into a frame of the device (the one copy out: from the caller's buffer into the
     * frame), when the interface can take it now. False when it cannot (no dispatch yet, the next hop being
     * resolved or unreachable, the device busy): the caller queues it and dispatch sends it, or reports the error,
     * as for any queued datagram.
     */
    boolean sendNow(final UdpSocket socket, final int dstAddr, final int dstPort, final DirectBuffer src,
        final int offset, final int length)
    {
        final Ipv4Sender s = sender;
        if (s == null)
        {
            return false;
        }
        final MutableDirectBuffer buffer =
            s.claim(dstAddr, Ipv4Packet.PROTOCOL_UDP, UdpPacket.HEADER_LENGTH + length, socket.dontFragment());
        if (buffer == null)
        {
            return false;
        }
        directUdp.wrap(buffer, s.payloadOffset(), UdpPacket.HEADER_LENGTH + length);
        directRepr.set(socket.localPort(), dstPort, length).emit(directUdp, s.sourceAddress(), dstAddr, src, offset);
        s.commit();
        socket.onSent(length);
        return true;
    }

    /**
     * {@link #sendNow} over IPv6: the source chosen by the interface (RFC 6724), the checksum over the IPv6
     * pseudo-header. False when it cannot go now (before the first poll, no source address, DF and too big, no
     * route, the device busy): the caller queues it and dispatch sends it or reports the error.
     */
    boolean sendNow6(final UdpSocket socket, final long dstHi, final long dstLo, final int dstPort,
        final DirectBuffer src, final int offset, final int length)
    {
        final Ipv6Sender s = ipv6;
        if (s == null || sender == null || socket.dontFragment() && IPV6_UDP_HEADERS + length > s.mtu()
            || !s.selectSource(dstHi, dstLo))
        {
            return false;
        }
        final long srcHi = s.sourceHi();
        final long srcLo = s.sourceLo();
        final MutableDirectBuffer buffer =
            s.claim(srcHi, srcLo, dstHi, dstLo, Ipv6Packet.NEXT_HEADER_UDP, UdpPacket.HEADER_LENGTH + length);
        if (buffer == null)
        {
            return false;
        }
        directUdp.wrap(buffer, s.payloadOffset(), UdpPacket.HEADER_LENGTH + length);
        directRepr.set(socket.localPort(), dstPort, length).emitIpv6(directUdp, srcHi, srcLo, dstHi, dstLo, src,
            offset);
        s.commit();
        socket.onSent(length);
        return true;
    }

    /** Whether the interface's device cuts UDP super-datagrams (USO4). */
    boolean offloadsUdpSegmentation()
    {
        return sender != null && sender.offloadsUdpSegmentation();
    }

    /**
     * Sends {@code length} bytes as one UDP super-datagram the device cuts into datagrams of {@code segmentSize}
     * (USO): one UDP header with the whole length and only the pseudo-header sum, the data copied once into the
     * frame. False when it cannot go to the device now (then nothing was sent).
     */
    boolean sendSegmentedNow(final UdpSocket socket, final int dstAddr, final int dstPort, final DirectBuffer src,
        final int offset, final int length, final int segmentSize)
    {
        final Ipv4Sender s = sender;
        if (s == null || !s.offloadsUdpSegmentation())
        {
            return false;
        }
        final int udpLength = UdpPacket.HEADER_LENGTH + length;
        final MutableDirectBuffer buffer = s.claimOffloaded(dstAddr, Ipv4Packet.PROTOCOL_UDP, udpLength,
            UdpPacket.HEADER_LENGTH, segmentSize, UDP_CHECKSUM_OFFSET);
        if (buffer == null)
        {
            return false;
        }
        final int at = s.payloadOffset();
        buffer.putBytes(at + UdpPacket.HEADER_LENGTH, src, offset, length);
        directUdp.wrap(buffer, at, udpLength);
        directUdp.sourcePort(socket.localPort()).destinationPort(dstPort).udpLength(udpLength)
            .fillPseudoHeaderChecksum(s.sourceAddress(), dstAddr);
        s.commit();
        for (int sent = 0; sent < length; sent += segmentSize)
        {
            socket.onSent(Math.min(segmentSize, length - sent));
        }
        segmentedSends++;
        return true;
    }

    /** Super-datagrams handed to the device to cut (USO) so far. */
    public long segmentedSends()
    {
        return segmentedSends;
    }

    void onReadable(final UdpSocket socket)
    {
        readyList[readyListSize++] = socket;
    }

    void onSendQueued(final UdpSocket socket)
    {
        waitingForNeighbour = 0;
        sendList[sendListSize++] = socket;
    }

    void onClose(final UdpSocket socket)
    {
        if (socket.localPort() != 0)
        {
            byPort.remove(socket.localPort());
        }
        // A closed socket still in the send list keeps its place counted until dispatch drops it, so open sockets
        // plus listed closed ones never exceed maxSockets, the list's capacity (found by NetworkStackFuzzTest).
        if (!socket.inSendList())
        {
            open--;
        }
    }

    /** Sends the socket's queued datagrams; false when the device refused (stop sending this poll). */
    private boolean drain(final UdpSocket socket, final Ipv4Sender sender, final long nowNs)
    {
        final DatagramQueue queue = socket.sendQueue();
        while (!queue.isEmpty())
        {
            if (queue.peekIpv6())
            {
                final int outcome = sendHeadIpv6(socket, queue);
                if (outcome == OUT_BUSY)
                {
                    return false;
                }
                if (outcome == OUT_PENDING)
                {
                    if (!socket.waitingForIpv6Neighbour())
                    {
                        socket.waitForIpv6Neighbour(nowNs);
                    }
                    if (nowNs - socket.ipv6NeighbourWaitSinceNs() < IPV6_NEIGHBOUR_GIVE_UP_NS)
                    {
                        waitingForNeighbour++;
                        return true;
                    }
                    socket.stopWaitingForIpv6Neighbour();
                    ipv6NeighbourGiveUps++;
                    socket.onError6(Errno.EHOSTUNREACH, queue.peekHi(), queue.peekLo(), queue.peekPort());
                }
                else
                {
                    socket.stopWaitingForIpv6Neighbour();
                }
                if (!socket.isOpen())
                {
                    return true; // an error listener closed it, which emptied the queue
                }
                queue.pop();
                continue;
            }
            final int dstAddr = queue.peekAddress();
            final int dstPort = queue.peekPort();
            final int length = queue.peekLength();
            final MutableDirectBuffer buffer =
                sender.claim(dstAddr, Ipv4Packet.PROTOCOL_UDP, UdpPacket.HEADER_LENGTH + length,
                    socket.dontFragment());
            if (buffer == null)
            {
                switch (sender.lastRefusal())
                {
                    case DEVICE_BUSY:
                        return false;
                    case NEIGHBOUR_PENDING:
                        waitingForNeighbour++;
                        return true;
                    case NEIGHBOUR_UNREACHABLE:
                        socket.onError(Errno.EHOSTUNREACH, dstAddr, dstPort);
                        break;
                    case NO_ROUTE:
                        socket.onError(Errno.ENETUNREACH, dstAddr, dstPort);
                        break;
                    default:
                        socket.onError(Errno.EMSGSIZE, dstAddr, dstPort);
                        break;
                }
                if (!socket.isOpen())
                {
                    return true;
                }
                queue.pop();
                continue;
            }
            udp.wrap(buffer, sender.payloadOffset(), UdpPacket.HEADER_LENGTH + length);
            udpRepr.set(socket.localPort(), dstPort, length)
                .emit(udp, sender.sourceAddress(), dstAddr, queue.buffer(), queue.peekOffset());
            sender.commit();
            socket.onSent(length);
            queue.pop();
        }
        return true;
    }

    /** Sends the head datagram of {@code queue}, an IPv6 one, or reports why it cannot go: one of the outcomes. */
    private int sendHeadIpv6(final UdpSocket socket, final DatagramQueue queue)
    {
        final long dstHi = queue.peekHi();
        final long dstLo = queue.peekLo();
        final int dstPort = queue.peekPort();
        final int length = queue.peekLength();
        final Ipv6Sender s = ipv6;
        final int errno;
        if (s == null)
        {
            errno = Errno.ENETUNREACH;
        }
        else if (socket.dontFragment() && IPV6_UDP_HEADERS + length > s.mtu())
        {
            errno = Errno.EMSGSIZE; // IPV6_DONTFRAG: no fragments from this host
        }
        else if (!s.selectSource(dstHi, dstLo))
        {
            errno = Errno.EADDRNOTAVAIL;
        }
        else
        {
            final long srcHi = s.sourceHi();
            final long srcLo = s.sourceLo();
            final MutableDirectBuffer buffer =
                s.claim(srcHi, srcLo, dstHi, dstLo, Ipv6Packet.NEXT_HEADER_UDP, UdpPacket.HEADER_LENGTH + length);
            if (buffer != null)
            {
                udp.wrap(buffer, s.payloadOffset(), UdpPacket.HEADER_LENGTH + length);
                udpRepr.set(socket.localPort(), dstPort, length)
                    .emitIpv6(udp, srcHi, srcLo, dstHi, dstLo, queue.buffer(), queue.peekOffset());
                s.commit();
                socket.onSent(length);
                return OUT_SENT;
            }
            switch (s.lastRefusal())
            {
                case DEVICE_BUSY:
                    return OUT_BUSY;
                case NEIGHBOUR_PENDING:
                    return OUT_PENDING;
                case NEIGHBOUR_UNREACHABLE:
                    errno = Errno.EHOSTUNREACH;
                    break;
                case NO_ROUTE:
                    errno = Errno.ENETUNREACH;
                    break;
                default:
                    errno = Errno.EMSGSIZE;
                    break;
            }
        }
        socket.onError6(errno, dstHi, dstLo, dstPort);
        return OUT_FAILED;
    }
}
