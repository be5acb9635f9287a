package io.conntest.core.iperf3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.agrona.DirectBuffer;

import io.conntest.core.transport.Connection;

/**
 * One iperf3 test, server side: the control connection's state machine (iperf3's {@code iperf_accept},
 * {@code iperf_handle_message_server} and {@code iperf_exchange_results}) and the data streams. In order: the
 * server sends PARAM_EXCHANGE and reads the parameters JSON; sends CREATE_STREAMS and takes the client's stream
 * connections; sends TEST_START and TEST_RUNNING and counts or sends data; on the client's TEST_END closes the
 * streams, sends EXCHANGE_RESULTS, reads the client's results JSON, sends its own, then DISPLAY_RESULTS, and waits
 * for IPERF_DONE. Anything else, or nothing for too long, ends the test with one log line.
 */
final class Iperf3Test
{
    /** Where the test is. */
    enum Phase
    {
        PARAMS, STREAMS, RUNNING, RESULTS, DONE_WAIT, ENDED
    }

    /** No byte in either direction for this long cuts a test off (a stalled or vanished client). */
    static final long STALL_NS = 10_000_000_000L;
    /** A timed test may run this much longer than asked before it is cut off (a client that never ends it). */
    static final long OVERRUN_NS = 30_000_000_000L;
    /** How far a paced sender may run ahead of its rate. */
    private static final long PACE_TICK_NS = 1_000_000L;

    private final Iperf3Server server;
    final Connection control;
    final byte[] cookie;
    private final int number;
    private final ControlReader in = new ControlReader();
    private final ControlWriter out = new ControlWriter();
    private final List<Iperf3Stream> streams = new ArrayList<>();
    private Phase phase = Phase.PARAMS;
    private boolean awaitingLength = true;
    private Iperf3Params params;
    private long lastProgressNs;
    private long startNs;
    private long omitEndNs;
    private boolean omitDone;
    private long endNs;
    private long sentTotal;
    private long nextPumpNs = Long.MAX_VALUE;
    private boolean closeWhenFlushed;
    private String clientReport = "";
    /** The UDP socket and datagram work of a {@code -u} test, else null. */
    private UdpStreams udp;

    Iperf3Test(final Iperf3Server server, final Connection control, final byte[] cookie, final int number,
        final long nowNs)
    {
        this.server = server;
        this.control = control;
        this.cookie = cookie.clone();
        this.number = number;
        this.lastProgressNs = nowNs;
        in.expect(4);
        out.state(Iperf3Protocol.PARAM_EXCHANGE);
        flush();
    }

    Phase phase()
    {
        return phase;
    }

    boolean isEnded()
    {
        return phase == Phase.ENDED;
    }

    boolean matches(final byte[] otherCookie)
    {
        return Arrays.equals(cookie, otherCookie);
    }

    /** Whether a connection with this test's cookie is taken as a data stream now. */
    boolean wantsStream()
    {
        return phase == Phase.STREAMS && streams.size() < params.streamCount();
    }

    /** Bytes on the control connection. */
    void onControlData(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        lastProgressNs = nowNs;
        int at = offset;
        final int end = offset + length;
        while (at < end && phase != Phase.ENDED)
        {
            at += in.take(buffer, at, end - at);
            if (in.complete())
            {
                onMessage(nowNs);
            }
            else if (at < end)
            {
                // A complete message was handled and the reader waits for nothing: the client sent out of turn.
                cut(nowNs, "sent " + (end - at) + " bytes out of turn in " + phase);
                return;
            }
        }
    }

    private void onMessage(final long nowNs)
    {
        switch (phase)
        {
            case PARAMS, RESULTS ->
            {
                if (awaitingLength)
                {
                    final long length = in.length();
                    if (length < 1 || length > Iperf3Protocol.MAX_JSON)
                    {
                        cut(nowNs, "announced a JSON of " + length + " bytes (at most " + Iperf3Protocol.MAX_JSON
                            + ")");
                        return;
                    }
                    awaitingLength = false;
                    in.expect((int)length);
                    return;
                }
                final Map<String, Object> json;
                try
                {
                    json = Iperf3Json.parseObject(in.text());
                }
                catch (final IllegalArgumentException ex)
                {
                    cut(nowNs, "sent bad JSON in " + phase + ": " + ex.getMessage());
                    return;
                }
                awaitingLength = true;
                if (phase == Phase.PARAMS)
                {
                    onParams(json, nowNs);
                }
                else
                {
                    onClientResults(json, nowNs);
                }
            }
            case STREAMS, RUNNING, DONE_WAIT -> onState(in.stateByte(), nowNs);
            default ->
            {
            }
        }
    }

    private void onParams(final Map<String, Object> json, final long nowNs)
    {
        params = Iperf3Params.from(json);
        if (params.unsupported() != null)
        {
            // iperf3's own answer to a parameter it cannot serve: SERVER_ERROR, i_errno, errno.
            out.state(Iperf3Protocol.SERVER_ERROR);
            out.int32(params.errorCode());
            out.int32(0);
            server.log(nowNs, this, true, "refused: " + params.unsupported() + " is not supported (" + params.describe()
                + ")", -1, -1);
            finish();
            return;
        }
        if (params.udp())
        {
            udp = new UdpStreams(this, params.counters64(), params.block(), nowNs);
            try
            {
                udp.port = server.openDatagram(udp);
            }
            catch (final RuntimeException ex)
            {
                out.state(Iperf3Protocol.SERVER_ERROR);
                out.int32(Iperf3Protocol.IELISTEN);
                out.int32(0);
                server.log(nowNs, this, true, "refused: cannot open the UDP port: " + ex.getMessage(), -1, -1);
                finish();
                return;
            }
        }
        server.log(nowNs, this, false, "test #" + number + " begins: " + params.describe(), -1, -1);
        phase = Phase.STREAMS;
        in.expect(1);
        out.state(Iperf3Protocol.CREATE_STREAMS);
        flush();
    }

    /** A connection with this test's cookie, taken as the next stream. */
    void addStream(final Connection connection, final long nowNs)
    {
        lastProgressNs = nowNs;
        final int index = streams.size();
        streams.add(new Iperf3Stream(connection, index, params.serverSends(index)));
        streamAdded(nowNs);
    }

    /** A UDP stream: a new client address that sent iperf3's connect message. */
    void addUdpStream(final int addr, final int port, final long nowNs)
    {
        lastProgressNs = nowNs;
        final int index = streams.size();
        streams.add(new Iperf3Stream(addr, port, index, params.serverSends(index)));
        streamAdded(nowNs);
    }

    Iperf3Stream udpStream(final int addr, final int port)
    {
        for (int i = 0; i < streams.size(); i++)
        {
            final Iperf3Stream s = streams.get(i);
            if (s.isUdp() && s.udpAddr == addr && s.udpPort == port)
            {
                return s;
            }
        }
        return null;
    }

    boolean running()
    {
        return phase == Phase.RUNNING;
    }

    void progress(final long nowNs)
    {
        lastProgressNs = nowNs;
    }

    private void streamAdded(final long nowNs)
    {
        if (streams.size() == params.streamCount())
        {
            phase = Phase.RUNNING;
            startNs = nowNs;
            omitEndNs = nowNs + params.omitS() * 1_000_000_000L;
            omitDone = params.omitS() == 0;
            out.state(Iperf3Protocol.TEST_START);
            out.state(Iperf3Protocol.TEST_RUNNING);
            flush();
            pump(nowNs);
        }
    }

    Iperf3Stream stream(final Connection connection)
    {
        for (int i = 0; i < streams.size(); i++)
        {
            if (streams.get(i).connection == connection)
            {
                return streams.get(i);
            }
        }
        return null;
    }

    /** Data on a stream: counted while the test runs, ignored after. */
    void onStreamData(final Iperf3Stream stream, final int length, final long nowNs)
    {
        if (phase == Phase.RUNNING)
        {
            lastProgressNs = nowNs;
            stream.bytes += length;
        }
    }

    private void onState(final byte state, final long nowNs)
    {
        in.expect(1);
        if (state == Iperf3Protocol.TEST_END && phase == Phase.RUNNING)
        {
            endNs = nowNs;
            markOmitEnd(nowNs);
            closeStreams();
            phase = Phase.RESULTS;
            in.expect(4);
            awaitingLength = true;
            out.state(Iperf3Protocol.EXCHANGE_RESULTS);
            flush();
        }
        else if (state == Iperf3Protocol.IPERF_DONE && phase == Phase.DONE_WAIT)
        {
            finish();
        }
        else if (state == Iperf3Protocol.CLIENT_TERMINATE)
        {
            endNs = nowNs;
            server.log(nowNs, this, true, "test #" + number + ": the client terminated it in " + phase, -1, -1);
            finish();
        }
        else if (state != Iperf3Protocol.TEST_START)
        {
            cut(nowNs, "sent " + Iperf3Protocol.stateName(state) + " in " + phase);
        }
    }

    private void onClientResults(final Map<String, Object> json, final long nowNs)
    {
        long clientBytes = 0;
        if (json.get("streams") instanceof List<?> list)
        {
            for (final Object o : list)
            {
                if (o instanceof Map<?, ?> m && m.get("bytes") instanceof Double d)
                {
                    clientBytes += d.longValue();
                }
            }
        }
        clientReport = ", client counted " + clientBytes + " bytes";
        out.json(results(nowNs));
        out.state(Iperf3Protocol.DISPLAY_RESULTS);
        phase = Phase.DONE_WAIT;
        in.expect(1);
        flush();
        logResult(nowNs);
    }

    private void logResult(final long nowNs)
    {
        final long durationNs = Math.max(1, endNs - measureStartNs());
        long received = 0;
        long sent = 0;
        for (final Iperf3Stream s : streams)
        {
            if (s.serverSends)
            {
                sent += s.measuredBytes();
            }
            else
            {
                received += s.measuredBytes();
            }
        }
        final double seconds = durationNs / 1e9;
        if (udp != null)
        {
            clientReport += udpSummary();
        }
        server.log(nowNs, this, false, String.format(Locale.ROOT,
            "test #%d done: %s; server received %d bytes, sent %d bytes in %.2f s (%.1f Mbit/s)%s", number,
            params.describe(), received, sent, seconds, (received + sent) * 8 / seconds / 1e6, clientReport),
            received + sent, durationNs);
    }

    /** The receiving UDP streams' datagrams, losses and jitter, as iperf3's receiver line shows them. */
    private String udpSummary()
    {
        long packets = 0;
        long lost = 0;
        double jitter = 0;
        int receiving = 0;
        for (final Iperf3Stream s : streams)
        {
            if (!s.serverSends)
            {
                packets += s.packetCount - s.packetsAtOmitEnd;
                lost += s.lost - s.lostAtOmitEnd;
                jitter += s.jitter;
                receiving++;
            }
        }
        return receiving == 0 ? "" : String.format(Locale.ROOT,
            "; udp received: %d/%d lost (%d dropped by a full socket queue), jitter %.3f ms", lost, packets,
            udp.socketDrops, jitter / receiving * 1e3);
    }

    private long measureStartNs()
    {
        return params.omitS() > 0 ? Math.min(omitEndNs, endNs) : startNs;
    }

    /** The server's results object (iperf3's {@code send_results}). */
    String results(final long nowNs)
    {
        final double seconds = Math.max(0, endNs - measureStartNs()) / 1e9;
        final boolean serverSendsAny = params.reverse() || params.bidirectional();
        final Iperf3Json.Writer w = new Iperf3Json.Writer().beginObject()
            .number("cpu_util_total", 0.0).number("cpu_util_user", 0.0).number("cpu_util_system", 0.0)
            // -1: the server only received (iperf3's RECEIVER mode); 0: it sent and does not report retransmits.
            .number("sender_has_retransmits", serverSendsAny ? 0 : -1);
        if (params.serverOutput())
        {
            w.string("server_output_text", serverOutput(seconds));
        }
        w.beginArray("streams");
        for (final Iperf3Stream s : streams)
        {
            // UDP: packets is the highest sequence number (received) or the count sent, errors the losses, each
            // with what fell in the omit period beside it, as iperf3's get_results subtracts them.
            w.beginObject().number("id", s.id).number("bytes", s.measuredBytes()).number("retransmits", -1)
                .number("jitter", s.jitter).number("errors", s.lost).number("omitted_errors", s.lostAtOmitEnd)
                .number("packets", s.packetCount).number("omitted_packets", s.packetsAtOmitEnd)
                .number("start_time", 0.0).number("end_time", seconds).endObject();
        }
        return w.endArray().endObject().toString();
    }

    private String serverOutput(final double seconds)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("conntest iperf3 server, test #").append(number).append(": ").append(params.describe()).append('\n');
        sb.append("Accepted connection from ").append(control.remoteHost()).append(", port ")
            .append(control.remotePort()).append('\n');
        sb.append("[ ID] Interval           Transfer     Bitrate\n");
        for (final Iperf3Stream s : streams)
        {
            final long b = s.measuredBytes();
            sb.append(String.format(Locale.ROOT, "[%3d]   0.00-%-6.2f sec  %d bytes  %.1f Mbits/sec  %s%n", s.id,
                seconds, b, seconds > 0 ? b * 8 / seconds / 1e6 : 0.0, s.serverSends ? "sender" : "receiver"));
        }
        return sb.toString();
    }

    /** Sends on the streams the server sends on, within {@code -n}/{@code -k} and the {@code -b} pace. */
    void pump(final long nowNs)
    {
        nextPumpNs = Long.MAX_VALUE;
        if (phase != Phase.RUNNING)
        {
            return;
        }
        markOmitEnd(nowNs);
        final long limit = params.bytes() > 0 ? params.bytes()
            : params.blocks() > 0 ? params.blocks() * params.block() : Long.MAX_VALUE;
        final DirectBuffer block = server.block(params.block());
        for (int i = 0; i < streams.size(); i++)
        {
            final Iperf3Stream s = streams.get(i);
            if (!s.serverSends || limit - sentTotal <= 0)
            {
                continue;
            }
            if (s.isUdp())
            {
                // -b paces UDP always (iperf3's default is 1 Mbit/s): what rate × elapsed allows by now.
                final long allowed = (long)(params.bandwidth() / 8.0 * (nowNs - startNs) / 1e9) + params.block();
                final long n = udp.send(s, Math.min(limit - sentTotal, allowed - s.bytes), nowNs);
                sentTotal += n;
                if (n > 0)
                {
                    lastProgressNs = nowNs;
                }
                if (limit - sentTotal > 0)
                {
                    nextPumpNs = Math.min(nextPumpNs, nowNs + PACE_TICK_NS);
                }
                continue;
            }
            long budget = Math.min(limit - sentTotal, 4L * params.block());
            if (params.bandwidth() > 0)
            {
                // -b: the stream may have sent rate × elapsed (plus one block of burst) by now.
                final long allowed = (long)(params.bandwidth() / 8.0 * (nowNs - startNs) / 1e9) + params.block();
                budget = Math.min(budget, allowed - s.bytes);
                if (budget <= 0)
                {
                    nextPumpNs = nowNs + PACE_TICK_NS;
                    continue;
                }
            }
            s.writeBlocked = false;
            final long n = s.send(block, budget);
            sentTotal += n;
            if (n > 0)
            {
                lastProgressNs = nowNs;
            }
            if (!s.writeBlocked && limit - sentTotal > 0)
            {
                // Budget used up without back-pressure: come back on the next cycle.
                nextPumpNs = params.bandwidth() > 0 ? Math.min(nextPumpNs, nowNs + PACE_TICK_NS) : nowNs;
            }
        }
    }

    private void markOmitEnd(final long nowNs)
    {
        if (!omitDone && nowNs - omitEndNs >= 0)
        {
            omitDone = true;
            for (final Iperf3Stream s : streams)
            {
                s.bytesAtOmitEnd = s.bytes;
                s.packetsAtOmitEnd = s.packetCount;
                s.lostAtOmitEnd = s.lost;
            }
        }
    }

    /** Timers: the omit boundary, pacing, and the stall and overrun limits. */
    int doWork(final long nowNs)
    {
        if (phase == Phase.ENDED)
        {
            return 0;
        }
        if (phase == Phase.RUNNING)
        {
            markOmitEnd(nowNs);
        }
        if (nowNs - lastProgressNs >= STALL_NS)
        {
            cut(nowNs, "stalled: nothing for " + STALL_NS / 1_000_000_000L + " s in " + phase);
            return 1;
        }
        if (phase == Phase.RUNNING && params.timeS() > 0
            && nowNs - startNs >= (long)((params.timeS() + params.omitS()) * 1e9) + OVERRUN_NS)
        {
            cut(nowNs, "did not end its " + params.timeS() + " s test");
            return 1;
        }
        if (nowNs >= nextPumpNs)
        {
            pump(nowNs);
            return 1;
        }
        return 0;
    }

    long nextDeadlineNs()
    {
        if (phase == Phase.ENDED)
        {
            return Long.MAX_VALUE;
        }
        long at = Math.min(nextPumpNs, lastProgressNs + STALL_NS);
        if (phase == Phase.RUNNING && !omitDone)
        {
            at = Math.min(at, omitEndNs);
        }
        return at;
    }

    void onControlWritable()
    {
        flush();
    }

    /** The control connection closed before IPERF_DONE. */
    void onControlClosed(final long nowNs)
    {
        if (phase == Phase.DONE_WAIT)
        {
            // iperf3 clients may close right after DISPLAY_RESULTS; the results are already out.
            end();
        }
        else if (phase != Phase.ENDED)
        {
            server.log(nowNs, this, true, "the client closed the control connection in " + phase
                + (in.midMessage() ? " in the middle of a message" : ""), -1, -1);
            end();
        }
    }

    /** Ends the test with a log line (a client that broke the protocol or stalled). */
    void cut(final long nowNs, final String why)
    {
        if (phase == Phase.ENDED)
        {
            return;
        }
        server.log(nowNs, this, true, "cut off: the client " + why, -1, -1);
        end();
        control.close();
    }

    /** Ends after what is queued on the control connection has gone out. */
    private void finish()
    {
        closeWhenFlushed = true;
        closeStreams();
        phase = Phase.ENDED;
        flush();
    }

    /** Ends at once. */
    void end()
    {
        phase = Phase.ENDED;
        closeStreams();
    }

    private void closeStreams()
    {
        for (final Iperf3Stream s : streams)
        {
            if (s.connection != null)
            {
                s.connection.close();
            }
        }
        if (udp != null)
        {
            udp.close();
        }
    }

    private void flush()
    {
        if (out.flush(control) && closeWhenFlushed)
        {
            control.close();
        }
    }

    /** Whether the control connection still has queued bytes to write after the test ended. */
    boolean draining()
    {
        return closeWhenFlushed && control.isOpen() && !out.isEmpty();
    }

    String clientHost()
    {
        return control.remoteHost();
    }

    int clientPort()
    {
        return control.remotePort();
    }
}
