package io.conntest.bench.report;

import java.util.Map;

/**
 * The results as one JSON object, in base units named in the keys (bits/s, ns, s). Numbers that could not be
 * measured are written as {@code null}, never NaN, so every JSON parser reads the file.
 */
public final class JsonWriter
{
    private JsonWriter()
    {
    }

    public static String json(final Results results)
    {
        final StringBuilder sb = new StringBuilder(4096);
        final Machine m = results.machine();
        sb.append("{\n  \"mode\": ").append(string(results.mode()));
        sb.append(",\n  \"started\": ").append(string(results.started().toString()));
        sb.append(",\n  \"elapsed_s\": ").append(results.elapsed().toMillis() / 1000.0);
        sb.append(",\n  \"machine\": {\"cpu_model\": ").append(string(m.cpuModel()))
            .append(", \"cores\": ").append(m.cores())
            .append(", \"kernel\": ").append(string(m.kernel()))
            .append(", \"jdk\": ").append(string(m.jdk()))
            .append(", \"load_average\": ").append(string(m.loadAverage())).append('}');
        sb.append(",\n  \"scenarios\": [");
        boolean firstScenario = true;
        for (final ScenarioResult s : results.scenarios())
        {
            sb.append(firstScenario ? "\n" : ",\n");
            firstScenario = false;
            sb.append("    {\"id\": ").append(string(s.id())).append(", \"title\": ").append(string(s.title()));
            if (s.skipped() != null)
            {
                sb.append(", \"skipped\": ").append(string(s.skipped()));
            }
            if (s.note() != null)
            {
                sb.append(", \"note\": ").append(string(s.note()));
            }
            sb.append(", \"median\": {");
            appendMetrics(sb, s, Kind.MEDIAN);
            sb.append("}, \"min\": {");
            appendMetrics(sb, s, Kind.MIN);
            sb.append("}, \"max\": {");
            appendMetrics(sb, s, Kind.MAX);
            sb.append("}, \"runs\": [");
            boolean firstRun = true;
            for (final Map<Metric, Double> run : s.runs())
            {
                sb.append(firstRun ? "{" : ", {");
                firstRun = false;
                boolean first = true;
                for (final Map.Entry<Metric, Double> e : run.entrySet())
                {
                    sb.append(first ? "" : ", ").append(string(e.getKey().key())).append(": ").append(number(e.getValue()));
                    first = false;
                }
                sb.append('}');
            }
            sb.append("]}");
        }
        sb.append("\n  ],\n  \"ratios\": [");
        boolean firstRatio = true;
        for (final Ratio r : results.ratios())
        {
            sb.append(firstRatio ? "\n" : ",\n");
            firstRatio = false;
            sb.append("    {\"label\": ").append(string(r.label()))
                .append(", \"ours\": ").append(string(r.ours()))
                .append(", \"reference\": ").append(string(r.reference()))
                .append(", \"metric\": ").append(string(r.metric().key()))
                .append(", \"value\": ").append(number(r.value(results)))
                .append(", \"target\": ").append(number(r.target()))
                .append(", \"target_is_minimum\": ").append(r.metric().higherIsBetter())
                .append(", \"verdict\": ").append(string(r.verdict(results))).append('}');
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    private enum Kind
    {
        MEDIAN, MIN, MAX
    }

    private static void appendMetrics(final StringBuilder sb, final ScenarioResult s, final Kind kind)
    {
        boolean first = true;
        for (final Metric metric : s.metrics())
        {
            final Stats stats = s.stats(metric);
            final double value = kind == Kind.MEDIAN ? stats.median() : kind == Kind.MIN ? stats.min() : stats.max();
            sb.append(first ? "" : ", ").append(string(metric.key())).append(": ").append(number(value));
            first = false;
        }
    }

    static String number(final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return Double.toString(value);
    }

    static String string(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
