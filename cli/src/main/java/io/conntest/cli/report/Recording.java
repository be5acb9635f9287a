package io.conntest.cli.report;

import io.conntest.cli.ui.AsciiLine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON-lines recording as the report shows it: one {@link ConnectionRecord} per connection row (at most
 * {@link #MAX_CONNECTIONS}), times in seconds since the first line's {@code time}. Fed one parsed line at a time by
 * {@link RecordingReader}; the last {@code matrix} event before the engines stop is kept as the mesh at the end;
 * lines of other events (start, hello, bandwidth results, probe lines) are ignored.
 */
final class Recording
{
    /** Most connection rows kept; lines of further rows are counted in {@link #connectionsDropped()}. */
    static final int MAX_CONNECTIONS = 256;
    /** Longest text kept from the recording (names, reasons): already bounded when recorded, bounded again here. */
    static final int MAX_TEXT = 200;

    private final int maxPoints;
    private final Map<String, ConnectionRecord> connections = new LinkedHashMap<>();
    private final List<String> instances = new ArrayList<>();
    private double firstTime = Double.NaN;
    private double lastSeconds;
    private long connectionsDropped;
    private long lines;
    /** The latest mesh matrix heard before the first engine stopped (while they stop, pairs close one by one). */
    private MeshRecord mesh;
    private boolean stopping;

    Recording(final int maxPoints)
    {
        this.maxPoints = maxPoints;
    }

    /** Takes one parsed line ({@code event}, {@code time}, {@code data}); false when it does not have that shape. */
    @SuppressWarnings("unchecked")
    boolean accept(final Map<String, Object> line)
    {
        if (!(line.get("event") instanceof String event) || !(line.get("time") instanceof Double time)
            || !(line.get("data") instanceof Map<?, ?> rawData) || !Double.isFinite(time))
        {
            return false;
        }
        final Map<String, Object> data = (Map<String, Object>)rawData;
        if (Double.isNaN(firstTime))
        {
            firstTime = time;
        }
        final double seconds = time - firstTime;
        lastSeconds = Math.max(lastSeconds, seconds);
        lines++;
        final String instance = data.get("instance") == null ? "?" : text(data.get("instance"));
        switch (event)
        {
            case "start" -> {
                if (!instances.contains(instance) && instances.size() < MAX_CONNECTIONS)
                {
                    instances.add(instance);
                }
            }
            case "interval" -> {
                final ConnectionRecord row = row(instance, data.get("connection"));
                if (row != null)
                {
                    row.interval(point(seconds, data), data);
                }
            }
            case "connected" -> {
                final ConnectionRecord row = row(instance, data.get("connection"));
                if (row != null)
                {
                    row.eventFields(data);
                    row.connected(seconds, text(data.get("message")));
                }
            }
            case "connect_failed", "closed", "error", "link_down" -> {
                final ConnectionRecord row = row(instance, data.get("connection"));
                if (row != null)
                {
                    row.eventFields(data);
                    final Object reason = data.get("reason");
                    row.failure(seconds, event + (reason == null ? "" : " " + text(reason)) + ": "
                        + text(data.get("message")));
                }
            }
            case "matrix" -> {
                final MeshRecord m = stopping ? null : MeshRecord.of(instance, seconds, data);
                if (m != null && (mesh == null || m.hasPeerViews() || !mesh.hasPeerViews()))
                {
                    mesh = m;
                }
            }
            case "stopped" -> stopping = true;
            case "summary" -> {
                if (data.get("connections") instanceof List<?> rows)
                {
                    for (final Object element : rows)
                    {
                        if (element instanceof Map<?, ?> rawRow)
                        {
                            final ConnectionRecord row = row(instance, rawRow.get("connection"));
                            if (row != null)
                            {
                                row.summary((Map<String, Object>)rawRow);
                            }
                        }
                    }
                }
            }
            default -> {
            }
        }
        return true;
    }

    private ConnectionRecord row(final String instance, final Object id)
    {
        if (id == null)
        {
            return null;
        }
        final String key = instance + "\u0000" + text(id);
        final ConnectionRecord row = connections.get(key);
        if (row != null)
        {
            return row;
        }
        if (connections.size() >= MAX_CONNECTIONS)
        {
            connectionsDropped++;
            return null;
        }
        final ConnectionRecord created = new ConnectionRecord(instance, text(id), maxPoints);
        connections.put(key, created);
        return created;
    }

    private static SeriesPoint point(final double seconds, final Map<String, Object> data)
    {
        return new SeriesPoint(seconds, number(data, "latency_p50_ns"), number(data, "latency_p99_ns"),
            number(data, "latency_loaded_p50_ns"), number(data, "latency_loaded_p99_ns"),
            number(data, "interval_send_bps"), number(data, "interval_receive_bps"),
            number(data, "udp_lost"), number(data, "udp_lost_incoming"));
    }

    /** A figure of a line, NaN when absent, null or not a finite number. */
    static double number(final Map<String, Object> data, final String name)
    {
        return data != null && data.get(name) instanceof Double d && Double.isFinite(d) ? d : Double.NaN;
    }

    /**
     * A value as bounded printable ASCII (numbers without a needless ".0"): conntest escaped and bounded what a peer
     * sent when it took it in, but a recording is a file anyone can write, so this bounds it again.
     */
    static String text(final Object value)
    {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15)
        {
            return Long.toString(d.longValue());
        }
        return AsciiLine.of(String.valueOf(value), MAX_TEXT);
    }

    List<ConnectionRecord> connections()
    {
        return List.copyOf(connections.values());
    }

    List<String> instances()
    {
        return List.copyOf(instances);
    }

    /** The first line's time, seconds since the Unix epoch (NaN when there was none). */
    double firstTime()
    {
        return firstTime;
    }

    /** Seconds from the first line to the last. */
    double lastSeconds()
    {
        return lastSeconds;
    }

    /** The mesh at the end of the run, or null when the recording has no matrix event. */
    MeshRecord mesh()
    {
        return mesh;
    }

    long connectionsDropped()
    {
        return connectionsDropped;
    }

    /** Lines of the recording's shape taken in. */
    long lines()
    {
        return lines;
    }
}
