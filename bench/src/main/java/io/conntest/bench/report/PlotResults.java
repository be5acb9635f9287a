package io.conntest.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Draws the plot of results files already written: {@code PlotResults RUN.json...} writes {@code RUN.svg} beside
 * each (what {@code scripts/bench.sh --plot RUN.json} runs). Needs no root and runs no benchmark.
 */
public final class PlotResults
{
    private PlotResults()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length == 0)
        {
            System.err.println("usage: PlotResults RUN.json...   (writes RUN.svg beside each)");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        for (final String arg : args)
        {
            final Path json = Path.of(arg);
            final Path svg = beside(json);
            final Results results = ResultsReader.read(Files.readString(json, StandardCharsets.UTF_8));
            Files.writeString(svg, ResultsPlot.svg(results), StandardCharsets.UTF_8);
            System.out.println(svg);
        }
    }

    /** {@code dir/RUN.json} → {@code dir/RUN.svg}. */
    static Path beside(final Path json)
    {
        final String name = json.getFileName().toString();
        final String base = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return json.resolveSibling(base + ".svg");
    }
}
