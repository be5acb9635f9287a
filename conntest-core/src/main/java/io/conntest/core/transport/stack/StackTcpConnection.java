package io.conntest.core.transport.stack;

import org.agrona.DirectBuffer;

import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.TransportStats;
import io.conntest.stack.tcp.TcpError;
import io.conntest.stack.tcp.TcpReadHandler;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpSocketListener;
import io.conntest.stack.tcp.TcpStats;
import io.conntest.core.transport.HostText;
import io.conntest.stack.wire.Ipv4Address;

/**
 * A TCP {@link Connection} on the stack's {@link TcpSocket}: the socket's readiness callbacks (which the stack
 * calls after processing, so acting on the socket inside them is safe) become the engine's. Nagle is off, as the
 * kernel transport's TCP_NODELAY: latency probes must not wait. Errors map as the kernel's errno would: refused,
 * reset, timeout, unreachable.
 */
final class StackTcpConnection implements Connection, TcpSocketListener, TcpReadHandler, TransportStats
{
    private static final int READS_PER_READY = 64;
    private static final int READ_BYTES_PER_READY = 256 * 1024;

    private final StackTransport transport;
    private final long id;
    private final TcpSocket socket;
    private final String remoteHost;
    private final int remotePort;
    private final String localHost;
    private final TcpStats tcpStats = new TcpStats();
    private ConnectionHandler handler;
    private boolean open;
    private boolean finished;
    private FailureReason pendingReason;
    /** The time of the poll whose delivery is reading (the read callback carries none). */
    private long deliveryNowNs;
    private long deliveryReceivedAtNs;
    private String pendingDetail;

    StackTcpConnection(final StackTransport transport, final TcpSocket socket, final String remoteHost,
        final int remotePort, final ConnectionHandler handler)
    {
        this.transport = transport;
        this.id = transport.nextId();
        this.socket = socket;
        this.remoteHost = remoteHost;
        this.remotePort = remotePort;
        this.localHost = Ipv4Address.toString(transport.host().address());
        this.handler = handler;
        socket.setListener(this);
    }

    void handler(final ConnectionHandler handler)
    {
        this.handler = handler;
    }

    /** A failure found before anything was sent (no port, bad address), reported from the next poll. */
    void failLater(final FailureReason reason, final String detail)
    {
        pendingReason = reason;
        pendingDetail = detail;
    }

    int onPoll(final long nowNs)
    {
        if (pendingReason != null && !finished)
        {
            final FailureReason reason = pendingReason;
            pendingReason = null;
            socket.abort();
            end(reason, pendingDetail, nowNs);
            return 1;
        }
        return 0;
    }

    long pollAtNs()
    {
        return pendingReason != null && !finished ? transport.host().nowNs() : Long.MAX_VALUE;
    }

    boolean isFinished()
    {
        return finished;
    }

    @Override
    public void onConnected(final TcpSocket s)
    {
        if (!finished && !open && handler != null)
        {
            open = true;
            handler.onConnected(this, transport.host().nowNs());
        }
    }

    /**
     * The stack's delivery phase: the engine reads the stream in place, from the socket's receive buffer (no copy
     * of its own), at most {@link #READ_BYTES_PER_READY} bytes before other connections get their turn.
     */
    @Override
    public void onReadable(final TcpSocket s)
    {
        deliveryNowNs = transport.host().nowNs();
        // when the newest frame was read from the device: the bytes read here arrived by then (a read left pending
        // from this poll is read after it and stamped with the same time)
        deliveryReceivedAtNs = transport.host().receivedAtNs();
        for (int i = 0; i < READS_PER_READY && open && !finished; i++)
        {
            final int n = socket.readInPlace(this, READ_BYTES_PER_READY);
            if (n > 0)
            {
                continue;
            }
            if (n < 0)
            {
                socket.close();
                end(FailureReason.CLOSED, "peer closed the connection", transport.host().nowNs());
                return;
            }
            else
            {
                return;
            }
        }
        if (open && socket.readableBytes() > 0)
        {
            transport.markReadPending(this);
        }
    }

    @Override
    public void onBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        if (open && !finished)
        {
            handler.onData(this, buffer, offset, length, deliveryNowNs, deliveryReceivedAtNs);
        }
    }

    @Override
    public void onWritable(final TcpSocket s)
    {
        if (open && !finished)
        {
            handler.onWritable(this, transport.host().nowNs());
        }
    }

    @Override
    public void onError(final TcpSocket s, final TcpError error)
    {
        final String where = "tcp " + HostText.withPort(remoteHost, remotePort) + ": ";
        switch (error)
        {
            case REFUSED:
                end(FailureReason.REFUSED, where + "connection refused", transport.host().nowNs());
                break;
            case RESET:
                end(FailureReason.RESET, where + "connection reset by peer", transport.host().nowNs());
                break;
            case TIMEOUT:
                end(FailureReason.TIMEOUT, where + (open ? "peer stopped answering" : "connect timed out"),
                    transport.host().nowNs());
                break;
            case UNREACHABLE:
                end(FailureReason.UNREACHABLE, where + "host unreachable" + IcmpSource.describe(s.icmpErrorSource()),
                    transport.host().nowNs());
                break;
            case PROHIBITED:
                end(FailureReason.UNREACHABLE, where + "administratively prohibited (a firewall rejected it)"
                    + IcmpSource.describe(s.icmpErrorSource()), transport.host().nowNs());
                break;
            default:
                end(FailureReason.LOCAL, where + "no free port or connection slot", transport.host().nowNs());
                break;
        }
    }

    @Override
    public void onClosed(final TcpSocket s)
    {
        end(FailureReason.CLOSED, "connection closed", transport.host().nowNs());
    }

    private void end(final FailureReason reason, final String detail, final long nowNs)
    {
        if (finished)
        {
            return;
        }
        finished = true;
        final boolean wasOpen = open;
        open = false;
        socket.setListener(null);
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

    void closeNow()
    {
        if (!finished)
        {
            finished = true;
            open = false;
            socket.setListener(null);
            socket.abort();
        }
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public TransportProtocol protocol()
    {
        return TransportProtocol.TCP;
    }

    @Override
    public boolean isStream()
    {
        return true;
    }

    @Override
    public int maxMessageLength()
    {
        return Integer.MAX_VALUE;
    }

    @Override
    public String localHost()
    {
        return socket.isIpv6() ? socket.localAddressText() : localHost;
    }

    @Override
    public int lastReceivedTtl()
    {
        return socket.lastReceivedTtl();
    }

    @Override
    public int lastReceivedTos()
    {
        return socket.lastReceivedTos();
    }

    /** The stack sends every packet with TTL 64 and TOS 0 (conntest sets neither). */
    @Override
    public int sentTtl()
    {
        return io.conntest.stack.wire.Ipv4Repr.DEFAULT_TTL;
    }

    @Override
    public int sentTos()
    {
        return 0;
    }

    @Override
    public int localPort()
    {
        return socket.localPort();
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
    public int write(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!open || finished)
        {
            return 0;
        }
        final int n = socket.write(buffer, offset, length);
        return Math.max(0, n);
    }

    @Override
    public void close()
    {
        if (!finished)
        {
            finished = true;
            open = false;
            socket.setListener(null);
            socket.close();
        }
    }

    @Override
    public boolean isOpen()
    {
        return open && !finished;
    }

    @Override
    public TransportStats stats()
    {
        return this;
    }

    /** All the stack's figures for this connection (a fresh fill of one reused object). */
    TcpStats tcpStats()
    {
        return socket.stats(tcpStats);
    }

    @Override
    public long tcpRetransmissions()
    {
        return socket.stats(tcpStats).retransmissions;
    }

    @Override
    public long tcpSrttNs()
    {
        return socket.stats(tcpStats).srttNs;
    }

    @Override
    public long tcpCwndBytes()
    {
        return socket.stats(tcpStats).cwnd;
    }

    @Override
    public long tcpRttVarNs()
    {
        return socket.stats(tcpStats).rttvarNs;
    }

    @Override
    public long tcpPmtuBytes()
    {
        return transport.host().stack().iface().mtu();
    }
}
