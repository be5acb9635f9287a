package io.conntest.cli.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.MeshCell;
import io.conntest.core.stats.MeshMatrix;

/**
 * Draws the mesh as an N×N matrix (the TUI's {@code m} view, the lab's default): a row per instance, a column per
 * peer, each cell how the row's instance sees the column's over each protocol it has with it: {@code T} tcp,
 * {@code U} udp, then the median RTT/2 when up, or {@code !} and the reason when failing. Green up, red failing,
 * yellow still connecting, {@code .} no connection between them. A legend follows, then one line per failing cell
 * with the reporter's own words (who sent the ICMP error, what timed out). Pure: the same matrix draws the same text.
 */
final class MeshRenderer
{
    private static final int MIN_CELL = 7;
    private static final int MAX_CELL = 13;
    private static final int MAX_LABEL = 12;

    private final TextColor emphasis;
    private final boolean colour;

    MeshRenderer(final TextColor emphasis, final boolean colour)
    {
        this.emphasis = emphasis;
        this.colour = colour;
    }

    /** The matrix to show: the first instance's that heard its peers (all agree), else the first there is. */
    static MeshMatrix viewOf(final List<EngineSnapshot> snapshots)
    {
        MeshMatrix first = null;
        for (final EngineSnapshot s : snapshots)
        {
            if (s == null)
            {
                continue;
            }
            if (s.mesh().hasPeerViews())
            {
                return s.mesh();
            }
            first = first == null ? s.mesh() : first;
        }
        return first;
    }

    /**
     * The NAT and path MTU tests the instances finished ({@code ?nat-test}, {@code ?pmtu}), one line each:
     * {@code delta -> ... NAT: ...}, {@code delta -> ... MTU: ...}.
     */
    static List<String> natTestsOf(final List<EngineSnapshot> snapshots)
    {
        final List<String> lines = new ArrayList<>();
        for (final EngineSnapshot s : snapshots)
        {
            if (s != null)
            {
                s.natTests().forEach(t -> lines.add(natLine(s.instanceName(), t)));
                s.pathMtus().forEach(t -> lines.add(pathMtuLine(s.instanceName(), t)));
            }
        }
        return lines;
    }

    /**
     * One NAT test in the view's width: {@code charlie -> 10.1.0.12:7000 NAT: seen as 10.1.0.1:50794, mapping
     * endpoint-independent, filtering address-and-port-dependent, binding > 3 s} (the event says what each verdict
     * cannot tell apart).
     */
    static String natLine(final String instance, final io.conntest.core.nat.NatTestResult t)
    {
        final StringBuilder b = new StringBuilder(instance).append(" -> ").append(t.peer()).append(" NAT: ");
        if (t.seenAs() == null)
        {
            return b.append("no verdict (").append(t.error()).append(')').toString();
        }
        b.append("seen as ").append(t.seenAs()).append(", mapping ").append(t.mapping())
            .append(Boolean.TRUE.equals(t.portPreserved()) ? " (port kept)" : "")
            .append(", filtering ").append(t.filtering())
            .append(t.hairpinning() == null ? "" : t.hairpinning() ? ", hairpin" : ", no hairpin").append(", binding ");
        if (Double.isNaN(t.lifetimeMaxS()))
        {
            b.append("> ").append(Human.seconds(t.lifetimeMinS()));
        }
        else
        {
            b.append(Human.seconds(t.lifetimeMinS()).replace(" s", "")).append('-')
                .append(Human.seconds(t.lifetimeMaxS()));
        }
        return b.toString();
    }

    /**
     * One path MTU test in the view's width: {@code alpha -> 10.1.0.12:7000 MTU: 1280 (local 1500, icmp 1280 from
     * 10.1.0.1)}, with {@code BLACK HOLE} when larger packets vanish without ICMP.
     */
    static String pathMtuLine(final String instance, final io.conntest.core.nat.PathMtuResult t)
    {
        final StringBuilder b = new StringBuilder(instance).append(" -> ").append(t.peer()).append(" MTU: ");
        if (t.pathMtu() == 0)
        {
            return b.append("unknown (").append(t.error()).append(')').toString();
        }
        b.append(t.atLeast() ? ">= " : "").append(t.pathMtu()).append(" (local ").append(t.localMtu());
        if (t.icmpMtu() > 0)
        {
            b.append(", icmp ").append(t.icmpMtu());
            if (t.icmpFrom() != null)
            {
                b.append(" from ").append(t.icmpFrom());
            }
        }
        else if (t.localAbovePath())
        {
            b.append(", no icmp");
        }
        b.append(')');
        if (t.blackHole())
        {
            b.append(" BLACK HOLE: icmp-based ").append(t.icmpBasedMtu());
        }
        return b.toString();
    }

    /** Draws from {@code startRow}; returns the next free row. */
    int draw(final TextGraphics g, final int width, final int maxRow, final int startRow, final MeshMatrix m)
    {
        return draw(g, width, maxRow, startRow, m, List.of());
    }

    /** Draws the matrix, then a line per finished NAT test ({@code natTests}); returns the next free row. */
    int draw(final TextGraphics g, final int width, final int maxRow, final int startRow, final MeshMatrix m,
        final List<String> natTests)
    {
        int row = startRow;
        if (m == null || row >= maxRow)
        {
            return row;
        }
        final List<String> nodes = m.nodes();
        TuiRenderer.put(g, 0, row++, TuiRenderer.fit("Mesh as " + m.self() + " sees it: " + nodes.size()
            + " instances; row -> column, T tcp U udp, RTT/2 p50 (m: tables)", width), emphasis, true);
        if (nodes.size() < 2 || row >= maxRow)
        {
            TuiRenderer.put(g, 2, row++, TuiRenderer.fit("no peers yet", width - 2), null, false);
            return row;
        }
        int label = 0;
        for (final String n : nodes)
        {
            label = Math.max(label, Math.min(MAX_LABEL, n.length()));
        }
        label += 2;
        final int cell = Math.max(MIN_CELL, Math.min(MAX_CELL, (width - label) / nodes.size()));
        final StringBuilder header = new StringBuilder(" ".repeat(label));
        for (final String n : nodes)
        {
            header.append(pad(n, cell));
        }
        TuiRenderer.put(g, 0, row++, TuiRenderer.fit(header.toString(), width), null, true);
        final List<MeshCell> failing = new ArrayList<>();
        for (int r = 0; r < nodes.size() && row < maxRow; r++)
        {
            final String from = nodes.get(r);
            TuiRenderer.put(g, 0, row, TuiRenderer.fit(" " + pad(from, label - 1), width), null, true);
            for (int c = 0; c < nodes.size(); c++)
            {
                final int column = label + c * cell;
                if (column + cell > width)
                {
                    break;
                }
                final String to = nodes.get(c);
                if (from.equals(to))
                {
                    TuiRenderer.put(g, column, row, pad("-", cell), null, false);
                    continue;
                }
                final List<MeshCell> cells = m.cells(from, to);
                final Verdict v = Verdict.of(cells);
                if (v == Verdict.FAILING)
                {
                    cells.stream().filter(x -> !x.up() && !x.pending()).forEach(failing::add);
                }
                TuiRenderer.put(g, column, row, pad(text(cells, v), cell), colourOf(v), false);
            }
            row++;
        }
        if (row < maxRow)
        {
            TuiRenderer.put(g, 1, row++, TuiRenderer.fit("legend: green up, red ! failing, yellow ... connecting, "
                + ". no connection, - self, * translated (NAT)", width - 1), null, false);
        }
        for (final MeshCell f : failing)
        {
            if (row >= maxRow)
            {
                break;
            }
            TuiRenderer.put(g, 2, row++, TuiRenderer.fit(failureLine(f), width - 2), colourOf(Verdict.FAILING),
                false);
        }
        for (final String nat : natTests)
        {
            if (row >= maxRow)
            {
                break;
            }
            TuiRenderer.put(g, 2, row++, TuiRenderer.fit(nat, width - 2), null, false);
        }
        return row;
    }

    /** {@code charlie -> alpha udp: timeout (connect timed out to 10.0.0.11), seen 2s ago}. */
    static String failureLine(final MeshCell f)
    {
        return f.from() + " -> " + f.to() + " " + f.protocol().lowerName() + ": "
            + (f.reason() == null ? f.state().name().toLowerCase(Locale.ROOT) : f.reason().name().toLowerCase(Locale.ROOT))
            + (f.detail() == null ? "" : " (" + f.detail() + ")")
            + (f.ageNs() >= 2_000_000_000L ? ", told " + Human.duration(f.ageNs()) + " ago" : "");
    }

    /** A cell's overall state: failing if any protocol fails, else connecting if any is, else up. */
    enum Verdict
    {
        NONE, UP, CONNECTING, FAILING;

        static Verdict of(final List<MeshCell> cells)
        {
            if (cells.isEmpty())
            {
                return NONE;
            }
            Verdict v = UP;
            for (final MeshCell c : cells)
            {
                if (!c.up() && !c.pending())
                {
                    return FAILING;
                }
                if (c.pending())
                {
                    v = CONNECTING;
                }
            }
            return v;
        }
    }

    private static String text(final List<MeshCell> cells, final Verdict v)
    {
        if (v == Verdict.NONE)
        {
            return ".";
        }
        final StringBuilder letters = new StringBuilder();
        long latency = -1;
        String reason = null;
        for (final MeshCell c : cells)
        {
            letters.append(c.protocol().lowerName().toUpperCase(Locale.ROOT).charAt(0));
            if (Boolean.TRUE.equals(c.translated()))
            {
                letters.append('*'); // this pair's packets cross a NAT
            }
            if (c.up() && c.latencyNs() >= 0)
            {
                latency = latency < 0 ? c.latencyNs() : Math.min(latency, c.latencyNs());
            }
            if (reason == null && !c.up() && !c.pending())
            {
                reason = c.reason() == null ? c.state().name().toLowerCase(Locale.ROOT) :
                    c.reason().name().toLowerCase(Locale.ROOT);
            }
        }
        switch (v)
        {
            case FAILING:
                return "!" + letters + " " + reason;
            case CONNECTING:
                return letters + " ...";
            default:
                return letters + " " + (latency < 0 ? "up" : Human.latency(latency));
        }
    }

    private TextColor colourOf(final Verdict v)
    {
        if (!colour)
        {
            return null;
        }
        switch (v)
        {
            case UP:
                return TextColor.ANSI.GREEN;
            case FAILING:
                return TextColor.ANSI.RED;
            case CONNECTING:
                return TextColor.ANSI.YELLOW;
            default:
                return null;
        }
    }

    /** Left-aligned in {@code width} columns with one space to spare, cut with {@code ~} when longer. */
    private static String pad(final String text, final int width)
    {
        final String t = text.length() > width - 1 ? text.substring(0, Math.max(0, width - 2)) + "~" : text;
        return t + " ".repeat(Math.max(0, width - t.length()));
    }
}
