package io.conntest.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results for people: a fixed-width table for the console and the same content as Markdown. Each metric is
 * shown as its median with the spread over the runs ({@code [min–max]}) when there was more than one.
 */
public final class ReportWriter
{
    private ReportWriter()
    {
    }

    /** A plain-text report for the console. */
    public static String text(final Results results)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(header(results)).append('\n');
        sb.append(table(scenarioRows(results), false)).append('\n');
        sb.append(table(ratioRows(results), false));
        appendNotes(sb, results, false);
        return sb.toString();
    }

    /** The report as a Markdown document. */
    public static String markdown(final Results results)
    {
        return markdown(results, null);
    }

    /** The report as a Markdown document that shows the plot file {@code plot} (beside it; null: none). */
    public static String markdown(final Results results, final String plot)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("# conntest bench, ").append(results.mode()).append(" mode, ").append(results.started())
            .append("\n\n");
        final Machine m = results.machine();
        sb.append("- CPU: ").append(m.cpuModel()).append(", ").append(m.cores()).append(" cores\n");
        sb.append("- kernel: ").append(m.kernel()).append('\n');
        sb.append("- JDK: ").append(m.jdk()).append('\n');
        sb.append("- load average at start: ").append(m.loadAverage()).append('\n');
        sb.append("- elapsed: ").append(results.elapsed().toSeconds()).append(" s\n\n");
        if (plot != null)
        {
            sb.append("![each scenario's runs and median, grouped by comparison, with the ratios](").append(plot)
                .append(")\n\n");
        }
        sb.append("## Scenarios\n\n").append(table(scenarioRows(results), true)).append('\n');
        sb.append("## Ratios\n\n").append(table(ratioRows(results), true));
        appendNotes(sb, results, true);
        return sb.toString();
    }

    private static String header(final Results results)
    {
        final Machine m = results.machine();
        return "conntest bench (" + results.mode() + ") " + results.started() + "\n" + m.cpuModel() + ", "
            + m.cores() + " cores, kernel " + m.kernel() + ", " + m.jdk() + ", load " + m.loadAverage()
            + ", elapsed " + results.elapsed().toSeconds() + " s\n";
    }

    private static List<String[]> scenarioRows(final Results results)
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"scenario", "runs", "figures (median [min–max])"});
        for (final ScenarioResult s : results.scenarios())
        {
            if (s.skipped() != null)
            {
                rows.add(new String[] {s.id() + ": " + s.title(), "0", "skipped: " + s.skipped()});
                continue;
            }
            final StringBuilder figures = new StringBuilder();
            for (final Metric metric : s.metrics())
            {
                if (figures.length() > 0)
                {
                    figures.append(", ");
                }
                figures.append(format(s.stats(metric), metric));
            }
            rows.add(new String[] {s.id() + ": " + s.title(), Integer.toString(s.runs().size()), figures.toString()});
        }
        return rows;
    }

    private static List<String[]> ratioRows(final Results results)
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ratio", "value", "target", "verdict"});
        for (final Ratio r : results.ratios())
        {
            final double value = r.value(results);
            rows.add(new String[] {r.label(), Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value),
                r.targetText(), r.verdict(results)});
        }
        return rows;
    }

    /** "1.23 Gbit/s [1.10–1.30]". */
    static String format(final Stats stats, final Metric metric)
    {
        if (stats.count() == 0)
        {
            return "n/a " + metric.unit();
        }
        final String median = number(stats.median() * metric.scale());
        if (stats.count() == 1)
        {
            return median + " " + metric.unit();
        }
        return median + " " + metric.unit() + " [" + number(stats.min() * metric.scale()) + "–"
            + number(stats.max() * metric.scale()) + "]";
    }

    /** Three significant digits, no exponent. */
    static String number(final double value)
    {
        final double abs = Math.abs(value);
        if (abs >= 100 || value == 0)
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1)
        {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static void appendNotes(final StringBuilder sb, final Results results, final boolean markdown)
    {
        boolean first = true;
        for (final ScenarioResult s : results.scenarios())
        {
            if (s.note() != null)
            {
                if (first)
                {
                    sb.append(markdown ? "\n## Notes\n\n" : "\nnotes:\n");
                    first = false;
                }
                sb.append(markdown ? "- " : "  ").append(s.id()).append(": ").append(s.note()).append('\n');
            }
        }
    }

    private static String table(final List<String[]> rows, final boolean markdown)
    {
        final int columns = rows.get(0).length;
        final int[] widths = new int[columns];
        for (final String[] row : rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++)
        {
            final String[] row = rows.get(r);
            for (int c = 0; c < columns; c++)
            {
                final String cell = markdown ? row[c].replace("|", "\\|") : row[c];
                sb.append(markdown ? "| " : (c == 0 ? "" : "  "));
                sb.append(cell).append(" ".repeat(widths[c] - row[c].length()));
                sb.append(markdown ? " " : "");
            }
            sb.append(markdown ? "|\n" : "\n");
            if (markdown && r == 0)
            {
                for (int c = 0; c < columns; c++)
                {
                    sb.append("| ").append("-".repeat(Math.max(3, widths[c]))).append(' ');
                }
                sb.append("|\n");
            }
        }
        return sb.toString();
    }
}
