package io.conntest.core.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.rudp.DatagramSink;
import io.conntest.core.rudp.MessageHandler;
import io.conntest.core.rudp.ReliableUdpChannel;
import io.conntest.core.rudp.Role;
import io.conntest.stack.phy.FaultPipeline;

/**
 * One end of an in-memory connection: a bounded receive buffer the peer end writes into, and for UDP optionally a
 * {@link ReliableUdpChannel} whose datagrams cross a {@link LinkFaults} link. Events are delivered from its own
 * transport's poll.
 */
final class InMemoryConnection implements Connection, MessageHandler, DatagramSink
{
    private final InMemoryTransport transport;
    private final InMemoryNetwork network;
    private final String host;
    private final long id;
    private final TransportProtocol protocol;
    final int localPort;
    private final String remoteHost;
    private final int remotePort;
    private final UnsafeBuffer inbound;
    ConnectionHandler handler;
    InMemoryTransport.MemListener acceptedBy;
    InMemoryConnection peer;
    private int readPos;
    private int writePos;
    private boolean delivering;
    boolean connectedPending;
    private boolean open;
    boolean finished;
    private boolean writablePending;
    private boolean writerBlocked;
    private FailureReason failReason;
    private String failDetail;
    private FailureReason closeReason;
    private String closeDetail;
    long connectDeadlineNs = Long.MAX_VALUE;
    final ReliableUdpChannel reliable;
    private final TransportStats stats;
    /** The link's random impairments of this connection's datagrams; null when there are none. */
    private final FaultPipeline faults;
    private final FaultPipeline.Sink toPeer = this::emitToPeer;
    private boolean blocked;
    private int blockedLength;
    private long nowNs;

    InMemoryConnection(
        final InMemoryTransport transport,
        final TransportProtocol protocol,
        final int localPort,
        final String remoteHost,
        final int remotePort,
        final ConnectionHandler handler,
        final boolean serverSide)
    {
        this.transport = transport;
        this.network = transport.network();
        this.host = transport.host();
        this.id = network.nextConnectionId();
        final boolean useReliable = protocol == TransportProtocol.UDP && network.reliableUdp() != null;
        this.reliable = useReliable ?
            new ReliableUdpChannel(network.reliableUdp(), serverSide ? Role.SERVER : Role.CLIENT,
                transport.lastPollNs()) : null;
        this.stats = useReliable ? new ReliableUdpStatsView(reliable.stats()) : TransportStats.NONE;
        this.faults = useReliable ? network.faults().newPipeline(InMemoryNetwork.UDP_MAX_MESSAGE) : null;
        this.protocol = protocol;
        this.localPort = localPort;
        this.remoteHost = remoteHost;
        this.remotePort = remotePort;
        this.handler = handler;
        this.inbound = new UnsafeBuffer(new byte[
            protocol == TransportProtocol.TCP ? network.streamBufferBytes() :
            Math.max(network.streamBufferBytes(), 2 * (InMemoryNetwork.UDP_MAX_MESSAGE + 4))]);
    }

    void fail(final FailureReason reason, final String detail)
    {
        failReason = reason;
        failDetail = detail;
    }

    boolean hasPendingWork()
    {
        if (reliable != null && !finished && (reliable.pollAtNs() <= transport.lastPollNs() ||
            faults != null && faults.nextDeadlineNs(transport.lastPollNs()) <= transport.lastPollNs()))
        {
            return true;
        }
        return !finished && (connectedPending || failReason != null || acceptedBy != null || writablePending ||
            writePos > readPos || closeReason != null);
    }

    int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        if (finished)
        {
            return 0;
        }
        if (reliable != null && failReason == null)
        {
            return pollReliable(nowNs);
        }
        int work = 0;
        if (acceptedBy != null)
        {
            final InMemoryTransport.MemListener listener = acceptedBy;
            acceptedBy = null;
            open = true;
            handler = listener.acceptHandler().onAccepted(this, nowNs);
            handler.onConnected(this, nowNs);
            work++;
        }
        if (failReason != null && !open)
        {
            finished = true;
            handler.onConnectFailed(this, failReason, failDetail, nowNs);
            return 1;
        }
        if (nowNs >= connectDeadlineNs && !open)
        {
            finished = true;
            handler.onConnectFailed(this, FailureReason.TIMEOUT, "connect timed out to " + remoteHost, nowNs);
            return 1;
        }
        if (connectedPending)
        {
            connectedPending = false;
            open = true;
            handler.onConnected(this, nowNs);
            work++;
        }
        if (finished)
        {
            return work;
        }
        if (writePos > readPos)
        {
            work += deliver(nowNs);
        }
        if (writablePending && open && !finished)
        {
            writablePending = false;
            handler.onWritable(this, nowNs);
            work++;
        }
        if (closeReason != null && writePos == readPos && !finished)
        {
            finished = true;
            open = false;
            handler.onClosed(this, closeReason, closeDetail, nowNs);
            work++;
        }
        return work;
    }

    /** A UDP end over a reliable channel: datagrams in, channel timers, connection events. */
    private int pollReliable(final long nowNs)
    {
        int work = 0;
        if (writePos > readPos)
        {
            work += deliver(nowNs);
        }
        reliable.poll(nowNs, this);
        releaseHeld();
        if (!open && reliable.isOpen() && !finished)
        {
            open = true;
            if (acceptedBy != null)
            {
                final InMemoryTransport.MemListener listener = acceptedBy;
                acceptedBy = null;
                handler = listener.acceptHandler().onAccepted(this, nowNs);
            }
            handler.onConnected(this, nowNs);
            reliable.poll(nowNs, this);
            work++;
        }
        if (!finished && blocked && open && reliable.canOffer(blockedLength))
        {
            blocked = false;
            handler.onWritable(this, nowNs);
            reliable.poll(nowNs, this);
            work++;
        }
        if (!finished && (reliable.isClosed() || closeReason != null && writePos == readPos))
        {
            finished = true;
            final boolean wasOpen = open;
            open = false;
            final FailureReason reason = closeReason != null ? closeReason : FailureReason.TIMEOUT;
            final String detail = closeReason != null ? closeDetail : "peer stopped answering";
            if (acceptedBy == null)
            {
                if (wasOpen)
                {
                    handler.onClosed(this, reason, detail, nowNs);
                }
                else
                {
                    handler.onConnectFailed(this, reason, detail, nowNs);
                }
            }
            return work + 1;
        }
        if (!finished && !open && acceptedBy == null && nowNs >= connectDeadlineNs)
        {
            finished = true;
            handler.onConnectFailed(this, FailureReason.TIMEOUT, "udp handshake timed out", nowNs);
            return work + 1;
        }
        return work;
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (open && !finished && handler != null)
        {
            handler.onData(this, buffer, offset, length, nowNs);
        }
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (peer == null || peer.finished)
        {
            return true;
        }
        if (network.faults().dropsScripted(host, buffer, offset, length))
        {
            return true;
        }
        if (faults == null)
        {
            return peer.receive(buffer, offset, length) != 0;
        }
        faults.release(nowNs, toPeer, Integer.MAX_VALUE);
        if (faults.nextDeadlineNs(nowNs) <= nowNs)
        {
            return false; // the peer cannot take what is due: would block, as without faults
        }
        faults.accept(buffer, offset, length, nowNs);
        faults.release(nowNs, toPeer, Integer.MAX_VALUE);
        return true;
    }

    /** When the link's next datagram is due, {@link Long#MAX_VALUE} when none waits. */
    long faultsDueNs(final long nowNs)
    {
        return faults == null ? Long.MAX_VALUE : faults.nextDeadlineNs(nowNs);
    }

    private void releaseHeld()
    {
        if (faults != null)
        {
            faults.release(nowNs, toPeer, Integer.MAX_VALUE);
        }
    }

    private boolean emitToPeer(final DirectBuffer buffer, final int offset, final int length)
    {
        // a peer gone meanwhile loses the datagram, as the network would
        return peer == null || peer.finished || peer.receive(buffer, offset, length) != 0;
    }

    private int deliver(final long nowNs)
    {
        delivering = true;
        try
        {
            if (protocol == TransportProtocol.TCP)
            {
                final int from = readPos;
                final int to = writePos;
                readPos = to;
                handler.onData(this, inbound, from, to - from, nowNs);
            }
            else if (reliable != null)
            {
                while (readPos < writePos && !finished)
                {
                    final int length = inbound.getInt(readPos);
                    final int from = readPos + 4;
                    readPos = from + length;
                    reliable.onDatagram(inbound, from, length, nowNs, this);
                }
            }
            else
            {
                while (readPos < writePos && !finished && open)
                {
                    final int length = inbound.getInt(readPos);
                    final int from = readPos + 4;
                    readPos = from + length;
                    handler.onData(this, inbound, from, length, nowNs);
                }
            }
        }
        finally
        {
            delivering = false;
        }
        if (readPos == writePos)
        {
            readPos = 0;
            writePos = 0;
        }
        if (writerBlocked && peer != null)
        {
            writerBlocked = false;
            peer.writablePending = true;
        }
        return 1;
    }

    /** Appends to this end's receive buffer; returns bytes accepted. */
    int receive(final DirectBuffer src, final int offset, final int length)
    {
        final boolean stream = protocol == TransportProtocol.TCP;
        final int needed = stream ? 1 : length + 4;
        if (writePos + needed > inbound.capacity() && !delivering && readPos > 0)
        {
            inbound.putBytes(0, inbound, readPos, writePos - readPos);
            writePos -= readPos;
            readPos = 0;
        }
        final int room = inbound.capacity() - writePos;
        if (stream)
        {
            final int accepted = Math.min(room, length);
            inbound.putBytes(writePos, src, offset, accepted);
            writePos += accepted;
            writerBlocked |= accepted < length;
            return accepted;
        }
        if (room < length + 4)
        {
            writerBlocked = true;
            return 0;
        }
        inbound.putInt(writePos, length);
        inbound.putBytes(writePos + 4, src, offset, length);
        writePos += length + 4;
        return length;
    }

    void abort(final FailureReason reason, final String detail)
    {
        open = false;
        finished = true;
        if (peer != null && !peer.finished)
        {
            if (peer.open || peer.connectedPending || peer.acceptedBy != null)
            {
                peer.closeReason = reason;
                peer.closeDetail = detail;
            }
        }
    }

    @Override
    public int write(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!open || finished || peer == null || peer.finished)
        {
            return 0;
        }
        if (protocol == TransportProtocol.UDP && length > maxMessageLength())
        {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the maximum");
        }
        if (reliable != null)
        {
            if (reliable.offer(buffer, offset, length, nowNs))
            {
                return length;
            }
            blocked = true;
            blockedLength = length;
            return 0;
        }
        return peer.receive(buffer, offset, length);
    }

    @Override
    public void close()
    {
        if (!finished)
        {
            abort(FailureReason.CLOSED, "closed by peer");
        }
    }

    @Override
    public boolean isOpen()
    {
        return open && !finished;
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public TransportProtocol protocol()
    {
        return protocol;
    }

    @Override
    public boolean isStream()
    {
        return protocol == TransportProtocol.TCP;
    }

    @Override
    public int maxMessageLength()
    {
        return isStream() ? Integer.MAX_VALUE :
            reliable != null ? ReliableUdpChannel.maxMessageLength() : InMemoryNetwork.UDP_MAX_MESSAGE;
    }

    @Override
    public String localHost()
    {
        return host;
    }

    @Override
    public int localPort()
    {
        return localPort;
    }

    @Override
    public String remoteHost()
    {
        return remoteHost;
    }

    @Override
    public int remotePort()
    {
        return remotePort;
    }

    @Override
    public TransportStats stats()
    {
        return stats;
    }
}
