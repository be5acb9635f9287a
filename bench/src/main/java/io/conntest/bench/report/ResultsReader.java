package io.conntest.bench.report;

import io.conntest.core.iperf3.Iperf3Json;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a results file {@link JsonWriter} wrote back into {@link Results}, so that a committed run can be drawn
 * again ({@link PlotResults}). Only the runs are read (medians and spreads follow from them); metric keys this
 * version does not know are left out, as are ratios over them.
 */
public final class ResultsReader
{
    private ResultsReader()
    {
    }

    /** Parses the JSON text; a malformed file is an {@link IllegalArgumentException}. */
    public static Results read(final String json)
    {
        final Map<String, Object> root = Iperf3Json.parseObject(json);
        final Map<String, Object> m = object(root.get("machine"));
        final Machine machine = new Machine(text(m.get("cpu_model")), (int)number(m.get("cores")),
            text(m.get("kernel")), text(m.get("jdk")), text(m.get("load_average")));
        final Results results = new Results(text(root.get("mode")), Instant.parse(text(root.get("started"))), machine);
        results.elapsed(Duration.ofMillis(Math.round(number(root.get("elapsed_s")) * 1000)));
        for (final Object item : list(root.get("scenarios")))
        {
            final Map<String, Object> s = object(item);
            final ScenarioResult scenario = results.add(new ScenarioResult(text(s.get("id")), text(s.get("title"))));
            if (s.get("skipped") instanceof String reason)
            {
                scenario.skip(reason);
            }
            if (s.get("note") instanceof String note)
            {
                scenario.note(note);
            }
            // the metrics in the order the file lists them (that of "median"): the report's columns stay as written
            final List<String> order = new ArrayList<>(s.get("median") instanceof Map<?, ?> median
                ? object(median).keySet() : List.of());
            for (final Object run : list(s.get("runs")))
            {
                final Map<Metric, Double> values = new LinkedHashMap<>();
                final Map<String, Object> fields = object(run);
                for (final String key : order)
                {
                    put(values, key, fields.get(key));
                }
                for (final Map.Entry<String, Object> e : fields.entrySet())
                {
                    put(values, e.getKey(), e.getValue());
                }
                scenario.addRun(values);
            }
        }
        for (final Object item : list(root.get("ratios")))
        {
            final Map<String, Object> r = object(item);
            final Metric metric = metric(text(r.get("metric")));
            if (metric != null)
            {
                results.addRatio(new Ratio(text(r.get("label")), text(r.get("ours")), text(r.get("reference")), metric,
                    r.get("target") instanceof Double d ? d : Double.NaN));
            }
        }
        return results;
    }

    private static void put(final Map<Metric, Double> values, final String key, final Object value)
    {
        final Metric metric = metric(key);
        if (metric != null && value != null && !values.containsKey(metric))
        {
            values.put(metric, value instanceof Double d ? d : Double.NaN);
        }
    }

    private static Metric metric(final String key)
    {
        for (final Metric metric : Metric.values())
        {
            if (metric.key().equals(key))
            {
                return metric;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final Object value)
    {
        if (value instanceof Map)
        {
            return (Map<String, Object>)value;
        }
        throw new IllegalArgumentException("expected a JSON object, got " + value);
    }

    private static List<?> list(final Object value)
    {
        return value instanceof List<?> l ? l : List.of();
    }

    private static String text(final Object value)
    {
        return value instanceof String s ? s : "";
    }

    private static double number(final Object value)
    {
        return value instanceof Double d ? d : 0;
    }
}
