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
    private int head;
    private int size;

    TcpResetQueue(final int capacity)
    {
        remoteAddr = new int[capacity];
        localPort = new int[capacity];
        remotePort = new int[capacity];
        seq = new int[capacity];
        ack = new int[capacity];
        flags = new int[capacity];
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    boolean offer(final int remoteAddr, final int localPort, final int remotePort, final int seq, final int ack,
        final int flags)
    {
        if (size == this.seq.length)
        {
            return false;
        }
        int i = head + size;
        if (i >= this.seq.length)
        {
            i -= this.seq.length;
        }
        this.remoteAddr[i] = remoteAddr;
        this.localPort[i] = localPort;
        this.remotePort[i] = remotePort;
        this.seq[i] = seq;
        this.ack[i] = ack;
        this.flags[i] = flags;
        size++;
        return true;
    }

    /** Forgets the oldest entry: the sender refused it for good (no route, neighbour unreachable or pending). */
    void dropHead()
    {
        head = head + 1 == seq.length ? 0 : head + 1;
        size--;
    }

    /** Sends the oldest entry; false (entry kept) when the sender refused. */
    boolean sendHead(final Ipv4Sender sender, final TcpOutput output)
    {
        final int i = head;
        if (!output.emitBare(sender, remoteAddr[i], localPort[i], remotePort[i], seq[i], ack[i], flags[i]))
        {
            return false;
        }
        head = head + 1 == seq.length ? 0 : head + 1;
        size--;
        return true;
    }
}
