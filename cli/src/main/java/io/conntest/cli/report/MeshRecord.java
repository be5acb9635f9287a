package io.conntest.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mesh matrix of a recording's {@code matrix} event (docs/output-formats.md), as the report draws it: the
 * nodes and one cell per reporter, peer and protocol, bounded ({@link #MAX_NODES}, {@link #MAX_CELLS}) and with every
 * text bounded again (a recording is a file anyone can write).
 *
 * @param instance whose view it is
 * @param seconds  when, since the recording's first line
 * @param nodes    rows and columns
 * @param cells    the cells
 */
record MeshRecord(String instance, double seconds, List<String> nodes, List<Cell> cells)
{
    static final int MAX_NODES = 64;
    static final int MAX_CELLS = MAX_NODES * MAX_NODES * 2;

    /** One cell: {@code from}'s view of {@code to} over one protocol. */
    record Cell(String from, String to, String protocol, boolean up, String state, String reason, String detail,
        double latencyNs, boolean translated)
    {
        boolean pending()
        {
            return !up && "connecting".equals(state) && reason == null;
        }
    }

    /** The matrix of an event's data, or null when it has no nodes. */
    static MeshRecord of(final String instance, final double seconds, final Map<String, Object> data)
    {
        if (!(data.get("nodes") instanceof List<?> rawNodes) || rawNodes.isEmpty())
        {
            return null;
        }
        final List<String> nodes = new ArrayList<>();
        for (final Object n : rawNodes)
        {
            if (nodes.size() == MAX_NODES)
            {
                break;
            }
            nodes.add(Recording.text(n));
        }
        final List<Cell> cells = new ArrayList<>();
        if (data.get("cells") instanceof List<?> rawCells)
        {
            for (final Object c : rawCells)
            {
                if (cells.size() == MAX_CELLS)
                {
                    break;
                }
                if (c instanceof Map<?, ?> m && m.get("from") != null && m.get("to") != null)
                {
                    cells.add(new Cell(Recording.text(m.get("from")), Recording.text(m.get("to")),
                        Recording.text(m.get("protocol")), Boolean.TRUE.equals(m.get("up")),
                        Recording.text(m.get("state")), m.get("reason") == null ? null : Recording.text(m.get("reason")),
                        m.get("detail") == null ? null : Recording.text(m.get("detail")),
                        m.get("latency_p50_ns") instanceof Double d && Double.isFinite(d) ? d : Double.NaN,
                        Boolean.TRUE.equals(m.get("translated"))));
                }
            }
        }
        return new MeshRecord(instance, seconds, List.copyOf(nodes), List.copyOf(cells));
    }

    List<Cell> cells(final String from, final String to)
    {
        final List<Cell> found = new ArrayList<>(2);
        for (final Cell c : cells)
        {
            if (c.from().equals(from) && c.to().equals(to))
            {
                found.add(c);
            }
        }
        return found;
    }

    /** Cells of instances other than {@link #instance}: it heard its peers. */
    boolean hasPeerViews()
    {
        return cells.stream().anyMatch(c -> !c.from().equals(instance));
    }
}
