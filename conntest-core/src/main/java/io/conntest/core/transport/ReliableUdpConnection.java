package io.conntest.core.transport;

import org.agrona.DirectBuffer;

import io.conntest.core.rudp.CloseReason;
import io.conntest.core.rudp.DatagramSink;
import io.conntest.core.rudp.MessageHandler;
import io.conntest.core.rudp.ReliableUdpChannel;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.rudp.Role;

/**
 * One reliable-UDP connection over any datagram port: the part of a UDP {@link Connection} that does not depend on
 * how datagrams move. It owns a {@link ReliableUdpChannel} and maps its states to the engine's callbacks (handshake
 * done: connected; closed by the peer, retransmissions exhausted, handshake or idle timeout: closed/failed; window
 * open again: writable). A subclass only sends datagrams ({@link #send}), feeds received ones to
 * {@link #onDatagram}, reports socket errors with {@link #failLater}, and releases its port in {@link #release()}.
 *
 * <p>The one reliable-UDP connection: the kernel transport's {@code KernelUdpConnection} and the userspace stack's
 * {@code StackUdpPeer} keep only their I/O (connect, accept, send, receive, release). Single-threaded; events are
 * delivered only from {@link #onPoll(long)} and {@link #onDatagram}, never from {@link #write} or {@link #close}.
 */
public abstract class ReliableUdpConnection implements Connection, MessageHandler, DatagramSink
{
    /** A datagram's receive time when the I/O side does not know it: messages are handled at the engine's time. */
    public static final long NO_RECEIVE_TIMESTAMP = Long.MIN_VALUE;

    private final long id;
    private final ReliableUdpChannel reliable;
    private final TransportStats stats;
    protected ConnectionHandler handler;
    private boolean open;
    private boolean finished;
    private boolean closing;
    private boolean blocked;
    /** TTL and TOS byte of the last datagram from the peer, -1 when the I/O side could not tell. */
    private int lastTtl = -1;
    private int lastTos = -1;
    private int blockedLength;
    private long connectDeadlineNs = Long.MAX_VALUE;
    private FailureReason pendingReason;
    private String pendingDetail;
    private long nowNs;
    private long receivedAtNs = NO_RECEIVE_TIMESTAMP;
    private boolean delivering;
    private boolean wroteWhileDelivering;

    protected ReliableUdpConnection(final long id, final ReliableUdpConfig config, final Role role,
        final ConnectionHandler handler, final long nowNs)
    {
        this.id = id;
        this.reliable = new ReliableUdpChannel(config, role, nowNs);
        this.stats = new ReliableUdpStatsView(reliable.stats());
        this.handler = handler;
        this.nowNs = nowNs;
    }

    /** Sends one datagram to the peer; false when the port would block (the channel retries later). */
    @Override
    public abstract boolean send(DirectBuffer buffer, int offset, int length);

    /** Releases the datagram port (or leaves the listener's demultiplexer); no callbacks. */
    protected abstract void release();

    /**
     * Sends what {@link #send} gathered during this turn, for an I/O side that batches datagrams (one system call for
     * many); the default sends each at once and has nothing to do here.
     */
    protected void flushSends()
    {
    }

    /**
     * For an I/O side that batches: sends {@code length} bytes at {@code offset} of {@code buffer} (direct memory) as
     * datagrams of {@code segmentSize} to the peer, the last possibly shorter, in one call where it can.
     *
     * @return the bytes sent (all or nothing), 0 when it would block (nothing sent), or {@code -errno}.
     */
    protected long sendGathered(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        throw new UnsupportedOperationException("this connection does not batch");
    }

    /** The words for a negative {@link #sendGathered} result. */
    protected String describeErrno(final int errno)
    {
        return "errno " + errno;
    }

    /** The channel sends what is due, then the I/O side sends what it gathered. */
    private void pollReliable(final long nowNs)
    {
        reliable.poll(nowNs, this);
        flushSends();
    }

    public final ReliableUdpChannel reliable()
    {
        return reliable;
    }

    /** Client side: the handshake must complete by then. */
    protected final void connectDeadlineNs(final long deadlineNs)
    {
        this.connectDeadlineNs = deadlineNs;
    }

    /** Server side: the peer was accepted; {@code onConnected} is the caller's to deliver. */
    protected final void markAccepted(final ConnectionHandler handler)
    {
        this.handler = handler;
        this.open = true;
    }

    /** A socket error to report from the next {@link #onPoll} (the first one wins). */
    public final void failLater(final FailureReason reason, final String detail)
    {
        if (pendingReason == null && !finished)
        {
            pendingReason = reason;
            pendingDetail = detail;
        }
    }

    /** Hands one received datagram to the channel, with no receive timestamp. */
    public final int onDatagram(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        return onDatagram(buffer, offset, length, nowNs, NO_RECEIVE_TIMESTAMP);
    }

    /**
     * Hands one received datagram to the channel; its messages come back through {@link #onMessage} and reach the
     * handler with {@code receivedAtNs} (when the datagram was read from the system, on {@link System#nanoTime()};
     * {@link #NO_RECEIVE_TIMESTAMP} when unknown). What the handler wrote while taking them in (a latency probe's
     * answer) is sent before this returns, in the I/O event that read the probe, not at the next poll.
     */
    public final int onDatagram(final DirectBuffer buffer, final int offset, final int length, final long nowNs,
        final long receivedAtNs)
    {
        this.nowNs = nowNs;
        if (finished && !closing)
        {
            return 0;
        }
        this.receivedAtNs = receivedAtNs;
        delivering = true;
        wroteWhileDelivering = false;
        final int result;
        try
        {
            result = reliable.onDatagram(buffer, offset, length, nowNs, this);
        }
        finally
        {
            delivering = false;
            this.receivedAtNs = NO_RECEIVE_TIMESTAMP;
        }
        if (wroteWhileDelivering && open && !finished)
        {
            pollReliable(nowNs);
        }
        else
        {
            flushSends();
        }
        return result;
    }

    @Override
    public final void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (open && !finished && handler != null)
        {
            if (receivedAtNs == NO_RECEIVE_TIMESTAMP)
            {
                handler.onData(this, buffer, offset, length, nowNs);
            }
            else
            {
                handler.onData(this, buffer, offset, length, nowNs, receivedAtNs);
            }
        }
    }

    /** Timers, sending and deferred events; returns the work done. */
    public final int onPoll(final long nowNs)
    {
        this.nowNs = nowNs;
        if (finished)
        {
            if (closing)
            {
                pollReliable(nowNs);
                if (reliable.isClosed() || reliable.pollAtNs() == Long.MAX_VALUE)
                {
                    closing = false;
                    release();
                }
            }
            return 0;
        }
        if (pendingReason != null)
        {
            fail(pendingReason, pendingDetail, nowNs);
            return 1;
        }
        int work = 0;
        pollReliable(nowNs);
        if (!open && reliable.isOpen())
        {
            open = true;
            handler.onConnected(this, nowNs);
            work++;
        }
        if (reliable.isClosed())
        {
            final CloseReason reason = reliable.closeReason();
            final boolean peerClosed = reason == CloseReason.PEER_CLOSED;
            fail(peerClosed ? FailureReason.CLOSED : FailureReason.TIMEOUT,
                peerClosed ? "peer closed the connection" :
                open ? "peer stopped answering (retransmissions exhausted)" : "no answer to the UDP handshake",
                nowNs);
            return 1;
        }
        if (!open && nowNs >= connectDeadlineNs)
        {
            fail(FailureReason.TIMEOUT, "udp handshake with " + remoteHost() + ":" + remotePort() + " timed out",
                nowNs);
            return 1;
        }
        if (open && reliable.isIdleTimedOut(nowNs))
        {
            fail(FailureReason.TIMEOUT, "udp peer idle", nowNs);
            return 1;
        }
        if (blocked && open && reliable.canOffer(blockedLength))
        {
            blocked = false;
            handler.onWritable(this, nowNs);
            pollReliable(nowNs);
            work++;
        }
        return work;
    }

    /** When {@link #onPoll} is due next. */
    public final long pollAtNs()
    {
        if (finished && !closing)
        {
            return Long.MAX_VALUE;
        }
        if (pendingReason != null)
        {
            return nowNs;
        }
        long at = reliable.pollAtNs();
        if (!open)
        {
            at = Math.min(at, connectDeadlineNs);
        }
        return at;
    }

    /** Ends the connection once, with the callback that fits (failed attempt or closed connection). */
    public final void fail(final FailureReason reason, final String detail, final long nowNs)
    {
        if (finished)
        {
            return;
        }
        final boolean wasOpen = open;
        open = false;
        finished = true;
        closing = false;
        release();
        if (handler == null)
        {
            return;
        }
        if (wasOpen)
        {
            handler.onClosed(this, reason, detail, nowNs);
        }
        else
        {
            handler.onConnectFailed(this, reason, detail, nowNs);
        }
    }

    /** Released and nothing more to send. */
    public final boolean isFinished()
    {
        return finished && !closing;
    }

    /** Releases at once, without a CLOSE datagram or callbacks (the transport is closing). */
    public final void closeNow()
    {
        finished = true;
        open = false;
        closing = false;
        release();
    }

    @Override
    public final long id()
    {
        return id;
    }

    @Override
    public final TransportProtocol protocol()
    {
        return TransportProtocol.UDP;
    }

    @Override
    public final boolean isStream()
    {
        return false;
    }

    @Override
    public final int maxMessageLength()
    {
        return ReliableUdpChannel.maxMessageLength();
    }

    @Override
    public final int write(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!open || finished)
        {
            return 0;
        }
        if (reliable.offer(buffer, offset, length, nowNs))
        {
            wroteWhileDelivering |= delivering;
            return length;
        }
        blocked = true;
        blockedLength = length;
        return 0;
    }

    /** Graceful: one CLOSE datagram goes out from the next polls, then the port is released. */
    @Override
    public final void close()
    {
        if (!finished)
        {
            open = false;
            finished = true;
            // Send what the window allows first: the reliable channel's close drops unsent messages, and the last
            // one is usually the session's GOODBYE saying why.
            pollReliable(nowNs);
            reliable.close(nowNs);
            closing = true;
            // and the CLOSE itself at once, so a peer learns of the end even if no poll follows
            pollReliable(nowNs);
            if (reliable.isClosed())
            {
                closing = false;
                release();
            }
        }
    }

    @Override
    public final boolean isOpen()
    {
        return open && !finished;
    }

    @Override
    public final TransportStats stats()
    {
        return stats;
    }

    /** A datagram from the peer arrived with this TTL and TOS byte (-1: the I/O side cannot tell). */
    public final void noteArrival(final int ttl, final int tos)
    {
        lastTtl = ttl;
        lastTos = tos;
    }

    @Override
    public final int lastReceivedTtl()
    {
        return lastTtl;
    }

    @Override
    public final int lastReceivedTos()
    {
        return lastTos;
    }
}
