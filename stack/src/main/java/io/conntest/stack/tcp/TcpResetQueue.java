package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.iface.Ipv6Sender;

/**
 * A bounded FIFO of RST segments owed to peers for segments that matched no connection (RFC 9293 §3.10.7.1) or
 * for aborted connections; sent on the next dispatch. Either family: an IPv6 entry keeps both addresses (the RST
 * leaves from the address the segment was sent to). Parallel primitive arrays, no allocation.
 */
final class TcpResetQueue
{
    private final int[] remoteAddr;
    private final int[] localPort;
    private final int[] remotePort;
    private final int[] seq;
    private final int[] ack;
    private final int[] flags;
    private final boolean[] ipv6;
    private final long[] localHi;
    private final long[] localLo;
    private final long[] remoteHi;
    private final long[] remoteLo;
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
        ipv6 = new boolean[capacity];
        localHi = new long[capacity];
        localLo = new long[capacity];
        remoteHi = new long[capacity];
        remoteLo = new long[capacity];
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
        this.ipv6[i] = false;
        return true;
    }

    /** An RST over IPv6 from {@code localHi, localLo} (where the segment arrived) to the peer. */
    boolean offer6(final long localHi, final long localLo, final long remoteHi, final long remoteLo,
        final int localPort, final int remotePort, final int seq, final int ack, final int flags)
    {
        final int i = ring.claimTail();
        if (i < 0)
        {
            return false;
        }
        this.remoteAddr[i] = 0;
        this.localPort[i] = localPort;
        this.remotePort[i] = remotePort;
        this.seq[i] = seq;
        this.ack[i] = ack;
        this.flags[i] = flags;
        this.ipv6[i] = true;
        this.localHi[i] = localHi;
        this.localLo[i] = localLo;
        this.remoteHi[i] = remoteHi;
        this.remoteLo[i] = remoteLo;
        return true;
    }

    /** Whether the oldest entry is an IPv6 one (which sender's refusal to read). */
    boolean headIsIpv6()
    {
        return ipv6[ring.head()];
    }

    /** Forgets the oldest entry: the sender refused it for good (no route, neighbour unreachable or pending). */
    void dropHead()
    {
        ring.dropHead();
    }

    /** Sends the oldest entry; false (entry kept) when the sender refused. */
    boolean sendHead(final Ipv4Sender sender, final Ipv6Sender sender6, final TcpOutput output)
    {
        final int i = ring.head();
        final boolean sent = ipv6[i]
            ? output.emitBare6(sender6, localHi[i], localLo[i], remoteHi[i], remoteLo[i], localPort[i], remotePort[i],
                seq[i], ack[i], flags[i])
            : output.emitBare(sender, remoteAddr[i], localPort[i], remotePort[i], seq[i], ack[i], flags[i]);
        if (!sent)
        {
            return false;
        }
        ring.dropHead();
        return true;
    }
}
