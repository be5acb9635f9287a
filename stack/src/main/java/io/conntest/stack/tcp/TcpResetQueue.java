package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;

/**
 * A bounded FIFO of RST segments owed to peers for segments that matched no connection (RFC 9293 §3.10.7.1) or
 * for aborted connections; sent on the next dispatch. Parallel primitive arrays, no allocation.
 */
final class TcpResetQueue
{
    private final int[] remoteAddr;
    private final int[] localPort;
    private final int[] remotePort;
    private final int[] seq;
    private final int[] ack;
    private final int[] flags;
    private final SlotRing ring;

    TcpResetQueue(final int capacity)
    {
        ring = new SlotRing(capacity);
        remoteAddr = new int[capacity];
        localPort = new int[capacity];
        remotePort = new int[capacity];
        seq = new int[capacity];
        ack = new int[capacity];
        flags = new int[capacity];
    }

    boolean isEmpty()
    {
        return ring.isEmpty();
    }

    boolean offer(final int remoteAddr, final int localPort, final int remotePort, final int seq, final int ack,
        final int flags)
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
        this.flags[i] = flags;
        return true;
    }

    /** Forgets the oldest entry: the sender refused it for good (no route, neighbour unreachable or pending). */
    void dropHead()
    {
        ring.dropHead();
    }

    /** Sends the oldest entry; false (entry kept) when the sender refused. */
    boolean sendHead(final Ipv4Sender sender, final TcpOutput output)
    {
        final int i = ring.head();
        if (!output.emitBare(sender, remoteAddr[i], localPort[i], remotePort[i], seq[i], ack[i], flags[i]))
        {
            return false;
        }
        ring.dropHead();
        return true;
    }
}
