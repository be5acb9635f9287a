package io.conntest.cli.ui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.ListenerSnapshot;
import io.conntest.core.stats.Side;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws one frame of the live table onto a lanterna {@link TextGraphics}: per instance a header (name, stack,
 * addresses, listeners), then outgoing and incoming connections in separate sections, one row each, with a line
 * under the row saying why a connection is failing or retrying; the latest events below; a status line. Columns
 * that do not fit the width are left out, least important first. Pure: the same input draws the same frame.
 */
public final class TuiRenderer
{
    /** A table column: header, width, and its place in the order of importance (0 = kept longest). */
    private record Column(String title, int width, int importance, boolean right)
    {
    }

    private static final Column[] COLUMNS = {
        new Column("PEER", 12, 0, false),
        new Column("IP", 15, 3, false),
        new Column("PORT", 5, 5, true),
        // PROTO goes with STATE: tcp or udp tells two rows of the same peer apart, and stays at 80 columns
        new Column("PROTO", 5, 1, false),
        new Column("STATE", 10, 1, false),
        // RTT/2 of the last probe; LOADED: median RTT/2 of probes behind a bandwidth test
        new Column("RTT/2", 9, 2, true),
        new Column("LOADED", 9, 5, true),
        // what moved in the last second, each way
        new Column("UP NOW", 11, 4, true),
        new Column("DOWN NOW", 11, 4, true),
        // the result of the last bandwidth test
        new Column("UP TEST", 11, 6, true),
        new Column("DOWN TEST", 11, 6, true),
        new Column("UPTIME", 7, 7, true),
        new Column("RETRY", 5, 8, true),
        new Column("SENT", 8, 9, true),
        new Column("RECV", 8, 9, true),
        new Column("SIZE", 9, 10, true),
        new Column("LOST", 5, 11, true),
        new Column("OOO", 5, 11, true),
    };

    private final TextColor emphasis;
    private final boolean colour;
    private final MeshRenderer meshRenderer;

    /**
     * @param emphasis the colour of headings and live figures, or null for none
     * @param colour   false when NO_COLOR is set: then no colour at all (bold stays)
     */
    public TuiRenderer(final TextColor emphasis, final boolean colour)
    {
        this.emphasis = colour ? emphasis : null;
        this.colour = colour;
        this.meshRenderer = new MeshRenderer(this.emphasis, colour);
    }

    /** Draws a frame of {@code size} (the graphics should be cleared before). */
    public void draw(final TextGraphics g, final TerminalSize size, final List<InstanceInfo> instances,
        final List<EngineSnapshot> snapshots, final List<String> recentEvents, final String status)
    {
        draw(g, size, instances, snapshots, recentEvents, status, false);
    }

    /**
     * Draws a frame of {@code size}: the connection tables, or with {@code mesh} the whole mesh as a matrix (as the
     * first instance that heard its peers' views sees it), then the latest events and the status line.
     */
    public void draw(final TextGraphics g, final TerminalSize size, final List<InstanceInfo> instances,
        final List<EngineSnapshot> snapshots, final List<String> recentEvents, final String status,
        final boolean mesh)
    {
        final int width = size.getColumns();
        final int height = size.getRows();
        int row = 0;
        if (mesh)
        {
            row = meshRenderer.draw(g, width, height - 1, 0, MeshRenderer.viewOf(snapshots),
                MeshRenderer.natTestsOf(snapshots)) + 1;
        }
        else
        {
            final boolean[] shown = columnsFitting(width);
            for (int i = 0; i < instances.size() && row < height - 1; i++)
            {
                final InstanceInfo info = instances.get(i);
                final EngineSnapshot snapshot = i < snapshots.size() ? snapshots.get(i) : null;
                row = drawInstance(g, width, height - 1, row, info, snapshot, shown);
                row++;
            }
        }
        if (row < height - 2 && !recentEvents.isEmpty())
        {
            put(g, 0, row++, fit("Events", width), emphasis, true);
            final int room = height - 1 - row;
            final int from = Math.max(0, recentEvents.size() - room);
            for (int i = from; i < recentEvents.size() && row < height - 1; i++)
            {
                put(g, 1, row++, fit(recentEvents.get(i), width - 1), null, false);
            }
        }
        put(g, 0, height - 1, fit(status, width), null, false);
    }

    private int drawInstance(final TextGraphics g, final int width, final int maxRow, final int startRow,
        final InstanceInfo info, final EngineSnapshot snapshot, final boolean[] shown)
    {
        int row = startRow;
        put(g, 0, row, fit(info.name(), width), emphasis, true);
        put(g, Math.min(width, info.name().length() + 2), row, fit("stack " + info.stack() + "  "
            + String.join(" ", info.addresses()), Math.max(0, width - info.name().length() - 2)), null, false);
        row++;
        if (row >= maxRow)
        {
            return row;
        }
        final StringBuilder listening = new StringBuilder("listening ");
        if (snapshot == null || snapshot.listeners().isEmpty())
        {
            listening.append(info.listens().isEmpty() ? "-" : String.join(" ", info.listens()));
        }
        else
        {
            for (final ListenerSnapshot l : snapshot.listeners())
            {
                listening.append(l.protocol().lowerName()).append(':').append(l.port())
                    .append(l.listening() ? " (" + l.sessions() + (l.sessions() == 1 ? " peer) " : " peers) ")
                        : " (not bound: " + l.error() + ") ");
            }
        }
        put(g, 2, row++, fit(listening.toString().strip(), width - 2), null, false);
        final List<ConnectionSnapshot> out = new ArrayList<>();
        final List<ConnectionSnapshot> in = new ArrayList<>();
        if (snapshot != null)
        {
            for (final ConnectionSnapshot c : snapshot.connections())
            {
                (c.side() == Side.CLIENT ? out : in).add(c);
            }
        }
        row = drawSection(g, width, maxRow, row, "Outgoing", out, shown);
        row = drawSection(g, width, maxRow, row, "Incoming", in, shown);
        return row;
    }

    private int drawSection(final TextGraphics g, final int width, final int maxRow, final int startRow,
        final String title, final List<ConnectionSnapshot> rows, final boolean[] shown)
    {
        int row = startRow;
        if (row >= maxRow)
        {
            return row;
        }
        put(g, 2, row++, fit(title + " (" + rows.size() + ")", width - 2), emphasis, true);
        if (rows.isEmpty() || row >= maxRow)
        {
            return row;
        }
        put(g, 0, row++, fit(header(shown), width), null, true);
        for (final ConnectionSnapshot c : rows)
        {
            if (row >= maxRow)
            {
                break;
            }
            // COVERED: this peer shares the connection the other instance opened (one connection per pair): healthy.
            final boolean healthy = c.state() == ConnectionState.CONNECTED || c.state() == ConnectionState.COVERED;
            put(g, 0, row++, fit(cells(c, shown), width), healthy ? null : failing(), false);
            final String trouble = Describe.trouble(c);
            if (trouble != null && row < maxRow)
            {
                put(g, 4, row++, fit("-> " + trouble, width - 4), healthy ? null : failing(), false);
            }
            final String path = Describe.notablePath(c);
            if (path != null && row < maxRow)
            {
                put(g, 4, row++, fit("-> " + path, width - 4), null, false);
            }
        }
        return row;
    }

    private TextColor failing()
    {
        return colour ? TextColor.ANSI.RED : null;
    }

    /** Which columns fit in {@code width}: the most important first, stopping at the first that does not fit. */
    static boolean[] columnsFitting(final int width)
    {
        final boolean[] shown = new boolean[COLUMNS.length];
        int used = 1;
        for (int importance = 0; importance <= 11; importance++)
        {
            int needed = 0;
            for (final Column c : COLUMNS)
            {
                needed += c.importance == importance ? c.width + 1 : 0;
            }
            if (used + needed > width)
            {
                break;
            }
            used += needed;
            for (int i = 0; i < COLUMNS.length; i++)
            {
                shown[i] |= COLUMNS[i].importance == importance;
            }
        }
        return shown;
    }

    private static String header(final boolean[] shown)
    {
        final String[] values = new String[COLUMNS.length];
        for (int i = 0; i < COLUMNS.length; i++)
        {
            values[i] = COLUMNS[i].title;
        }
        return row(values, shown);
    }

    private static String cells(final ConnectionSnapshot c, final boolean[] shown)
    {
        return row(new String[] {
            Describe.peer(c),
            c.peerHost(),
            Integer.toString(c.peerPort()),
            c.protocol().lowerName(),
            Describe.state(c),
            figure(c, Human.latency(c.latencyLastNs())),
            figure(c, Human.latency(c.latencyLoadedP50Ns())),
            Human.bitRate(c.intervalSentBps()),
            Human.bitRate(c.intervalReceivedBps()),
            figure(c, Human.bitRate(c.bandwidthUpLastBps())),
            figure(c, Human.bitRate(c.bandwidthDownLastBps())),
            c.state() == ConnectionState.CONNECTED ? Human.duration(c.uptimeNs()) : "-",
            Long.toString(c.retries()),
            Long.toString(c.packetsSent()),
            Long.toString(c.packetsReceived()),
            (c.packetSize() > 0 ? Human.bytes(c.packetSize()) : "-"),
            Human.count(c.udpLost()),
            Human.count(c.udpOutOfOrder()),
        }, shown);
    }

    /** A figure of a connection that is not up is stale: shown in parentheses, never as if current. */
    private static String figure(final ConnectionSnapshot c, final String value)
    {
        return Describe.stale(c) && !"-".equals(value) ? "(" + value + ")" : value;
    }

    private static String row(final String[] values, final boolean[] shown)
    {
        final StringBuilder line = new StringBuilder(" ");
        for (int i = 0; i < COLUMNS.length; i++)
        {
            if (!shown[i])
            {
                continue;
            }
            final Column col = COLUMNS[i];
            String v = values[i] == null ? "-" : values[i];
            if (v.length() > col.width)
            {
                v = v.substring(0, col.width - 1) + "~";
            }
            final String pad = " ".repeat(col.width - v.length());
            line.append(col.right ? pad + v : v + pad).append(' ');
        }
        return line.toString();
    }

    static String fit(final String text, final int width)
    {
        if (width <= 0)
        {
            return "";
        }
        return text.length() <= width ? text : text.substring(0, width);
    }

    static void put(final TextGraphics g, final int column, final int row, final String text, final TextColor fg,
        final boolean bold)
    {
        g.setForegroundColor(fg == null ? TextColor.ANSI.DEFAULT : fg);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        if (bold)
        {
            g.enableModifiers(SGR.BOLD);
        }
        else
        {
            g.disableModifiers(SGR.BOLD);
        }
        g.putString(column, row, text);
        g.disableModifiers(SGR.BOLD);
    }
}
