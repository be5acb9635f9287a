package io.conntest.bench.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's plot on made-up results: well-formed SVG, one dot per run, one bar per median, ratios labelled. */
class ResultsPlotTest
{
    private static Results sample()
    {
        final Results results = new Results("quick", Instant.parse("2026-11-24T12:00:00Z"),
            new Machine("Test CPU", 2, "6.1.0", "OpenJDK 17", "1.00 1.00 1.00"));
        results.add(new ScenarioResult("pump-tx", "pump"))
            .addRun(Map.of(Metric.GOODPUT_BPS, 2e9))
            .addRun(Map.of(Metric.GOODPUT_BPS, 1e9))
            .addRun(Map.of(Metric.GOODPUT_BPS, 3e9));
        results.add(new ScenarioResult("stack-tx", "stack"))
            .addRun(Map.of(Metric.GOODPUT_BPS, 1.8e9))
            .addRun(Map.of(Metric.GOODPUT_BPS, 1.7e9));
        results.add(new ScenarioResult("iperf3", "iperf3")).addRun(Map.of(Metric.GOODPUT_BPS, 90e9));
        results.add(new ScenarioResult("rr-stack", "r/r stack"))
            .addRun(Map.of(Metric.LATENCY_P50_NS, 20_000.0, Metric.LATENCY_P99_NS, 40_000.0))
            .addRun(Map.of(Metric.LATENCY_P50_NS, 21_000.0, Metric.LATENCY_P99_NS, 45_000.0));
        results.add(new ScenarioResult("rr-kernel", "r/r kernel"))
            .addRun(Map.of(Metric.LATENCY_P50_NS, 18_000.0, Metric.LATENCY_P99_NS, 30_000.0));
        results.add(new ScenarioResult("idle", "idle")).addRun(Map.of(Metric.CPU_PERCENT_IDLE, 0.5));
        results.add(new ScenarioResult("gone", "skipped")).skip("tool missing");
        results.addRatio(new Ratio("stack ÷ pump", "stack-tx", "pump-tx", Metric.GOODPUT_BPS, 0.9));
        results.addRatio(new Ratio("iperf3 ÷ pump", "iperf3", "pump-tx", Metric.GOODPUT_BPS, Double.NaN));
        results.addRatio(new Ratio("p50", "rr-stack", "rr-kernel", Metric.LATENCY_P50_NS, 1.2));
        results.addRatio(new Ratio("p99", "rr-stack", "rr-kernel", Metric.LATENCY_P99_NS, 1.5));
        results.addRatio(new Ratio("skipped ÷ pump", "gone", "pump-tx", Metric.GOODPUT_BPS, Double.NaN));
        results.elapsed(Duration.ofSeconds(42));
        return results;
    }

    private static Document parse(final String svg) throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** Filled shapes in the given colour (JFreeSVG writes the fill into the path's group's style). */
    private static int marks(final Document svg, final java.awt.Color color)
    {
        final String rgb = "rgb(" + color.getRed() + "," + color.getGreen() + "," + color.getBlue() + ")";
        int count = 0;
        final NodeList paths = svg.getElementsByTagNameNS("*", "path");
        for (int i = 0; i < paths.getLength(); i++)
        {
            final Element e = (Element)paths.item(i);
            final Element group = (Element)e.getParentNode();
            final String paint = (e.getAttribute("style") + ";" + group.getAttribute("style")).replace(" ", "");
            if (paint.contains(rgb))
            {
                count++;
            }
        }
        return count;
    }

    @Test
    void oneDotPerRunAndOneBarPerMedianInEveryPanel() throws Exception
    {
        final Results results = sample();
        final List<ResultsPlot.Panel> panels = ResultsPlot.panels(results);
        // goodput against pump-tx, p50 and p99 against rr-kernel, and the uncompared idle scenario
        assertEquals(4, panels.size());
        assertEquals(List.of("pump-tx", "stack-tx", "iperf3"), panels.get(0).scenarios());
        assertEquals(List.of("idle"), panels.get(3).scenarios());

        final String text = ResultsPlot.svg(results);
        final Document svg = parse(text);
        assertEquals("svg", svg.getDocumentElement().getLocalName());
        // runs: 3 + 2 + 1 goodput, 2 + 1 p50, 2 + 1 p99, 1 idle; medians: one per row
        assertEquals(13, marks(svg, ResultsPlot.RUN));
        assertEquals(3 + 2 + 2 + 1, marks(svg, ResultsPlot.MEDIAN));
        assertTrue(text.contains("stack-tx  ×0.88 (≥ 0.90 missed)"), "the ratio and its verdict label the row");
        assertTrue(text.matches("(?s).*fill: rgb\\(214,39,40\\)[^>]*>stack-tx  ×0.88.*"), "a missed target in red");
        assertTrue(text.contains("iperf3  ×45.0"));
        assertTrue(text.contains("(log scale)"), "90 Gbit/s beside 1 Gbit/s is drawn on a log axis");
    }

    @Test
    void aWrittenResultsFileReadsBackToTheSamePlot() throws Exception
    {
        final Results results = sample();
        final Results back = ResultsReader.read(JsonWriter.json(results));
        assertEquals(JsonWriter.json(results), JsonWriter.json(back));
        assertEquals(ResultsPlot.svg(results), ResultsPlot.svg(back));
    }

    @Test
    void theMarkdownShowsThePlotFileBesideIt(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        assertTrue(ReportWriter.markdown(sample(), "2026-11-24T1200Z-quick.svg")
            .contains("](2026-11-24T1200Z-quick.svg)"));
        final Path json = dir.resolve("run.json");
        Files.writeString(json, JsonWriter.json(sample()));
        PlotResults.main(new String[] {json.toString()});
        assertEquals(13, marks(parse(Files.readString(dir.resolve("run.svg"))), ResultsPlot.RUN));
    }
}
