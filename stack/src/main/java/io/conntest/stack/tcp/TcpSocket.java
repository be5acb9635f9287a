package io.conntest.stack.tcp;

import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv6Address;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A non-blocking TCP socket (RFC 9293 §3.9.1 user interface): connect, read, write, shutdown, close, abort, with
 * readiness reported to a {@link TcpSocketListener}. Bytes go through bounded rings; {@link #write} returns how
 * many bytes it took (0 when the send buffer is full: backpressure). All calls on the interface thread.
 */
public final class TcpSocket
{
    private final TcpConnection c;
    private TcpSocketListener listener;
    int sendBufferBytes;
    int receiveBufferBytes;
    boolean writeBlocked;

    TcpSocket(final TcpConnection c)
    {
        this.c = c;
        this.sendBufferBytes = c.config.sendBufferBytes;
        this.receiveBufferBytes = c.config.receiveBufferBytes;
    }

    public TcpSocket setListener(final TcpSocketListener listener)
    {
        this.listener = listener;
        return this;
    }

    /** Turns Nagle's algorithm (RFC 896) off ({@code true}) or on; latency probes want it off. */
    public TcpSocket setNoDelay(final boolean noDelay)
    {
        c.snd.setNoDelay(noDelay);
        c.protocol.markOutput(c);
        return this;
    }

    /** Buffer sizes in bytes; only before {@link #connect}. The receive size also picks the window scale. */
    public TcpSocket setBufferSizes(final int sendBytes, final int receiveBytes)
    {
        if (c.state != TcpState.CLOSED || sendBytes < 1024 || receiveBytes < 1024 || sendBytes > (1 << 30) ||
            receiveBytes > (1 << 30))
        {
            throw new IllegalStateException("buffer sizes are set before connect, between 1 KiB and 1 GiB");
        }
        this.sendBufferBytes = sendBytes;
        this.receiveBufferBytes = receiveBytes;
        return this;
    }

    /** RFC 1122 §4.2.3.6 keepalive with the protocol's idle/interval/probe settings. */
    public TcpSocket setKeepAlive(final boolean on)
    {
        c.keepAliveOverride = on ? 1 : 0;
        return this;
    }

    /**
     * RFC 9293 §3.10.1 active OPEN: sends a SYN on the next poll. Completion is reported by
     * {@link TcpSocketListener#onConnected}, failure by {@link TcpSocketListener#onError} (refused, timeout after the
     * configured connect timeout, unreachable).
     *
     * @return false when no ephemeral port or table slot is free.
     */
    public boolean connect(final int remoteAddr, final int remotePort)
    {
        if (c.state != TcpState.CLOSED || c.registered)
        {
            throw new IllegalStateException("socket already used");
        }
        if (!c.protocol.connect(c, remoteAddr, remotePort))
        {
            c.error = c.error == TcpError.NO_ADDRESS ? TcpError.NO_ADDRESS : TcpError.NO_RESOURCES;
            return false;
        }
        return true;
    }

    /**
     * As {@link #connect(int, int)}, to an IPv6 address (RFC 8200; the TCP pseudo-header of §8.1, the MSS from the
     * IPv6 MTU, RFC 9293 §3.7.1), from the source address RFC 6724 picks for it.
     *
     * @return false when the interface has no usable IPv6 source address for it ({@link TcpError#NO_ADDRESS}), or no
     *         ephemeral port or table slot is free.
     */
    public boolean connect6(final long remoteHi, final long remoteLo, final int remotePort)
    {
        if (c.state != TcpState.CLOSED || c.registered)
        {
            throw new IllegalStateException("socket already used");
        }
        if (!c.protocol.connect6(c, remoteHi, remoteLo, remotePort))
        {
            c.error = c.error == TcpError.NO_ADDRESS ? TcpError.NO_ADDRESS : TcpError.NO_RESOURCES;
            return false;
        }
        return true;
    }

    /** Overrides the connect timeout for this socket (call before {@link #connect}). */
    public TcpSocket setConnectTimeoutNs(final long timeoutNs)
    {
        c.connectTimeoutOverrideNs = timeoutNs;
        return this;
    }

    /**
     * Reads up to {@code length} in-order bytes.
     *
     * @return bytes read, 0 when none are ready, -1 at the end of the stream (FIN received and all read, or closed).
     */
    public int read(final MutableDirectBuffer dst, final int offset, final int length)
    {
        if (c.userClosed)
        {
            return -1;
        }
        return c.rcv.read(dst, offset, length);
    }

    /**
     * Reads without a copy: hands up to {@code maxBytes} in-order bytes to {@code reader} where they lie in the
     * receive buffer (valid only during each call; one call per contiguous window), consuming them.
     *
     * @return bytes handed over, 0 when none is ready, -1 at the end of the stream or after {@link #close()}.
     */
    public int readInPlace(final TcpReadHandler reader, final int maxBytes)
    {
        if (c.userClosed)
        {
            return -1;
        }
        return c.rcv.readInPlace(reader, maxBytes);
    }

    /**
     * Queues up to {@code length} bytes for sending.
     *
     * @return bytes accepted (0 when the send buffer is full; {@link TcpSocketListener#onWritable} follows when room
     *         appears), or -1 when the socket can no longer send (not connected yet, output shut down, closed).
     */
    public int write(final DirectBuffer src, final int offset, final int length)
    {
        if (c.state != TcpState.ESTABLISHED && c.state != TcpState.CLOSE_WAIT || c.snd.finQueued())
        {
            return c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED ? 0 : -1;
        }
        final int n = c.snd.write(src, offset, length);
        if (n < length || c.snd.writableBytes() == 0)
        {
            writeBlocked = true;
        }
        if (n > 0)
        {
            c.protocol.markOutput(c);
        }
        return n;
    }

    /**
     * Queues up to {@code length} bytes as urgent data (RFC 9293 §3.8.5, MUST-30/31: any length): SND.UP moves to
     * the end of the bytes accepted, and every segment sent while SND.UP is ahead of its sequence number carries
     * URG with the pointer at the octet after the urgent data (MUST-62). The bytes travel inline in the stream
     * (RFC 6093 §5); Nagle does not hold them back.
     *
     * @return as {@link #write}.
     */
    public int writeUrgent(final DirectBuffer src, final int offset, final int length)
    {
        final int n = write(src, offset, length);
        if (n > 0)
        {
            c.snd.markUrgent();
        }
        return n;
    }

    /**
     * Marks every byte written so far as urgent: SND.UP moves to the end of the send buffer (as
     * {@link #writeUrgent} does after its write). Does nothing when nothing is queued or the socket cannot send.
     */
    public void markUrgent()
    {
        if ((c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT) && !c.snd.finQueued() &&
            c.snd.bufferedBytes() > 0)
        {
            c.snd.markUrgent();
            c.protocol.markOutput(c);
        }
    }

    /**
     * MUST-33: how many bytes, counted from the next byte {@link #read} returns, are urgent data still to be read
     * (including urgent bytes announced by the peer's pointer but not yet arrived); 0 when none is pending.
     */
    public int urgentBytesPending()
    {
        return c.rcv.urgentBytesPending();
    }

    /** Bytes ready to {@link #read}. */
    public int readableBytes()
    {
        return c.rcv.readable();
    }

    /** Room in the send buffer. */
    public int writableBytes()
    {
        return c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT ? c.snd.writableBytes() : 0;
    }

    /** Bytes written but not yet acknowledged by the peer. */
    public int unacknowledgedBytes()
    {
        return c.snd.bufferedBytes();
    }

    /** Sends a FIN after the queued bytes (half-close); reading goes on. */
    public void shutdownOutput()
    {
        c.close(false, 0);
        c.protocol.markOutput(c);
    }

    /** RFC 9293 §3.10.4 CLOSE: an orderly close (a RST instead when unread bytes remain, RFC 2525 §2.17). */
    public void close()
    {
        c.close(true, 0);
        c.protocol.markOutput(c);
    }

    /** RFC 9293 §3.10.5 ABORT: a RST now, data discarded. */
    public void abort()
    {
        c.abort(0);
    }

    public TcpState state()
    {
        return c.state;
    }

    public TcpError error()
    {
        return c.error;
    }

    /** Whether the connection runs over IPv6 (its addresses by {@link #remoteAddressText()}). */
    public boolean isIpv6()
    {
        return c.ipv6;
    }

    /** The peer's address as text: dotted IPv4, or IPv6 in RFC 5952 form (no brackets). Allocates: not per packet. */
    public String remoteAddressText()
    {
        return c.ipv6 ? Ipv6Address.format(c.remoteHi, c.remoteLo) : Ipv4Address.toString(c.remoteAddr);
    }

    /** Our address on this connection as text, either family. Allocates. */
    public String localAddressText()
    {
        return c.ipv6 ? Ipv6Address.format(c.localHi, c.localLo) : Ipv4Address.toString(c.localAddr);
    }

    /** Who sent the last ICMP or ICMPv6 error taken for this connection, as text; null when none. Allocates. */
    public String icmpErrorSource()
    {
        if (c.ipv6)
        {
            return c.icmpv6ErrorFromHi == 0 && c.icmpv6ErrorFromLo == 0 ? null
                : Ipv6Address.format(c.icmpv6ErrorFromHi, c.icmpv6ErrorFromLo);
        }
        return c.icmpErrorFrom == 0 ? null : Ipv4Address.toString(c.icmpErrorFrom);
    }

    /**
     * The source address of the last ICMP error taken for this connection (the router or host that gave up on it,
     * as Linux's {@code IP_RECVERR} offender), 0 when none came: lets a failure say where it happened.
     */
    public int icmpErrorFrom()
    {
        return c.icmpErrorFrom;
    }

    /** The TTL the last segment from the peer arrived with, -1 before one (the path's hop count, seen from here). */
    public int lastReceivedTtl()
    {
        return c.lastTtl;
    }

    /** The TOS byte (DSCP and ECN) the last segment from the peer arrived with, -1 before one. */
    public int lastReceivedTos()
    {
        return c.lastTos;
    }

    public boolean isEstablished()
    {
        return c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT;
    }

    /**
     * SND.UNA (RFC 9293 §3.3.1): the sequence number of the oldest byte sent and not yet acknowledged, what an ICMP
     * error must quote to be believed (RFC 5927 §4.1); for diagnostics and tests.
     */
    public int sendUnacknowledged()
    {
        return c.snd.una();
    }

    /** The FIN was received: after the readable bytes, the stream ends. */
    public boolean isInputShutdown()
    {
        return c.rcv.finReceived();
    }

    /** Our IPv4 address; over IPv6 ({@link #isIpv6()}) a keyed digest, not an address: {@link #localAddressText()}. */
    public int localAddress()
    {
        return c.localAddr;
    }

    public int localPort()
    {
        return c.localPort;
    }

    /** The peer's IPv4 address; over IPv6 a keyed digest, not an address: see {@link #remoteAddressText()}. */
    public int remoteAddress()
    {
        return c.remoteAddr;
    }

    public int remotePort()
    {
        return c.remotePort;
    }

    /** Fills {@code into} with this connection's figures; no allocation. */
    public TcpStats stats(final TcpStats into)
    {
        c.fillStats(into);
        return into;
    }

    void fire(final int events)
    {
        final TcpSocketListener l = listener;
        if (l == null)
        {
            return;
        }
        if ((events & TcpConnection.EV_CONNECTED) != 0)
        {
            l.onConnected(this);
        }
        if ((events & TcpConnection.EV_ERROR) != 0)
        {
            l.onError(this, c.error);
        }
        if ((events & TcpConnection.EV_URGENT) != 0)
        {
            final int pending = c.rcv.urgentBytesPending();
            if (pending > 0)
            {
                l.onUrgent(this, pending);
            }
        }
        if ((events & TcpConnection.EV_READABLE) != 0)
        {
            l.onReadable(this);
        }
        if ((events & TcpConnection.EV_WRITABLE) != 0 && (writeBlocked || (events & TcpConnection.EV_CONNECTED) != 0))
        {
            writeBlocked = false;
            l.onWritable(this);
        }
        if ((events & TcpConnection.EV_CLOSED) != 0)
        {
            l.onClosed(this);
        }
    }

    @Override
    public String toString()
    {
        final String remote = remoteAddressText();
        return "TcpSocket{" + c.localPort + "->" + (c.ipv6 ? "[" + remote + "]" : remote) + ":" + c.remotePort + " "
            + c.state + "}";
    }
}
