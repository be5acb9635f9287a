package io.conntest.cli.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.conntest.cli.ui.Human;

/**
 * The mesh at the end of the run as an HTML table: a row per instance, a column per peer, each cell green (up, with
 * the median RTT/2 per protocol), red (failing, with the reason; the detail in its tooltip and listed below), yellow
 * (still connecting) or a dot (no connection). The same reading as the TUI's mesh view.
 */
final class MeshTable
{
    private MeshTable()
    {
    }

    static void write(final Writer out, final MeshRecord mesh) throws IOException
    {
        out.write("<h2 id=\"mesh\">Mesh at the end</h2>\n<p class=\"note\">As " + Html.escape(mesh.instance())
            + " saw it at " + String.format(Locale.ROOT, "%.1f", mesh.seconds()) + " s (its own connections and what "
            + "its peers told it): row &rarr; column, T tcp, U udp, * translated (a NAT on the way), RTT/2 p50.</p>\n<table class=\"mesh\">\n<tr><th></th>");
        for (final String n : mesh.nodes())
        {
            out.write("<th>" + Html.escape(n) + "</th>");
        }
        out.write("</tr>\n");
        final List<MeshRecord.Cell> failing = new ArrayList<>();
        for (final String from : mesh.nodes())
        {
            out.write("<tr><th>" + Html.escape(from) + "</th>");
            for (final String to : mesh.nodes())
            {
                if (from.equals(to))
                {
                    out.write("<td class=\"none\">-</td>");
                    continue;
                }
                final List<MeshRecord.Cell> cells = mesh.cells(from, to);
                out.write(cell(cells, failing));
            }
            out.write("</tr>\n");
        }
        out.write("</table>\n");
        if (!failing.isEmpty())
        {
            out.write("<ul class=\"events\">\n");
            for (final MeshRecord.Cell f : failing)
            {
                out.write("<li class=\"fail\">" + Html.escape(f.from() + " -> " + f.to() + " " + f.protocol() + ": "
                    + (f.reason() == null ? f.state() : f.reason()) + (f.detail() == null ? "" : " (" + f.detail() + ")"))
                    + "</li>\n");
            }
            out.write("</ul>\n");
        }
    }

    private static String cell(final List<MeshRecord.Cell> cells, final List<MeshRecord.Cell> failing)
    {
        if (cells.isEmpty())
        {
            return "<td class=\"none\">.</td>";
        }
        final StringBuilder text = new StringBuilder();
        String css = "up";
        String title = "";
        for (final MeshRecord.Cell c : cells)
        {
            if (text.length() > 0)
            {
                text.append(' ');
            }
            text.append(c.protocol().isEmpty() ? "?" : c.protocol().substring(0, 1).toUpperCase(Locale.ROOT));
            if (c.translated())
            {
                text.append('*');
            }
            if (c.up())
            {
                text.append(' ').append(Double.isNaN(c.latencyNs()) ? "up" : Human.latency((long)c.latencyNs()));
            }
            else if (c.pending())
            {
                text.append(" ...");
                css = "down".equals(css) ? css : "wait";
            }
            else
            {
                text.append(" ! ").append(c.reason() == null ? c.state() : c.reason());
                title = c.detail() == null ? "" : c.detail();
                css = "down";
                failing.add(c);
            }
        }
        return "<td class=\"" + css + "\"" + (title.isEmpty() ? "" : " title=\"" + Html.escape(title) + "\"") + ">"
            + Html.escape(text.toString()) + "</td>";
    }
}
