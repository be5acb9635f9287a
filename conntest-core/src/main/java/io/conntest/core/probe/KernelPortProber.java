package io.conntest.core.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A {@link PortProber} on the JDK's sockets, every probe on one NIO {@link Selector} in the owner's thread (nmap's
 * "connect scan", which needs no privileges).
 *
 * <p>TCP: a non-blocking connect per attempt, closed with {@code SO_LINGER 0} (a reset, so no TIME-WAIT piles up).
 * Connected: open/syn-ack. ECONNREFUSED: closed/conn-refused. EHOSTUNREACH or ENETUNREACH (from an ICMP error or
 * the local routing table): filtered/host-unreach or net-unreach. EPERM (a local firewall dropped the SYN on output):
 * filtered/admin-prohibited. No answer within the timeout after every attempt: filtered/no-response.
 *
 * <p>UDP: a connected datagram channel, so the kernel hands ICMP errors for it back to the socket (RFC 1122
 * 4.1.3.3). It sends the payload, and resends it on timeout until the attempts are used up. A datagram back:
 * open with the {@link UdpReplyClassifier}'s reason. ICMP port unreachable (PortUnreachableException):
 * closed/port-unreach. Host or network unreachable: filtered. Silence: open|filtered/no-response.
 *
 * <p>Not thread-safe except {@link #wakeup()}. Allocates per probe (a channel, a small record), never per poll.
 */
public final class KernelPortProber implements PortProber
{
    private static final int MAX_DATAGRAM = 65_536;
    private static final int MAX_SELF_CONNECTS = 3;
    private static final long MAX_WAIT_NS = TimeUnit.MINUTES.toNanos(1);

    private final Selector selector;
    private final int capacity;
    private final ByteBuffer udpPayload;
    private final IntFunction<ByteBuffer> udpPayloadForPort;
    private final UdpReplyClassifier udpReplyClassifier;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final PriorityQueue<Probe> timers = new PriorityQueue<>(Comparator.comparingLong(Probe::deadlineNs));
    private final ArrayDeque<Probe> finished = new ArrayDeque<>();
    private int inFlight;
    private boolean closed;
    private boolean closesPending;
    /** When the last {@link #awaitWork} select returned: the arrival bound of the keys it selected. */
    private long selectedAtNs;

    /**
     * @param capacity           most probes in flight (each holds a file descriptor)
     * @param udpPayload         sent in each UDP probe, between position and limit (copied); at least one byte,
     *                           because the JDK sends nothing for an empty buffer on a connected channel
     * @param udpReplyClassifier what a UDP reply proves
     */
    public KernelPortProber(final int capacity, final ByteBuffer udpPayload,
        final UdpReplyClassifier udpReplyClassifier)
    {
        this(capacity, udpPayload, null, udpReplyClassifier);
    }

    /**
     * As above, with a payload per port: {@code udpPayloadForPort} gives the payload for a port (between position
     * and limit), or null for {@code udpPayload}.
     */
    public KernelPortProber(final int capacity, final ByteBuffer udpPayload,
        final IntFunction<ByteBuffer> udpPayloadForPort, final UdpReplyClassifier udpReplyClassifier)
    {
        if (capacity < 1 || capacity > ProbeOptions.MAX_IN_FLIGHT_LIMIT)
        {
            throw new IllegalArgumentException("capacity " + capacity + " out of range 1-"
                + ProbeOptions.MAX_IN_FLIGHT_LIMIT);
        }
        if (!udpPayload.hasRemaining())
        {
            throw new IllegalArgumentException("the UDP payload needs at least one byte");
        }
        this.capacity = capacity;
        final ByteBuffer payload = ByteBuffer.allocateDirect(udpPayload.remaining());
        payload.put(udpPayload.duplicate()).flip();
        this.udpPayload = payload;
        this.udpPayloadForPort = udpPayloadForPort;
        this.udpReplyClassifier = Objects.requireNonNull(udpReplyClassifier, "udpReplyClassifier");
        try
        {
            this.selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector", ex);
        }
    }

    /** A prober sized and configured by {@code options} (in-flight bound, UDP payload and classifier). */
    public static KernelPortProber create(final ProbeOptions options)
    {
        return new KernelPortProber(options.maxInFlight(), options.udpPayload(),
            options.wellKnownUdpPayloads() ? port -> UdpPayloads.forPort(port) == null ? null
                : options.udpPayloadFor(port) : null,
            options.udpReplyClassifier());
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    /** A blocking datagram socket of its own, once the scan is over: one question, one answer. */
    @Override
    public int exchange(final InetAddress host, final int port, final byte[] request, final int length,
        final byte[] answer, final long timeoutNs)
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket())
        {
            socket.send(new java.net.DatagramPacket(request, length, new InetSocketAddress(host, port)));
            final long endNs = System.nanoTime() + timeoutNs;
            final java.net.DatagramPacket in = new java.net.DatagramPacket(answer, answer.length);
            while (true)
            {
                final long leftMs = TimeUnit.NANOSECONDS.toMillis(endNs - System.nanoTime());
                if (leftMs <= 0)
                {
                    return -1;
                }
                socket.setSoTimeout((int)Math.min(Integer.MAX_VALUE, leftMs));
                socket.receive(in);
                if (in.getAddress().equals(host) && in.getPort() == port)
                {
                    return in.getLength();
                }
            }
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            return -1;
        }
        catch (final IOException ex)
        {
            return -1; // an ICMP port unreachable (nothing listens there), no route: no answer
        }
    }

    @Override
    public int inFlight()
    {
        return inFlight;
    }

    @Override
    public void start(final ProbeProtocol protocol, final InetAddress host, final int port, final long timeoutNs,
        final int attempts, final long nowNs, final ProbeCallback callback)
    {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(callback, "callback");
        if (closed)
        {
            throw new IllegalStateException("prober is closed");
        }
        if (inFlight >= capacity)
        {
            throw new IllegalStateException("already " + inFlight + " probes in flight, the capacity");
        }
        if (port < 1 || port > PortSpec.MAX_PORT)
        {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
        if (timeoutNs <= 0 || attempts < 1)
        {
            throw new IllegalArgumentException("timeoutNs must be positive and attempts at least 1");
        }
        final Probe probe = new Probe(protocol, new InetSocketAddress(host, port), timeoutNs, attempts, callback);
        inFlight++;
        if (protocol == ProbeProtocol.TCP)
        {
            dispatchConnect(probe, nowNs);
        }
        else
        {
            dispatchDatagram(probe, nowNs);
        }
    }

    @Override
    public int poll(final long nowNs)
    {
        if (closed)
        {
            return 0;
        }
        // An answer's time is the moment its readiness was seen: the keys the last wait selected were ready when that
        // select returned; the rest when selectNow returns. Not the caller's nowNs, which is older than both by the
        // time spent starting other probes, so each RTT runs from its own send to its own answer.
        if (!selector.selectedKeys().isEmpty())
        {
            processSelected(selectedAtNs);
        }
        try
        {
            selector.selectNow();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selectNow failed", ex);
        }
        processSelected(System.nanoTime());
        flushCloses();
        Probe due = timers.peek();
        while (due != null && due.deadlineNs <= nowNs)
        {
            timers.poll();
            onTimeout(due, nowNs);
            due = timers.peek();
        }
        flushCloses();
        return deliver();
    }

    private void processSelected(final long readyNs)
    {
        final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext())
        {
            final SelectionKey key = keys.next();
            keys.remove();
            final Probe probe = (Probe)key.attachment();
            if (key.isValid() && probe.channel == key.channel() && !probe.done)
            {
                if (probe.protocol == ProbeProtocol.TCP)
                {
                    processConnect(probe, readyNs);
                }
                else
                {
                    processDatagram(probe, readyNs);
                }
            }
        }
    }

    @Override
    public long nextDeadlineNs()
    {
        final Probe first = timers.peek();
        return first == null ? Long.MAX_VALUE : first.deadlineNs;
    }

    @Override
    public void awaitWork(final long maxWaitNs)
    {
        if (closed || maxWaitNs <= 0 || !finished.isEmpty() || !selector.selectedKeys().isEmpty())
        {
            return;
        }
        // select(0) would wait forever: round up to whole milliseconds (at least one) so the loop never spins,
        // and cap the wait so that the rounding cannot overflow.
        final long waitNs = Math.min(maxWaitNs, MAX_WAIT_NS);
        final long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs + 999_999));
        try
        {
            selector.select(timeoutMs);
            selectedAtNs = System.nanoTime();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("select failed", ex);
        }
    }

    @Override
    public void wakeup()
    {
        selector.wakeup();
    }

    @Override
    public int cancelAll()
    {
        final int cancelled = inFlight;
        for (final Probe probe : timers)
        {
            probe.done = true;
            closeQuietly(probe.channel);
        }
        timers.clear();
        finished.clear();
        inFlight = 0;
        flushCloses();
        return cancelled;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            cancelAll();
            closed = true;
            try
            {
                selector.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot close the selector", ex);
            }
        }
    }

    private void dispatchConnect(final Probe probe, final long nowNs)
    {
        probe.attempt++;
        probe.sentNs = nowNs;
        try
        {
            final SocketChannel channel = SocketChannel.open();
            probe.channel = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            probe.sentNs = System.nanoTime(); // the SYN leaves in connect(): the RTT starts here
            if (channel.connect(probe.address))
            {
                onConnected(probe, channel, System.nanoTime());
                return;
            }
            channel.register(selector, SelectionKey.OP_CONNECT, probe);
            armTimer(probe, nowNs);
        }
        catch (final IOException ex)
        {
            // loopback answers (or refuses) inside connect() itself
            finishWithError(probe, ex, System.nanoTime() - probe.sentNs);
        }
    }

    private void processConnect(final Probe probe, final long nowNs)
    {
        try
        {
            final SocketChannel channel = (SocketChannel)probe.channel;
            if (channel.finishConnect())
            {
                timers.remove(probe);
                onConnected(probe, channel, nowNs);
            }
        }
        catch (final IOException ex)
        {
            timers.remove(probe);
            finishWithError(probe, ex, nowNs - probe.sentNs);
        }
    }

    private void onConnected(final Probe probe, final SocketChannel channel, final long nowNs) throws IOException
    {
        // A connect to a local port that is also the ephemeral port the kernel picked for us meets itself: a TCP
        // simultaneous open (RFC 9293 3.5). The kernel never picks a port something listens on, so it proves
        // nothing is there, but not with the evidence nmap would print; probe again from another port.
        if (probe.address.equals(channel.getLocalAddress()))
        {
            probe.selfConnects++;
            closeQuietly(channel);
            if (probe.selfConnects <= MAX_SELF_CONNECTS)
            {
                // Connect again from the timer pass, once the closed socket has really let go of its port.
                probe.attempt--;
                probe.deadlineNs = nowNs;
                timers.add(probe);
            }
            else
            {
                finish(probe, PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1, "connected to itself");
            }
            return;
        }
        finish(probe, PortState.OPEN, ProbeReason.SYN_ACK, nowNs - probe.sentNs, null);
    }

    private void dispatchDatagram(final Probe probe, final long nowNs)
    {
        try
        {
            DatagramChannel channel = DatagramChannel.open();
            probe.channel = channel;
            channel.configureBlocking(false);
            channel.connect(probe.address);
            // As for TCP: a local port the kernel chose as our own source port would echo the probe to itself.
            while (probe.address.equals(channel.getLocalAddress()))
            {
                closeQuietly(channel);
                if (++probe.selfConnects > MAX_SELF_CONNECTS)
                {
                    finish(probe, PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1, "connected to itself");
                    return;
                }
                channel = DatagramChannel.open();
                probe.channel = channel;
                channel.configureBlocking(false);
                channel.connect(probe.address);
            }
            channel.register(selector, SelectionKey.OP_READ, probe);
            sendDatagram(probe, nowNs);
            armTimer(probe, nowNs);
        }
        catch (final IOException ex)
        {
            finishWithError(probe, ex, -1);
        }
    }

    private void sendDatagram(final Probe probe, final long nowNs) throws IOException
    {
        probe.attempt++;
        final ByteBuffer specific = udpPayloadForPort == null ? null
            : udpPayloadForPort.apply(probe.address.getPort());
        probe.sentNs = System.nanoTime(); // the RTT starts at the send, not at the caller's older nowNs
        ((DatagramChannel)probe.channel).write(specific != null ? specific.duplicate() : udpPayload.duplicate());
    }

    private void processDatagram(final Probe probe, final long nowNs)
    {
        try
        {
            receiveBuffer.clear();
            if (((DatagramChannel)probe.channel).receive(receiveBuffer) == null)
            {
                return;
            }
            receiveBuffer.flip();
            final ProbeReason reason = udpReplyClassifier.classify(receiveBuffer.asReadOnlyBuffer());
            final byte[] farewell = udpReplyClassifier.farewell(receiveBuffer.asReadOnlyBuffer());
            if (farewell != null)
            {
                ((DatagramChannel)probe.channel).write(ByteBuffer.wrap(farewell)); // best effort
            }
            timers.remove(probe);
            finish(probe, PortState.OPEN, reason == null ? ProbeReason.UDP_RESPONSE : reason, nowNs - probe.sentNs,
                null);
        }
        catch (final IOException ex)
        {
            timers.remove(probe);
            finishWithError(probe, ex, nowNs - probe.sentNs);
        }
    }

    private void onTimeout(final Probe probe, final long nowNs)
    {
        if (probe.attempt < probe.attempts)
        {
            if (probe.protocol == ProbeProtocol.TCP)
            {
                closeQuietly(probe.channel);
                dispatchConnect(probe, nowNs);
            }
            else
            {
                try
                {
                    sendDatagram(probe, nowNs);
                    armTimer(probe, nowNs);
                }
                catch (final IOException ex)
                {
                    finishWithError(probe, ex, nowNs - probe.sentNs);
                }
            }
            return;
        }
        finish(probe, probe.protocol == ProbeProtocol.TCP ? PortState.FILTERED : PortState.OPEN_FILTERED,
            ProbeReason.NO_RESPONSE, -1, null);
    }

    private void armTimer(final Probe probe, final long nowNs)
    {
        probe.deadlineNs = nowNs + probe.timeoutNs;
        timers.add(probe);
    }

    private void finishWithError(final Probe probe, final IOException ex, final long rttNs)
    {
        final String message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
        final boolean tcp = probe.protocol == ProbeProtocol.TCP;
        final String detail = errnoWords(ex);
        if (ex instanceof PortUnreachableException)
        {
            finish(probe, PortState.CLOSED, ProbeReason.PORT_UNREACH, rttNs, null);
        }
        else if (message.contains("refused"))
        {
            finish(probe, PortState.CLOSED, tcp ? ProbeReason.CONN_REFUSED : ProbeReason.PORT_UNREACH, rttNs, null);
        }
        else if (ex instanceof NoRouteToHostException || message.contains("no route to host")
            || message.contains("host is unreachable"))
        {
            finish(probe, PortState.FILTERED, ProbeReason.HOST_UNREACH, rttNs, detail
                + " (no ARP answer on the link, or an ICMP error from a router or firewall)");
        }
        else if (message.contains("network is unreachable"))
        {
            finish(probe, PortState.FILTERED, ProbeReason.NET_UNREACH, rttNs, detail
                + " (no route to it here: see ip route get " + io.conntest.core.transport.HostText.of(probe.address.getAddress()) + ")");
        }
        else if (message.contains("permission denied"))
        {
            // EACCES: what Linux makes of an ICMPv6 "communication with destination administratively prohibited"
            // (RFC 4443 §3.1 code 1, icmpv6_err_convert), on a TCP connect and on a connected UDP socket alike
            finish(probe, PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED, rttNs,
                detail + " (ICMPv6 administratively prohibited: a firewall rejected it)");
        }
        else if (message.contains("operation not permitted"))
        {
            finish(probe, PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED, -1,
                "operation not permitted: a firewall rule on this host refused to send");
        }
        else if (message.contains("timed out"))
        {
            finish(probe, tcp ? PortState.FILTERED : PortState.OPEN_FILTERED, ProbeReason.NO_RESPONSE, -1, detail);
        }
        else
        {
            finish(probe, PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1, detail);
        }
    }

    /**
     * The error as the words of its errno (strerror's, lower case), never a Java exception name: what a user sees
     * in the detail column. The JDK's message is strerror's text already; only its class name is dropped.
     */
    static String errnoWords(final IOException ex)
    {
        final String message = ex.getMessage();
        if (message == null || message.isBlank())
        {
            return ex instanceof NoRouteToHostException ? "no route to host" : "i/o error";
        }
        final String words = message.strip().toLowerCase(Locale.ROOT);
        return words.endsWith(".") ? words.substring(0, words.length() - 1) : words;
    }

    private void finish(final Probe probe, final PortState state, final ProbeReason reason, final long rttNs,
        final String detail)
    {
        probe.done = true;
        closeQuietly(probe.channel);
        probe.result = new ProbeResult(probe.protocol, probe.address.getAddress(), probe.address.getPort(), state,
            reason, Math.max(-1, rttNs), probe.attempt, detail);
        finished.add(probe);
    }

    /** Completes deferred closes now, so their ports are free before the owner starts the next probes. */
    private void flushCloses()
    {
        if (closesPending && !closed)
        {
            closesPending = false;
            try
            {
                selector.selectNow();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("selectNow failed", ex);
            }
        }
    }

    private int deliver()
    {
        int delivered = 0;
        Probe probe;
        while ((probe = finished.poll()) != null)
        {
            inFlight--;
            delivered++;
            probe.callback.onProbeResult(probe.result);
        }
        return delivered;
    }

    /**
     * Closes a probe's channel. The JDK defers the real close of a channel registered with a selector until the
     * selector's next select, so the socket (and its local port) outlives this call until {@link #flushCloses()}.
     */
    private void closeQuietly(final SelectableChannel channel)
    {
        if (channel != null)
        {
            closesPending |= channel.isRegistered();
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // Closing a probe socket cannot fail in a way that changes the result.
            }
        }
    }

    /** One port being probed. */
    private static final class Probe
    {
        final ProbeProtocol protocol;
        final InetSocketAddress address;
        final long timeoutNs;
        final int attempts;
        final ProbeCallback callback;
        SelectableChannel channel;
        int attempt;
        int selfConnects;
        long sentNs;
        long deadlineNs;
        boolean done;
        ProbeResult result;

        Probe(final ProbeProtocol protocol, final InetSocketAddress address, final long timeoutNs, final int attempts,
            final ProbeCallback callback)
        {
            this.protocol = protocol;
            this.address = address;
            this.timeoutNs = timeoutNs;
            this.attempts = attempts;
            this.callback = callback;
        }

        long deadlineNs()
        {
            return deadlineNs;
        }
    }
}
