package io.conntest.cli.ui;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.EngineSnapshot;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Comma-separated values for spreadsheets and plotting tools (RFC 4180): a header line, then one row per connection
 * per interval ({@code row} = {@code interval}) and, at the end, one per connection with its totals ({@code row} =
 * {@code summary}). Figures are raw numbers in the JSON output's units (ns, bit/s, bytes); an unknown figure is an
 * empty field. Text fields are printable ASCII ({@link AsciiLine}) and quoted when they hold a comma or a quote, so
 * every record is one line. Events are not rows: they go nowhere here (use json or log for them); notes go to
 * stderr. The columns are in docs/output-formats.md.
 */
public final class CsvOutput extends Output
{
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("time", "row", "instance", "connection", "direction",
        "protocol", "local_host", "local_port", "peer_host", "peer_port", "peer_name", "state", "uptime_ns",
        "interval_ns", "interval_bytes_sent", "interval_bytes_received", "interval_send_bps", "interval_receive_bps",
        "latency_last_ns", "latency_min_ns", "latency_p50_ns", "latency_p99_ns", "latency_max_ns", "latency_samples",
        "latency_loaded_p50_ns", "latency_loaded_p99_ns", "latency_loaded_max_ns", "latency_loaded_samples", "stale",
        "bandwidth_up_last_bps", "bandwidth_down_last_bps", "packets_sent", "packets_received", "bytes_sent",
        "bytes_received", "retries", "connect_failures", "udp_lost", "udp_out_of_order", "udp_jitter_ns",
        "udp_lost_incoming", "last_failure", "last_error");

    private static final int MAX_TEXT = 200;

    private final PrintStream out;
    private final PrintStream err;
    private final IntervalClock clock;
    private final Map<String, long[]> lastBytes = new HashMap<>();
    private boolean headerWritten;

    public CsvOutput(final PrintStream out, final PrintStream err, final long intervalNs)
    {
        this.out = out;
        this.err = err;
        this.clock = new IntervalClock(intervalNs);
    }

    private void header()
    {
        if (!headerWritten)
        {
            headerWritten = true;
            out.println(String.join(",", COLUMNS));
            out.flush();
        }
    }

    @Override
    public synchronized void onStart(final List<InstanceInfo> instances)
    {
        header();
    }

    @Override
    public synchronized void onEvent(final String instance, final EngineEvent event)
    {
        // rows only: events are in the json and log outputs
    }

    @Override
    public synchronized void onSnapshot(final EngineSnapshot snapshot)
    {
        if (clock.isNew(snapshot.instanceName()))
        {
            for (final ConnectionSnapshot c : snapshot.connections())
            {
                lastBytes.put(snapshot.instanceName() + "/" + c.key(), new long[] {c.bytesSent(), c.bytesReceived()});
            }
        }
        final long elapsedNs = clock.due(snapshot.instanceName(), snapshot.timeNs());
        if (elapsedNs < 0)
        {
            return;
        }
        header();
        final long now = System.currentTimeMillis();
        for (final ConnectionSnapshot c : snapshot.connections())
        {
            final String id = snapshot.instanceName() + "/" + c.key();
            final long[] last = lastBytes.getOrDefault(id, new long[2]);
            final long sent = Math.max(0, c.bytesSent() - last[0]);
            final long received = Math.max(0, c.bytesReceived() - last[1]);
            lastBytes.put(id, new long[] {c.bytesSent(), c.bytesReceived()});
            row(now, "interval", snapshot.instanceName(), c, elapsedNs, sent, received);
        }
        out.flush();
    }

    @Override
    public synchronized void onStop(final List<EngineSnapshot> finals, final long durationNs)
    {
        header();
        final long now = System.currentTimeMillis();
        for (final EngineSnapshot s : finals)
        {
            for (final ConnectionSnapshot c : s.connections())
            {
                row(now, "summary", s.instanceName(), c, -1, -1, -1);
            }
        }
        out.flush();
    }

    private void row(final long epochMillis, final String kind, final String instance, final ConnectionSnapshot c,
        final long intervalNs, final long sent, final long received)
    {
        final StringBuilder line = new StringBuilder(320);
        line.append(String.format(Locale.ROOT, "%d.%03d", epochMillis / 1000, epochMillis % 1000));
        text(line, kind);
        text(line, instance);
        number(line, c.key());
        text(line, Describe.direction(c.side()));
        text(line, c.protocol().lowerName());
        text(line, c.localHost());
        number(line, c.localHost() == null ? -1 : c.localPort());
        text(line, c.peerHost());
        number(line, c.peerPort());
        text(line, c.peerName());
        text(line, Describe.state(c));
        number(line, c.uptimeNs());
        number(line, intervalNs);
        number(line, sent);
        number(line, received);
        number(line, intervalNs <= 0 ? -1 : sent * 8_000_000_000L / intervalNs);
        number(line, intervalNs <= 0 ? -1 : received * 8_000_000_000L / intervalNs);
        number(line, c.latencyLastNs());
        number(line, c.latencyMinNs());
        number(line, c.latencyP50Ns());
        number(line, c.latencyP99Ns());
        number(line, c.latencyMaxNs());
        number(line, c.latencySamples());
        number(line, c.latencyLoadedP50Ns());
        number(line, c.latencyLoadedP99Ns());
        number(line, c.latencyLoadedMaxNs());
        number(line, c.latencyLoadedSamples());
        number(line, c.stale() ? 1 : 0);
        number(line, c.bandwidthUpLastBps());
        number(line, c.bandwidthDownLastBps());
        number(line, c.packetsSent());
        number(line, c.packetsReceived());
        number(line, c.bytesSent());
        number(line, c.bytesReceived());
        number(line, c.retries());
        number(line, c.connectFailures());
        number(line, c.udpLost());
        number(line, c.udpOutOfOrder());
        number(line, c.udpJitterNs());
        number(line, c.udpLostIncoming());
        text(line, c.lastFailure() == null ? null : c.lastFailure().name().toLowerCase(Locale.ROOT));
        text(line, c.lastError());
        out.println(line);
    }

    /** A figure; negative means unknown, an empty field. */
    private static void number(final StringBuilder line, final long value)
    {
        line.append(',');
        if (value >= 0)
        {
            line.append(value);
        }
    }

    /** A text field: empty when null, ASCII, quoted (quotes doubled) when it holds a comma or a quote. */
    static void text(final StringBuilder line, final String value)
    {
        line.append(',');
        if (value == null)
        {
            return;
        }
        final String ascii = AsciiLine.of(value, MAX_TEXT);
        if (ascii.indexOf(',') >= 0 || ascii.indexOf('"') >= 0)
        {
            line.append('"').append(ascii.replace("\"", "\"\"")).append('"');
        }
        else
        {
            line.append(ascii);
        }
    }

    @Override
    public void note(final String message)
    {
        err.println(AsciiLine.of("conntest: " + message));
        err.flush();
    }
}
