package io.conntest.core.transport.stack;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.probe.PortProber;
import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeCallback;
import io.conntest.core.probe.ProbeOptions;
import io.conntest.core.probe.ProbeProtocol;
import io.conntest.core.probe.ProbeReason;
import io.conntest.core.probe.ProbeResult;
import io.conntest.core.probe.UdpReplyClassifier;
import io.conntest.stack.socket.Errno;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.tcp.TcpError;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpSocketListener;

/**
 * A {@link PortProber} on the userspace stack, so a scan sees the network from the instance's own position on its
 * bridge. It polls the {@link StackHost} itself ({@link #poll}), so it runs alone under a {@code ProbeRunner} or
 * beside a {@link StackTransport} on the same thread.
 *
 * <p>TCP: one stack {@link TcpSocket} connect per attempt, aborted (RST) after the answer, as nmap does. SYN-ACK:
 * open/syn-ack. RST (or ICMP port unreachable in SYN-SENT): closed/conn-refused. ICMP host/net unreachable, or no
 * ARP answer: filtered/host-unreach. Nothing within the timeout after every attempt: filtered/no-response.
 *
 * <p>UDP: the payload from an ephemeral {@link UdpSocket}, resent on timeout until the attempts are used. A datagram
 * back from the port: open (reason from the {@link UdpReplyClassifier}). ICMP port unreachable: closed/port-unreach.
 * Host or network unreachable: filtered. Silence: open|filtered/no-response.
 *
 * <p>Not thread-safe except {@link #wakeup()}. Allocates per probe (a socket, a small record), not per poll.
 */
public final class StackPortProber implements PortProber
{
    private final StackHost host;
    private final boolean ownsHost;
    private final int capacity;
    private final ProbeOptions options;
    private final UdpReplyClassifier classifier;
    private final List<Probe> active = new ArrayList<>();
    private final ArrayDeque<Probe> finished = new ArrayDeque<>();
    /** Sockets of finished probes with a farewell queued: closed after the next stack poll has sent it. */
    private final ArrayDeque<UdpSocket> lingering = new ArrayDeque<>();
    private long nowNs;
    private boolean closed;

    /**
     * @param host     the stack to probe from; polled by this prober
     * @param ownsHost whether {@link #close()} closes the stack and its device
     * @param options  the in-flight bound, the UDP payload and its reply classifier
     */
    public StackPortProber(final StackHost host, final boolean ownsHost, final ProbeOptions options)
    {
        this.host = host;
        this.ownsHost = ownsHost;
        this.capacity = options.maxInFlight();
        this.options = options;
        this.classifier = options.udpReplyClassifier();
        this.nowNs = host.nowNs();
    }

    /**
     * nmap's host discovery on the link before a scan: ICMP echo requests (RFC 792) to {@code address}, one round at
     * a time, up to three rounds within {@code timeoutNs}. The first resolves the next hop by ARP and runs the
     * stack's receive and send paths once, so the scan's first probes measure the path, not the address resolution
     * and the JVM's first run of that code. Call it before the scan, on the thread that will run it.
     *
     * @return the RTT of the last answered round in ns, or -1 when no echo reply came (ICMP may be filtered: the scan
     *         goes on regardless)
     */
    public long ping(final InetAddress address, final long timeoutNs)
    {
        if (closed || !(address instanceof Inet4Address))
        {
            return -1;
        }
        final byte[] b = address.getAddress();
        final int dst = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        final int identifier = 0x6374; // "ct"
        final long[] replyAtNs = {-1};
        final UnsafeBuffer data = new UnsafeBuffer(new byte[32]);
        host.stack().iface().echoListener((src, id, seq, buffer, offset, length, nowNs) ->
        {
            if (src == dst && id == identifier && replyAtNs[0] < 0)
            {
                replyAtNs[0] = System.nanoTime();
            }
        });
        long rtt = -1;
        try
        {
            final long endNs = System.nanoTime() + timeoutNs;
            for (int round = 1; round <= 3 && System.nanoTime() < endNs; round++)
            {
                replyAtNs[0] = -1;
                final long sentNs = System.nanoTime();
                if (!host.stack().iface().sendEchoRequest(dst, identifier, round, data, 0, data.capacity()))
                {
                    break; // no route: the scan reports it port by port
                }
                host.poll(sentNs); // sends it, or its next hop's ARP request
                while (replyAtNs[0] < 0)
                {
                    final long nowNs = System.nanoTime();
                    if (nowNs >= endNs)
                    {
                        break;
                    }
                    host.idle(nowNs, Math.min(endNs, host.pollAtNs(nowNs)));
                    host.poll(System.nanoTime());
                }
                if (replyAtNs[0] >= 0)
                {
                    rtt = replyAtNs[0] - sentNs;
                }
            }
        }
        finally
        {
            host.stack().iface().echoListener(null);
        }
        this.nowNs = System.nanoTime();
        return rtt;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    /** A UDP socket of the stack, the stack polled here until the answer or the timeout: after the scan. */
    @Override
    public int exchange(final InetAddress address, final int port, final byte[] request, final int length,
        final byte[] answer, final long timeoutNs)
    {
        if (closed || !(address instanceof Inet4Address))
        {
            return -2;
        }
        final byte[] b = address.getAddress();
        final int dst = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        final int[] got = {-1};
        final UdpDatagramHandler reader = (srcAddr, srcPort, buffer, offset, n) ->
        {
            if (got[0] < 0 && srcAddr == dst && srcPort == port && n <= answer.length)
            {
                buffer.getBytes(offset, answer, 0, n);
                got[0] = n;
            }
        };
        final UdpSocket socket = host.stack().udp().open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s, final long nowNs)
            {
                s.receive(reader, 16);
            }
        }, 4096, 4096);
        try
        {
            socket.sendTo(dst, port, new UnsafeBuffer(request), 0, length);
            final long endNs = System.nanoTime() + timeoutNs;
            host.poll(System.nanoTime());
            while (got[0] < 0)
            {
                final long nowNs = System.nanoTime();
                if (nowNs >= endNs)
                {
                    break;
                }
                host.idle(nowNs, Math.min(endNs, host.pollAtNs(nowNs)));
                host.poll(System.nanoTime());
            }
            return got[0];
        }
        finally
        {
            socket.close();
            this.nowNs = System.nanoTime();
        }
    }

    @Override
    public int inFlight()
    {
        return active.size() + finished.size();
    }

    @Override
    public void start(final ProbeProtocol protocol, final InetAddress address, final int port, final long timeoutNs,
        final int attempts, final long nowNs, final ProbeCallback callback)
    {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "host");
        Objects.requireNonNull(callback, "callback");
        if (closed)
        {
            throw new IllegalStateException("prober is closed");
        }
        if (inFlight() >= capacity)
        {
            throw new IllegalStateException("already " + inFlight() + " probes in flight, the capacity");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
        if (timeoutNs <= 0 || attempts < 1)
        {
            throw new IllegalArgumentException("timeoutNs must be positive and attempts at least 1");
        }
        this.nowNs = nowNs;
        final Probe probe = new Probe(protocol, address, port, timeoutNs, attempts, callback);
        final byte[] b = address.getAddress();
        if (!(address instanceof Inet4Address))
        {
            if (protocol != ProbeProtocol.TCP)
            {
                probe.finish(PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1,
                    "udp probes over the stack's IPv6 are not there yet");
                return;
            }
            probe.ipv6 = true;
            probe.hi = java.nio.ByteBuffer.wrap(b, 0, 8).getLong();
            probe.lo = java.nio.ByteBuffer.wrap(b, 8, 8).getLong();
            active.add(probe);
            probe.dispatch(nowNs);
            return;
        }
        probe.addr = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        active.add(probe);
        probe.dispatch(nowNs);
    }

    @Override
    public int poll(final long nowNs)
    {
        if (closed)
        {
            return 0;
        }
        this.nowNs = nowNs;
        // RTT: from just before the host.poll that sends a probe to the socket's callback for its answer, both on
        // System.nanoTime(); not from the runner's older nowNs, and not read off the poll's nowNs, which would make
        // an answer handled in the same poll as its send 0. A probe whose next hop needs ARP includes it, as a
        // kernel socket's connect does.
        stampSent(System.nanoTime());
        host.poll(nowNs);
        for (int i = active.size() - 1; i >= 0; i--)
        {
            active.get(i).onPoll(nowNs); // may finish and remove itself
        }
        // what the probes queued (SYNs, datagrams) leaves now rather than on the next turn
        stampSent(System.nanoTime());
        host.poll(nowNs);
        UdpSocket socket;
        while ((socket = lingering.poll()) != null)
        {
            socket.close();
        }
        int delivered = 0;
        Probe done;
        while ((done = finished.poll()) != null)
        {
            delivered++;
            done.callback.onProbeResult(done.result);
        }
        return delivered;
    }

    private void stampSent(final long sentNs)
    {
        for (int i = 0; i < active.size(); i++)
        {
            final Probe probe = active.get(i);
            if (probe.unsent)
            {
                probe.unsent = false;
                probe.sentNs = sentNs;
            }
        }
    }

    @Override
    public long nextDeadlineNs()
    {
        long at = host.pollAtNs(nowNs);
        for (int i = 0; i < active.size(); i++)
        {
            at = Math.min(at, active.get(i).deadlineNs);
        }
        return finished.isEmpty() ? at : nowNs;
    }

    /** Sleeps in the device until a frame may have arrived, {@code maxWaitNs} or a {@link #wakeup()}. */
    @Override
    public void awaitWork(final long maxWaitNs)
    {
        if (closed || maxWaitNs <= 0 || !finished.isEmpty())
        {
            return;
        }
        host.idle(nowNs, nowNs + maxWaitNs);
    }

    @Override
    public void wakeup()
    {
        host.wakeup();
    }

    @Override
    public int cancelAll()
    {
        final int cancelled = inFlight();
        for (int i = 0; i < active.size(); i++)
        {
            active.get(i).release();
        }
        active.clear();
        finished.clear();
        return cancelled;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            cancelAll();
            closed = true;
            if (ownsHost)
            {
                host.poll(nowNs); // farewells still queued leave first
            }
            lingering.forEach(UdpSocket::close);
            lingering.clear();
            if (ownsHost)
            {
                host.poll(nowNs);
                host.close();
            }
        }
    }

    /** One port being probed. */
    private final class Probe implements TcpSocketListener, UdpSocketListener, UdpDatagramHandler
    {
        final ProbeProtocol protocol;
        final InetAddress address;
        final int port;
        final long timeoutNs;
        final int attempts;
        final ProbeCallback callback;
        int addr;
        /** A TCP probe to an IPv6 address: {@link #hi}, {@link #lo}. */
        boolean ipv6;
        long hi;
        long lo;
        int attempt;
        long sentNs;
        /** Queued by {@link #dispatch} and not yet handed to the stack's poll, which sends it. */
        boolean unsent;
        boolean lingerUdp;
        long deadlineNs = Long.MAX_VALUE;
        TcpSocket tcp;
        UdpSocket udp;
        ProbeResult result;

        Probe(final ProbeProtocol protocol, final InetAddress address, final int port, final long timeoutNs,
            final int attempts, final ProbeCallback callback)
        {
            this.protocol = protocol;
            this.address = address;
            this.port = port;
            this.timeoutNs = timeoutNs;
            this.attempts = attempts;
            this.callback = callback;
        }

        void dispatch(final long nowNs)
        {
            attempt++;
            sentNs = nowNs;
            unsent = true;
            deadlineNs = nowNs + timeoutNs;
            if (protocol == ProbeProtocol.TCP)
            {
                releaseTcp();
                tcp = host.tcp().openSocket();
                // our own timer decides; the socket's only keeps it from lingering if we were not polled
                tcp.setConnectTimeoutNs(timeoutNs * 2).setListener(this);
                if (!(ipv6 ? tcp.connect6(hi, lo, port) : tcp.connect(addr, port)))
                {
                    finish(PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1, tcp.error() == TcpError.NO_ADDRESS
                        ? (ipv6 ? StackTransport.NO_IPV6_ADDRESS : StackTransport.NO_ADDRESS)
                        : "no free local port or connection slot");
                }
                return;
            }
            if (udp == null)
            {
                udp = host.stack().udp().open(this);
                try
                {
                    udp.bind(0);
                }
                catch (final IllegalStateException ex)
                {
                    finish(PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1, ex.getMessage());
                    return;
                }
            }
            final UnsafeBuffer payload = udpPayload();
            if (!udp.sendTo(addr, port, payload, 0, payload.capacity()))
            {
                attempt--; // the send queue is full: try again on the next poll
                deadlineNs = nowNs;
            }
        }

        private UnsafeBuffer udpPayload()
        {
            final ByteBuffer payload = options.udpPayloadFor(port);
            final byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            return new UnsafeBuffer(bytes);
        }

        void onPoll(final long nowNs)
        {
            if (result != null)
            {
                return;
            }
            if (udp != null && udp.isOpen())
            {
                udp.receive(this, 16);
            }
            if (result == null && nowNs >= deadlineNs)
            {
                if (attempt < attempts)
                {
                    dispatch(nowNs);
                }
                else if (protocol == ProbeProtocol.TCP)
                {
                    finish(PortState.FILTERED, ProbeReason.NO_RESPONSE, -1, null);
                }
                else
                {
                    finish(PortState.OPEN_FILTERED, ProbeReason.NO_RESPONSE, -1, null);
                }
            }
        }

        @Override
        public void onConnected(final TcpSocket socket)
        {
            if (socket == tcp)
            {
                finish(PortState.OPEN, ProbeReason.SYN_ACK, System.nanoTime() - sentNs, null);
            }
        }

        @Override
        public void onError(final TcpSocket socket, final TcpError error)
        {
            if (socket != tcp || result != null)
            {
                return;
            }
            final long rtt = System.nanoTime() - sentNs;
            switch (error)
            {
                case REFUSED:
                    finish(PortState.CLOSED, ProbeReason.CONN_REFUSED, rtt, null);
                    break;
                case UNREACHABLE:
                    finish(PortState.FILTERED, ProbeReason.HOST_UNREACH, rtt, "host unreachable");
                    break;
                case PROHIBITED:
                    finish(PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED, rtt, ipv6
                        ? "ICMPv6 communication with destination administratively prohibited: a firewall rejected it"
                        : "ICMP communication administratively prohibited: a firewall rejected it");
                    break;
                case TIMEOUT:
                    deadlineNs = host.nowNs(); // our timer decides: retry or no-response
                    break;
                default:
                    finish(PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1, "tcp " + error);
                    break;
            }
        }

        @Override
        public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            if (result != null || srcAddr != addr || srcPort != port)
            {
                return;
            }
            final ByteBuffer reply = ByteBuffer.allocate(length);
            buffer.getBytes(offset, reply, length);
            reply.flip();
            final ProbeReason reason = classifier.classify(reply.asReadOnlyBuffer());
            final byte[] farewell = classifier.farewell(reply.asReadOnlyBuffer());
            if (farewell != null && udp != null)
            {
                // best effort; the socket stays open until the stack has sent it
                lingerUdp = udp.sendTo(addr, port, new UnsafeBuffer(farewell), 0, farewell.length);
            }
            finish(PortState.OPEN, reason == null ? ProbeReason.UDP_RESPONSE : reason, System.nanoTime() - sentNs,
                null);
        }

        @Override
        public void onIcmpError(final UdpSocket socket, final int errno, final int icmpType, final int icmpCode,
            final int remoteAddr, final int remotePort)
        {
            // type 3 codes 9, 10, 13: administratively prohibited (RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1), as nmap
            if (icmpType == 3 && (icmpCode == 9 || icmpCode == 10 || icmpCode == 13))
            {
                if (result == null && remoteAddr == addr && remotePort == port)
                {
                    finish(PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED, System.nanoTime() - sentNs,
                        "ICMP communication administratively prohibited: a firewall rejected it");
                }
                return;
            }
            onError(socket, errno, remoteAddr, remotePort);
        }

        @Override
        public void onError(final UdpSocket socket, final int errno, final int remoteAddr, final int remotePort)
        {
            if (result != null || remoteAddr != addr || remotePort != port)
            {
                return;
            }
            final long rtt = System.nanoTime() - sentNs;
            switch (errno)
            {
                case Errno.ECONNREFUSED:
                    finish(PortState.CLOSED, ProbeReason.PORT_UNREACH, rtt, null);
                    break;
                case Errno.ENETUNREACH:
                    finish(PortState.FILTERED, ProbeReason.NET_UNREACH, rtt, "network is unreachable");
                    break;
                case Errno.EHOSTUNREACH:
                    finish(PortState.FILTERED, ProbeReason.HOST_UNREACH, rtt, "no route to host");
                    break;
                default:
                    break; // EMSGSIZE, EPROTO: not an answer about the port
            }
        }

        void finish(final PortState state, final ProbeReason reason, final long rttNs, final String detail)
        {
            if (result != null)
            {
                return;
            }
            // nothing left yet (no ARP answer): no RTT rather than one from another clock
            final long rtt = rttNs < 0 || unsent ? -1 : rttNs;
            result = new ProbeResult(protocol, address, port, state, reason, rtt, attempt, detail);
            release();
            active.remove(this);
            finished.add(this);
        }

        void release()
        {
            releaseTcp();
            if (udp != null)
            {
                if (lingerUdp)
                {
                    lingering.add(udp);
                }
                else
                {
                    udp.close();
                }
                udp = null;
            }
        }

        private void releaseTcp()
        {
            if (tcp != null)
            {
                tcp.setListener(null);
                tcp.abort();
                tcp = null;
            }
        }
    }
}
