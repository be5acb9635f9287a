package io.conntest.cli.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a recording holds about one connection row ({@code instance} and its {@code connection} id): the plotted
 * points of its {@code interval} lines (decimated), the events to mark (bounded), and its last figures (the
 * {@code summary} element when there is one, else the last {@code interval} line) for the table.
 */
final class ConnectionRecord
{
    /** Most events kept per row; the rest are counted in {@link #eventsDropped()}. */
    static final int MAX_EVENTS = 500;

    private final String instance;
    private final String id;
    private final Decimated<SeriesPoint> points;
    private final List<RunEvent> events = new ArrayList<>();
    private long eventsDropped;
    private boolean everConnected;
    private Map<String, Object> last;
    private boolean lastIsSummary;

    ConnectionRecord(final String instance, final String id, final int maxPoints)
    {
        this.instance = instance;
        this.id = id;
        this.points = new Decimated<>(maxPoints);
    }

    String instance()
    {
        return instance;
    }

    String id()
    {
        return id;
    }

    void interval(final SeriesPoint point, final Map<String, Object> row)
    {
        points.add(point);
        if (!lastIsSummary)
        {
            last = row;
        }
    }

    void summary(final Map<String, Object> row)
    {
        last = row;
        lastIsSummary = true;
    }

    /** An engine event's fields stand for the row's until an interval line comes (a row that never connected). */
    void eventFields(final Map<String, Object> data)
    {
        if (last == null)
        {
            last = data;
        }
    }

    void connected(final double seconds, final String text)
    {
        add(new RunEvent(seconds, everConnected ? RunEvent.Kind.RECONNECTED : RunEvent.Kind.CONNECTED, text));
        everConnected = true;
    }

    void failure(final double seconds, final String text)
    {
        add(new RunEvent(seconds, RunEvent.Kind.FAILURE, text));
    }

    private void add(final RunEvent event)
    {
        if (events.size() < MAX_EVENTS)
        {
            events.add(event);
        }
        else
        {
            eventsDropped++;
        }
    }

    List<SeriesPoint> points()
    {
        return Collections.unmodifiableList(points.list());
    }

    List<RunEvent> events()
    {
        return Collections.unmodifiableList(events);
    }

    long eventsDropped()
    {
        return eventsDropped;
    }

    /**
     * The row's last figures (connection fields of the JSON output), an engine event's fields when it had no interval
     * or summary, or null.
     */
    Map<String, Object> last()
    {
        return last;
    }

    /** The row's protocol, peer and name from its last figures ("udp", "127.0.0.1:7000", "receiver"). */
    String field(final String name)
    {
        if (last == null)
        {
            return null;
        }
        Object value = last.get(name);
        if (value == null && name.startsWith("peer_") && !"peer_name".equals(name))
        {
            // an engine event names the peer's address "host" and "port"
            value = last.get(name.substring("peer_".length()));
        }
        return value == null ? null : Recording.text(value);
    }

    boolean isUdp()
    {
        return "udp".equals(field("protocol"));
    }

    /** A label for people: instance, direction, protocol, peer address and name. */
    String label()
    {
        final String name = field("peer_name");
        return instance + " " + orDash(field("direction")) + " " + orDash(field("protocol")) + " "
            + orDash(field("peer_host")) + ":" + orDash(field("peer_port")) + (name == null ? "" : " (" + name + ")");
    }

    /** The peer's address and name ("127.0.0.1:1234 receiver"), dashes for what the row never knew. */
    String peer()
    {
        final String name = field("peer_name");
        return orDash(field("peer_host")) + ":" + orDash(field("peer_port")) + (name == null ? "" : " " + name);
    }

    private static String orDash(final String text)
    {
        return text == null ? "-" : text;
    }
}
