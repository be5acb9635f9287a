package io.conntest.cli.report;

import io.conntest.cli.ui.Human;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the report: one HTML page with inline CSS and inline SVG only (no script, no font, nothing fetched), a
 * summary table (one row per connection row) and, per row, its plots and event list. Every text from the recording
 * goes through {@link Html#escape}.
 */
final class ReportPage
{
    /** Events listed in text per row (the plots mark up to {@link ReportCharts#MAX_MARKERS}). */
    static final int MAX_LISTED_EVENTS = 50;

    private static final String CSS = """
        body{font-family:sans-serif;margin:1em;color:#222}
        h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;font-size:.8em}
        th,td{border:1px solid #ccc;padding:.2em .35em;text-align:right;white-space:nowrap}
        th{background:#f0f0f0}td.t{text-align:left}
        .note{color:#666;font-size:.85em}.fail{color:#d62728}.re{color:#ff7f0e}.ok{color:#2ca02c}
        table.mesh td{text-align:center}td.up{background:#d8f0d8}td.down{background:#f6d0d0}
        td.wait{background:#fcefc4}td.none{color:#999}
        svg{display:block;margin:.5em 0}
        """;

    private final ReportCharts charts = new ReportCharts();

    void write(final Writer out, final String source, final Recording recording, final long skippedLines)
        throws IOException
    {
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>conntest report: ");
        out.write(Html.escape(source));
        out.write("</title>\n<style>\n" + CSS + "</style></head><body>\n<h1>conntest report</h1>\n<p class=\"note\">");
        out.write("Recording " + Html.escape(source) + ": " + recording.lines() + " lines over "
            + String.format(Locale.ROOT, "%.1f", recording.lastSeconds()) + " s from " + start(recording)
            + ", instances "
            + Html.escape(String.join(", ", recording.instances())) + ".");
        if (skippedLines > 0)
        {
            out.write(" " + skippedLines + " malformed or oversized lines skipped.");
        }
        if (recording.connectionsDropped() > 0)
        {
            out.write(" Lines of connection rows beyond the first " + Recording.MAX_CONNECTIONS + " ignored: "
                + recording.connectionsDropped() + ".");
        }
        out.write(" Latency is RTT/2 as each instance measured it (idle: no bandwidth test running; loaded: during "
            + "one). Event marks: <span class=\"ok\">connected</span>, <span class=\"re\">reconnected</span>, "
            + "<span class=\"fail\">failed or closed</span>.</p>\n");
        final List<ConnectionRecord> rows = recording.connections();
        summary(out, rows);
        if (recording.mesh() != null)
        {
            MeshTable.write(out, recording.mesh());
        }
        int index = 0;
        for (final ConnectionRecord row : rows)
        {
            out.write("<h2 id=\"row" + (++index) + "\">" + Html.escape(row.label()) + "</h2>\n");
            if (row.points().isEmpty())
            {
                out.write("<p class=\"note\">No interval line for this row: nothing to plot.</p>\n");
            }
            else
            {
                out.write(charts.latency(row));
                out.write("\n");
                out.write(charts.throughput(row));
                out.write("\n");
                if (row.isUdp())
                {
                    out.write(charts.udpLoss(row));
                    out.write("\n");
                }
            }
            events(out, row);
        }
        out.write("</body></html>\n");
    }

    private static void summary(final Writer out, final List<ConnectionRecord> rows) throws IOException
    {
        out.write("<h2>Summary</h2>\n<table class=\"summary\">\n<tr><th>instance</th><th>dir</th><th>peer</th>"
            + "<th>protocol</th><th>state</th><th>uptime</th><th>retries</th><th>failures</th>"
            + "<th>idle p50</th><th>idle p99</th><th>loaded p50</th><th>loaded p99</th>"
            + "<th>last test up</th><th>last test down</th><th>bytes sent</th><th>bytes received</th>"
            + "<th>UDP lost out/in</th></tr>\n");
        for (final ConnectionRecord row : rows)
        {
            final Map<String, Object> last = row.last();
            out.write("<tr><td class=\"t\">" + Html.escape(row.instance()) + "</td><td class=\"t\">"
                + Html.escape(row.field("direction")) + "</td><td class=\"t\">"
                + Html.escape(row.peer())
                + "</td><td class=\"t\">" + Html.escape(row.field("protocol")) + "</td><td class=\"t\">"
                + Html.escape(row.field("state")) + "</td>"
                + cell(Human::duration, last, "uptime_ns") + cell(Human::count, last, "retries")
                + cell(Human::count, last, "connect_failures")
                + cell(Human::latency, last, "latency_p50_ns") + cell(Human::latency, last, "latency_p99_ns")
                + cell(Human::latency, last, "latency_loaded_p50_ns")
                + cell(Human::latency, last, "latency_loaded_p99_ns")
                + cell(Human::bitRate, last, "bandwidth_up_last_bps")
                + cell(Human::bitRate, last, "bandwidth_down_last_bps")
                + cell(Human::bytes, last, "bytes_sent") + cell(Human::bytes, last, "bytes_received")
                + "<td>" + (row.isUdp() ? Html.escape(orDash(Recording.number(last, "udp_lost")) + " / "
                + orDash(Recording.number(last, "udp_lost_incoming"))) : "-") + "</td></tr>\n");
        }
        out.write("</table>\n");
    }

    private static void events(final Writer out, final ConnectionRecord row) throws IOException
    {
        final List<RunEvent> events = row.events();
        if (events.isEmpty())
        {
            return;
        }
        out.write("<p class=\"note\">Events:</p>\n<ul class=\"events\">\n");
        int listed = 0;
        for (final RunEvent event : events)
        {
            if (listed++ == MAX_LISTED_EVENTS)
            {
                out.write("<li>... " + (events.size() - MAX_LISTED_EVENTS + row.eventsDropped())
                    + " more</li>\n");
                break;
            }
            final String css = switch (event.kind())
            {
                case CONNECTED -> "ok";
                case RECONNECTED -> "re";
                case FAILURE -> "fail";
            };
            out.write("<li class=\"" + css + "\">" + String.format(Locale.ROOT, "%.1f s: ", event.seconds())
                + Html.escape(event.text()) + "</li>\n");
        }
        out.write("</ul>\n");
    }

    private static String cell(final java.util.function.LongFunction<String> format, final Map<String, Object> row,
        final String field)
    {
        final double value = Recording.number(row, field);
        return "<td>" + (Double.isNaN(value) ? "-" : Html.escape(format.apply((long)value))) + "</td>";
    }

    /** When the recording began, UTC to the second ("2026-12-05 10:01:17 UTC"). */
    private static String start(final Recording recording)
    {
        final double first = recording.firstTime();
        if (!(Math.abs(first) < 1e11))
        {
            return "-";
        }
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochSecond((long)Math.floor(first)));
    }

    private static String orDash(final double value)
    {
        return Double.isNaN(value) ? "-" : Long.toString((long)value);
    }
}
