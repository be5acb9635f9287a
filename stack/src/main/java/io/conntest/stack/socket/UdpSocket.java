package io.conntest.stack.socket;

import io.conntest.stack.wire.UdpPacket;
import org.agrona.DirectBuffer;

/**
 * A UDP socket (RFC 768) of a {@link UdpSockets}, for both families: bound to a port, it takes datagrams to that port
 * on the interface's IPv4 address and on its IPv6 ones (as a Linux socket on {@code ::} without IPV6_V6ONLY), sends
 * to IPv4 peers with {@link #sendTo} and to IPv6 ones with {@link #sendTo6}, and hands each received datagram to the
 * handler's method of its family. Non-blocking: {@link #sendTo} writes a datagram straight into a
 * frame of the device when nothing waits before it and the next hop is known (one copy out), else queues a copy
 * (false when the bounded send queue is full: try again after {@link UdpSocketListener#onWritable}) that the
 * interface sends on its next poll; received datagrams wait in a bounded queue (overflow is dropped and
 * counted) until {@link #receive}, and the owner hears of them in the poll's delivery phase
 * ({@link UdpSocketListener#onReadable(UdpSocket, long)}), never from inside a datagram's processing, as TCP's
 * sockets. Single-threaded: use it only from the interface's thread.
 */
public final class UdpSocket
{
    private final UdpSockets owner;
    private final DatagramQueue sendQueue;
    private final DatagramQueue receiveQueue;
    private final UdpSocketListener listener;
    private int localPort;
    private boolean open = true;
    private boolean inSendList;
    private boolean inReadyList;
    private boolean wantsWritable;
    private int pendingError;
    private int icmpErrorFrom;
    /** The last ICMP error came as ICMPv6, from {@link #icmpErrorFromHi}, {@link #icmpErrorFromLo}. */
    private boolean icmpErrorFromIpv6;
    private long icmpErrorFromHi;
    private long icmpErrorFromLo;
    /** ICMPv6 Packet Too Big messages about this socket's datagrams (RFC 4443 §3.2). */
    private long packetTooBig;
    /** The head IPv6 datagram of the send queue waits for its next hop, since {@link #ipv6WaitSinceNs}. */
    private boolean ipv6Waiting;
    private long ipv6WaitSinceNs;
    /** Path MTU probing (RFC 8899): DF on every datagram this socket sends, none fragmented here. */
    private boolean dontFragment;
    /** The smallest next-hop MTU of the ICMP "fragmentation needed" heard (RFC 1191 §4), 0 when none said one. */
    private int smallestNextHopMtu;
    private int nextHopMtuFrom;
    private long fragmentationNeeded;
    /** TTL and TOS byte of the datagram being handed over by {@link #receive}, -1 when unknown. */
    private int lastTtl = -1;
    private int lastTos = -1;

    private long datagramsSent;
    private long bytesSent;
    private long datagramsReceived;
    private long bytesReceived;
    private long receiveDrops;
    private long sendErrors;

    UdpSocket(final UdpSockets owner, final int sendCapacity, final int receiveCapacity,
        final UdpSocketListener listener)
    {
        this.owner = owner;
        this.sendQueue = new DatagramQueue(sendCapacity);
        this.receiveQueue = new DatagramQueue(receiveCapacity);
        this.listener = listener;
    }

    /**
     * Binds to a local port; 0 picks a free ephemeral one (RFC 6056).
     *
     * @return the bound port.
     * @throws IllegalStateException when already bound, closed, or the port is in use (EADDRINUSE).
     */
    public int bind(final int port)
    {
        if (!open)
        {
            throw new IllegalStateException("socket closed");
        }
        if (localPort != 0)
        {
            throw new IllegalStateException("already bound to port " + localPort);
        }
        localPort = owner.bind(this, port);
        return localPort;
    }

    /** The bound port, 0 while unbound. */
    public int localPort()
    {
        return localPort;
    }

    /**
     * Queues a datagram of {@code length} bytes (0 to 65,507) to {@code dstAddr:dstPort}; an unbound socket is
     * bound to an ephemeral port first.
     *
     * @return false when the send queue has no room now (would block): retry after {@code onWritable}.
     * @throws IllegalArgumentException for a datagram above 65,507 bytes or larger than the send queue.
     */
    public boolean sendTo(final int dstAddr, final int dstPort, final DirectBuffer src, final int offset,
        final int length)
    {
        if (!open)
        {
            throw new IllegalStateException("socket closed");
        }
        if (length < 0 || length > UdpPacket.MAX_PAYLOAD_LENGTH || !sendQueue.fitsEver(length))
        {
            throw new IllegalArgumentException("UDP datagram of " + length + " bytes is too big (max "
                + UdpPacket.MAX_PAYLOAD_LENGTH + ", send queue " + sendQueue.capacity() + " bytes)");
        }
        if (dstPort <= 0 || dstPort > 0xFFFF)
        {
            throw new IllegalArgumentException("bad destination port " + dstPort);
        }
        if (localPort == 0)
        {
            bind(0);
        }
        // nothing queued before it: straight into a frame (one copy), else in order behind the queue
        if (sendQueue.isEmpty() && owner.sendNow(this, dstAddr, dstPort, src, offset, length))
        {
            return true;
        }
        if (!sendQueue.offer(dstAddr, dstPort, src, offset, length))
        {
            wantsWritable = true;
            return false;
        }
        if (!inSendList)
        {
            inSendList = true;
            owner.onSendQueued(this);
        }
        return true;
    }

    /**
     * Queues a datagram of {@code length} bytes (0 to 65,507) to the IPv6 address {@code dstHi, dstLo} (high and
     * low 64 bits) and {@code dstPort}, as {@link #sendTo} does for IPv4: straight into a frame when nothing waits
     * before it, else a copy in the send queue. The interface chooses the source address (RFC 6724), computes the
     * checksum over the IPv6 pseudo-header (RFC 8200 §8.1) and sends a datagram above the link MTU in fragments
     * (RFC 8200 §4.5) unless {@link #dontFragment(boolean)} is on (then {@code EMSGSIZE}, as Linux's
     * {@code IPV6_DONTFRAG}). No source address of the destination's scope yet (DAD still running, none configured):
     * the datagram fails with {@link Errno#EADDRNOTAVAIL} on the next poll.
     *
     * @return false when the send queue has no room now (would block): retry after {@code onWritable}.
     * @throws IllegalArgumentException for a datagram above 65,507 bytes or larger than the send queue.
     */
    public boolean sendTo6(final long dstHi, final long dstLo, final int dstPort, final DirectBuffer src,
        final int offset, final int length)
    {
        if (!open)
        {
            throw new IllegalStateException("socket closed");
        }
        if (length < 0 || length > UdpPacket.MAX_PAYLOAD_LENGTH || !sendQueue.fitsEverIpv6(length))
        {
            throw new IllegalArgumentException("UDP datagram of " + length + " bytes is too big (max "
                + UdpPacket.MAX_PAYLOAD_LENGTH + ", send queue " + sendQueue.capacity() + " bytes)");
        }
        if (dstPort <= 0 || dstPort > 0xFFFF)
        {
            throw new IllegalArgumentException("bad destination port " + dstPort);
        }
        if (localPort == 0)
        {
            bind(0);
        }
        if (sendQueue.isEmpty() && owner.sendNow6(this, dstHi, dstLo, dstPort, src, offset, length))
        {
            return true;
        }
        if (!sendQueue.offerIpv6(dstHi, dstLo, dstPort, 0, 0, src, offset, length))
        {
            wantsWritable = true;
            return false;
        }
        if (!inSendList)
        {
            inSendList = true;
            owner.onSendQueued(this);
        }
        return true;
    }

    /**
     * Sends {@code length} bytes as datagrams of {@code segmentSize} bytes each (the last may be shorter) to
     * {@code dstAddr:dstPort} in one frame that the device cuts (UDP segmentation offload, USO4), when it can go now:
     * the device cuts UDP, nothing is queued before it, the next hop is resolved, the device has room. Otherwise
     * nothing is sent and the caller sends the datagrams one by one with {@link #sendTo}.
     *
     * @return whether the datagrams were sent.
     */
    public boolean sendSegmented(final int dstAddr, final int dstPort, final DirectBuffer src, final int offset,
        final int length, final int segmentSize)
    {
        if (!open || segmentSize <= 0 || length <= segmentSize || length > UdpPacket.MAX_PAYLOAD_LENGTH
            || dstPort <= 0 || dstPort > 0xFFFF || !sendQueue.isEmpty())
        {
            return false;
        }
        if (localPort == 0)
        {
            bind(0);
        }
        return owner.sendSegmentedNow(this, dstAddr, dstPort, src, offset, length, segmentSize);
    }

    /**
     * Sets DF on every datagram sent from now on (RFC 791), so that none is fragmented on the way: what a path MTU
     * probe needs (RFC 8899 §3, as Linux's {@code IP_PMTUDISC_PROBE}). A datagram larger than the interface's MTU
     * then fails with {@code EMSGSIZE} instead of leaving in fragments.
     */
    public void dontFragment(final boolean on)
    {
        dontFragment = on;
    }

    public boolean dontFragment()
    {
        return dontFragment;
    }

    /**
     * ICMP "fragmentation needed and DF set" messages heard about this socket's datagrams (RFC 792, type 3 code 4).
     */
    public long fragmentationNeeded()
    {
        return fragmentationNeeded;
    }

    /**
     * The smallest next-hop MTU those messages gave (RFC 1191 §4), 0 when none did (a router from before RFC 1191
     * leaves the field zero).
     */
    public int smallestNextHopMtu()
    {
        return smallestNextHopMtu;
    }

    /** ICMPv6 Packet Too Big messages heard about this socket's datagrams (RFC 4443 §3.2, RFC 8201). */
    public long packetTooBig()
    {
        return packetTooBig;
    }

    /** The router that sent the message with {@link #smallestNextHopMtu()}, 0 when none (or an IPv6 one). */
    public int nextHopMtuFrom()
    {
        return nextHopMtuFrom;
    }

    /** Whether {@link #sendSegmented} can be used at all (the device cuts UDP super-datagrams). */
    public boolean canSendSegmented()
    {
        return owner.offloadsUdpSegmentation();
    }

    /**
     * Hands up to {@code max} queued datagrams to {@code handler}, oldest first.
     *
     * @return how many were handed over.
     */
    public int receive(final UdpDatagramHandler handler, final int max)
    {
        int n = 0;
        final DatagramQueue q = receiveQueue;
        while (n < max && open && !q.isEmpty())
        {
            lastTtl = q.peekTtl();
            lastTos = q.peekTos();
            if (q.peekIpv6())
            {
                handler.onDatagram6(q.peekHi(), q.peekLo(), q.peekPort(), q.buffer(), q.peekOffset(),
                    q.peekLength());
            }
            else
            {
                handler.onDatagram(q.peekAddress(), q.peekPort(), q.buffer(), q.peekOffset(), q.peekLength());
            }
            n++;
            if (!open)
            {
                // The handler closed the socket, which emptied the queue.
                break;
            }
            q.pop();
        }
        return n;
    }

    /**
     * The source address of the last ICMP error this socket took (the router or host that sent it, as Linux's
     * {@code IP_RECVERR} offender), 0 when none: lets a failure say where it happened.
     */
    public int icmpErrorFrom()
    {
        return icmpErrorFrom;
    }

    /** Whether the last ICMP error this socket took was an ICMPv6 one: its sender is {@link #icmpErrorFromHi()}. */
    public boolean icmpErrorFromIpv6()
    {
        return icmpErrorFromIpv6;
    }

    /** The IPv6 sender of the last ICMPv6 error, high 64 bits (see {@link #icmpErrorFromIpv6()}). */
    public long icmpErrorFromHi()
    {
        return icmpErrorFromHi;
    }

    public long icmpErrorFromLo()
    {
        return icmpErrorFromLo;
    }

    /**
     * The TTL (IPv4) or hop limit (IPv6) of the datagram {@link #receive} is handing over now (read it in the
     * handler), -1 when unknown.
     */
    public int lastReceivedTtl()
    {
        return lastTtl;
    }

    /**
     * The TOS byte (IPv4) or Traffic Class (IPv6), DSCP and ECN alike, of the datagram {@link #receive} is handing
     * over now, -1 when unknown.
     */
    public int lastReceivedTos()
    {
        return lastTos;
    }

    /** Returns and clears the last error (like SO_ERROR), 0 when none. */
    public int takeError()
    {
        final int error = pendingError;
        pendingError = 0;
        return error;
    }

    /** Unbinds the socket and drops whatever it had queued. */
    public void close()
    {
        if (open)
        {
            open = false;
            owner.onClose(this);
            sendQueue.clear();
            receiveQueue.clear();
        }
    }

    public boolean isOpen()
    {
        return open;
    }

    public int receiveQueueDatagrams()
    {
        return receiveQueue.count();
    }

    public long sendQueueBytes()
    {
        return sendQueue.bytes();
    }

    public long datagramsSent()
    {
        return datagramsSent;
    }

    public long bytesSent()
    {
        return bytesSent;
    }

    public long datagramsReceived()
    {
        return datagramsReceived;
    }

    public long bytesReceived()
    {
        return bytesReceived;
    }

    /** Datagrams dropped because the receive queue was full. */
    public long receiveDrops()
    {
        return receiveDrops;
    }

    /** Datagrams that failed (ICMP errors received, or unsendable). */
    public long sendErrors()
    {
        return sendErrors;
    }

    // ---------------------------------------------------------------------------------------------------------
    // For UdpSockets
    // ---------------------------------------------------------------------------------------------------------

    DatagramQueue sendQueue()
    {
        return sendQueue;
    }

    void onSent(final int length)
    {
        datagramsSent++;
        bytesSent += length;
    }

    /** Whether {@link #sendTo} was refused and the send queue now has room for the owner to try again. */
    boolean wantsWritable()
    {
        return wantsWritable && open && sendQueue.used() < sendQueue.capacity() / 2;
    }

    void onWritable()
    {
        wantsWritable = false;
        if (listener != null && open)
        {
            listener.onWritable(this);
        }
    }

    boolean waitingForIpv6Neighbour()
    {
        return ipv6Waiting;
    }

    long ipv6NeighbourWaitSinceNs()
    {
        return ipv6WaitSinceNs;
    }

    void waitForIpv6Neighbour(final long nowNs)
    {
        ipv6Waiting = true;
        ipv6WaitSinceNs = nowNs;
    }

    void stopWaitingForIpv6Neighbour()
    {
        ipv6Waiting = false;
    }

    boolean inSendList()
    {
        return inSendList;
    }

    void leaveSendList()
    {
        inSendList = false;
    }

    void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        onDatagram(srcAddr, srcPort, -1, -1, buffer, offset, length);
    }

    /** A datagram arrived with this TTL and TOS byte (-1: unknown): queued with them, for {@link #receive}. */
    void onDatagram(final int srcAddr, final int srcPort, final int ttl, final int tos, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (!receiveQueue.offer(srcAddr, srcPort, ttl, tos, buffer, offset, length))
        {
            receiveDrops++;
            return;
        }
        datagramsReceived++;
        bytesReceived += length;
        if (!inReadyList)
        {
            inReadyList = true;
            owner.onReadable(this);
        }
    }

    /** An IPv6 datagram arrived with this hop limit and traffic class: queued with them, for {@link #receive}. */
    void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final int hopLimit,
        final int trafficClass, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!receiveQueue.offerIpv6(srcHi, srcLo, srcPort, hopLimit, trafficClass, buffer, offset, length))
        {
            receiveDrops++;
            return;
        }
        datagramsReceived++;
        bytesReceived += length;
        if (!inReadyList)
        {
            inReadyList = true;
            owner.onReadable(this);
        }
    }

    /** The delivery phase: tells the owner about queued datagrams; true when it should be told again next poll. */
    boolean deliver(final long nowNs)
    {
        inReadyList = false;
        if (!open || receiveQueue.isEmpty())
        {
            return false;
        }
        if (listener == null)
        {
            return false;
        }
        final int before = receiveQueue.count();
        listener.onReadable(this, nowNs);
        // told again next poll only when the owner took some and left some (an owner that takes nothing now is
        // told again when the next datagram arrives, rather than spinning)
        return open && !receiveQueue.isEmpty() && receiveQueue.count() < before;
    }

    boolean inReadyList()
    {
        return inReadyList;
    }

    void markReady()
    {
        inReadyList = true;
    }

    void onFragmentationNeeded(final int nextHopMtu, final int reporter)
    {
        fragmentationNeeded++;
        if (nextHopMtu > 0 && (smallestNextHopMtu == 0 || nextHopMtu < smallestNextHopMtu))
        {
            smallestNextHopMtu = nextHopMtu;
            nextHopMtuFrom = reporter;
        }
    }

    /** RFC 8201 §4: a Packet Too Big's MTU is the path's; kept as the smallest heard, as IPv4's next-hop MTU. */
    void onPacketTooBig(final int mtu, final long reporterHi, final long reporterLo)
    {
        packetTooBig++;
        if (mtu > 0 && (smallestNextHopMtu == 0 || mtu < smallestNextHopMtu))
        {
            smallestNextHopMtu = mtu;
            nextHopMtuFrom = 0;
        }
    }

    void onIcmpv6Error(final int errno, final int icmpType, final int icmpCode, final long reporterHi,
        final long reporterLo, final long remoteHi, final long remoteLo, final int remotePort)
    {
        sendErrors++;
        pendingError = errno;
        icmpErrorFrom = 0;
        icmpErrorFromIpv6 = true;
        icmpErrorFromHi = reporterHi;
        icmpErrorFromLo = reporterLo;
        if (listener != null)
        {
            listener.onIcmpv6Error(this, errno, icmpType, icmpCode, remoteHi, remoteLo, remotePort);
        }
    }

    void onError6(final int errno, final long remoteHi, final long remoteLo, final int remotePort)
    {
        sendErrors++;
        pendingError = errno;
        icmpErrorFrom = 0;
        icmpErrorFromIpv6 = false;
        if (listener != null)
        {
            listener.onError6(this, errno, remoteHi, remoteLo, remotePort);
        }
    }

    void onIcmpError(final int errno, final int icmpType, final int icmpCode, final int reporter,
        final int remoteAddr, final int remotePort)
    {
        sendErrors++;
        pendingError = errno;
        icmpErrorFrom = reporter;
        icmpErrorFromIpv6 = false;
        if (listener != null)
        {
            listener.onIcmpError(this, errno, icmpType, icmpCode, remoteAddr, remotePort);
        }
    }

    void onError(final int errno, final int remoteAddr, final int remotePort)
    {
        sendErrors++;
        pendingError = errno;
        icmpErrorFrom = 0; // no ICMP message behind this one (no ARP answer, no route)
        icmpErrorFromIpv6 = false;
        if (listener != null)
        {
            listener.onError(this, errno, remoteAddr, remotePort);
        }
    }
}
