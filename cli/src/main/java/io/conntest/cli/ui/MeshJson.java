package io.conntest.cli.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.conntest.core.stats.MeshCell;
import io.conntest.core.stats.MeshMatrix;

/**
 * The mesh matrix as JSON, the {@code data} of a {@code matrix} event and the {@code mesh} of a summary
 * (docs/output-formats.md): the instance whose view it is, the nodes (rows and columns), and one object per cell.
 */
public final class MeshJson
{
    private MeshJson()
    {
    }

    public static Json of(final MeshMatrix m)
    {
        final List<Json> cells = new ArrayList<>(m.cells().size());
        for (final MeshCell c : m.cells())
        {
            cells.add(new Json().put("from", c.from()).put("to", c.to()).put("protocol", c.protocol().lowerName())
                .put("state", c.state().name().toLowerCase(Locale.ROOT)).put("up", c.up())
                .put("reason", c.reason() == null ? null : c.reason().name().toLowerCase(Locale.ROOT))
                .put("detail", c.detail())
                .putKnown("latency_p50_ns", c.latencyNs())
                .putKnown("bandwidth_up_last_bps", c.upBps())
                .putKnown("bandwidth_down_last_bps", c.downBps())
                .put("age_ns", c.ageNs())
                .put("translated", c.translated()));
        }
        return new Json().put("instance", m.self()).putStrings("nodes", m.nodes()).putObjects("cells", cells)
            .put("dropped_entries", m.droppedEntries());
    }
}
