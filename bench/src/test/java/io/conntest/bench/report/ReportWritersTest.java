package io.conntest.bench.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's table and JSON writers on made-up results: no network, no timing. */
class ReportWritersTest
{
    private static Results sample()
    {
        final Results results = new Results("quick", Instant.parse("2026-11-24T12:00:00Z"),
            new Machine("Test CPU", 2, "6.1.0", "OpenJDK 17", "1.00 1.00 1.00"));
        results.add(new ScenarioResult("pump-tx", "pump \"ceiling\""))
            .addRun(Map.of(Metric.GOODPUT_BPS, 2e9, Metric.CPU_S_PER_GB_OURS, 2.0))
            .addRun(Map.of(Metric.GOODPUT_BPS, 1e9, Metric.CPU_S_PER_GB_OURS, 3.0))
            .addRun(Map.of(Metric.GOODPUT_BPS, 3e9, Metric.CPU_S_PER_GB_OURS, 1.0));
        results.add(new ScenarioResult("stack-tx", "stack | sends"))
            .addRun(Map.of(Metric.GOODPUT_BPS, 1.8e9))
            .note("run 2 failed: boom");
        results.add(new ScenarioResult("iperf3", "iperf3")).skip("iperf3 not installed");
        results.addRatio(new Ratio("stack ÷ pump", "stack-tx", "pump-tx", Metric.GOODPUT_BPS, 0.9));
        results.addRatio(new Ratio("iperf3 ÷ pump", "iperf3", "pump-tx", Metric.GOODPUT_BPS, Double.NaN));
        results.elapsed(Duration.ofSeconds(42));
        return results;
    }

    @Test
    void statsAreMedianAndSpreadIgnoringUnmeasuredRuns()
    {
        final Stats stats = Stats.of(3, Double.NaN, 1, 2, 10);
        assertEquals(2.5, stats.median());
        assertEquals(1, stats.min());
        assertEquals(10, stats.max());
        assertEquals(4, stats.count());
        assertEquals(0, Stats.of().count());
    }

    @Test
    void ratioUsesMediansAndJudgesAgainstTheTarget()
    {
        final Results results = sample();
        final Ratio ratio = results.ratios().get(0);
        assertEquals(0.9, ratio.value(results), 1e-9);
        assertEquals("met", ratio.verdict(results));
        assertTrue(Double.isNaN(results.ratios().get(1).value(results)));
        assertEquals("", results.ratios().get(1).verdict(results));
        assertEquals("≥ 0.90", ratio.targetText());
    }

    @Test
    void textAndMarkdownShowMediansSpreadsRatiosAndSkips()
    {
        final String text = ReportWriter.text(sample());
        assertTrue(text.contains("2.00 Gbit/s [1.00–3.00]"), text);
        assertTrue(text.contains("1.80 Gbit/s"), text);
        assertTrue(text.contains("skipped: iperf3 not installed"), text);
        assertTrue(text.contains("0.90") && text.contains("met"), text);
        assertTrue(text.contains("run 2 failed: boom"), text);
        final String md = ReportWriter.markdown(sample());
        assertTrue(md.contains("| pump-tx: pump \"ceiling\""), md);
        assertTrue(md.contains("stack \\| sends"), md);
        assertTrue(md.contains("- CPU: Test CPU, 2 cores"), md);
        assertTrue(md.contains("| n/a"), md);
    }

    @Test
    void jsonHasBaseUnitsNoNaNAndBalancedBrackets()
    {
        final String json = JsonWriter.json(sample());
        assertFalse(json.contains("NaN"), json);
        assertTrue(json.contains("\"goodput_bits_per_s\": 2000000000"), json);
        assertTrue(json.contains("\"title\": \"pump \\\"ceiling\\\"\""), json);
        assertTrue(json.contains("\"value\": null"), json);
        assertTrue(json.contains("\"skipped\": \"iperf3 not installed\""), json);
        assertTrue(json.contains("\"cpu_model\": \"Test CPU\""), json);
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++)
        {
            final char c = json.charAt(i);
            if (c == '\\' && inString)
            {
                i++;
                continue;
            }
            if (c == '"')
            {
                inString = !inString;
            }
            else if (!inString && (c == '{' || c == '['))
            {
                depth++;
            }
            else if (!inString && (c == '}' || c == ']'))
            {
                depth--;
                assertTrue(depth >= 0, "closes more than it opens at " + i);
            }
        }
        assertEquals(0, depth);
        assertFalse(inString);
    }
}
