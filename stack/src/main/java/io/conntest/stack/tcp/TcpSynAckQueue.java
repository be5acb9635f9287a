package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.MutableDirectBuffer;

/**
 * A bounded FIFO of SYN,ACK segments owed to peers whose SYN was answered with a SYN cookie (RFC 4987 §3.6): no
 * connection exists for them, so everything the segment carries is stored here until the next dispatch. Parallel
 * primitive arrays, no allocation; when full, the SYN is dropped (the peer retransmits it).
 */
final class TcpSynAckQueue
{
    private final int[] remoteAddr;
    private final int[] localPort;
    private final int[] remotePort;
    private final int[] seq;
    private final int[] ack;
    private final int[] window;
    private final int[] mss;
    private final int[] windowScale;
    private final boolean[] sackPermitted;
    private final boolean[] timestamps;
    private final int[] tsVal;
    private final int[] tsEcr;
    private final TcpRepr repr = new TcpRepr();
    private final TcpPacket view = new TcpPacket();
    private final SlotRing ring;

    TcpSynAckQueue(final int capacity)
    {
        ring = new SlotRing(capacity);
        remoteAddr = new int[capacity];
        localPort = new int[capacity];
        remotePort = new int[capacity];
        seq = new int[capacity];
        ack = new int[capacity];
        window = new int[capacity];
        mss = new int[capacity];
        windowScale = new int[capacity];
        sackPermitted = new boolean[capacity];
        timestamps = new boolean[capacity];
        tsVal = new int[capacity];
        tsEcr = new int[capacity];
    }

    boolean isEmpty()
    {
        return ring.isEmpty();
    }

    /** Queues a SYN,ACK; {@code windowScale} -1 for none; false when the queue is full. */
    boolean offer(final int remoteAddr, final int localPort, final int remotePort, final int seq, final int ack,
        final int window, final int mss, final int windowScale, final boolean sackPermitted, final boolean timestamps,
        final int tsVal, final int tsEcr)
    {
        final int i = ring.claimTail();
        if (i < 0)
        {
            return false;
        }
        this.remoteAddr[i] = remoteAddr;
        this.localPort[i] = localPort;
        this.remotePort[i] = remotePort;
        this.seq[i] = seq;
        this.ack[i] = ack;
        this.window[i] = window;
        this.mss[i] = mss;
        this.windowScale[i] = windowScale;
        this.sackPermitted[i] = sackPermitted;
        this.timestamps[i] = timestamps;
        this.tsVal[i] = tsVal;
        this.tsEcr[i] = tsEcr;
        return true;
    }

    /** Forgets the oldest entry: the sender refused it for good (no route, neighbour unreachable or pending). */
    void dropHead()
    {
        ring.dropHead();
    }

    /** Sends the oldest entry; false (entry kept) when the sender refused. */
    boolean sendHead(final Ipv4Sender sender)
    {
        final int i = ring.head();
        final TcpRepr r = repr.clear();
        r.srcPort = localPort[i];
        r.dstPort = remotePort[i];
        r.seq = seq[i];
        r.ack = ack[i];
        r.flags = TcpPacketFlags.SYN | TcpPacketFlags.ACK;
        r.window = window[i];
        r.mss = mss[i];
        r.windowScale = windowScale[i];
        r.sackPermitted = sackPermitted[i];
        r.hasTimestamps = timestamps[i];
        r.tsVal = tsVal[i];
        r.tsEcr = tsEcr[i];
        final int total = r.headerLength();
        final MutableDirectBuffer buffer = sender.claim(remoteAddr[i], TcpProtocol.PROTOCOL, total, true);
        if (buffer == null)
        {
            return false;
        }
        r.emit(view, buffer, sender.payloadOffset(), total, sender.sourceAddress(), remoteAddr[i]);
        sender.commit();
        ring.dropHead();
        return true;
    }
}
