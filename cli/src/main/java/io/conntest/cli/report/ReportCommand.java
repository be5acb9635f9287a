package io.conntest.cli.report;

import io.conntest.cli.exit.ExitStatus;
import io.conntest.cli.exit.Failures;
import io.conntest.cli.exit.RuntimeFailure;
import io.conntest.cli.exit.UsageFailure;
import io.conntest.cli.run.CommandContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code conntest report RUN.jsonl -o report.html}: a self-contained HTML page (inline SVG plots and CSS, nothing
 * fetched) from a JSON-lines recording. Exit 0 when written, 1 when the recording cannot be read or holds no
 * conntest event, or the page cannot be written, 2 on a usage error.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = io.conntest.cli.options.VersionProvider.class,
    description = "Make one self-contained HTML page from a JSON-lines recording (--ui json, or --logfile with "
        + "--ui json): latency over time per connection (p50 line, p99 band, idle and loaded), throughput each way, "
        + "UDP loss, reconnects and failures marked on the time axis, and a summary table.",
    footer = {
        "",
        "Example:",
        "  conntest --name a --connect 'tcp://127.0.0.1:1234?monitor-bandwidth' --ui json --logfile run.jsonl",
        "  conntest report run.jsonl -o report.html",
        "Malformed, truncated or oversized lines are skipped with a warning on stderr.",
        "Exit status: 0 when the page was written, 1 when the recording cannot be read or holds no event, 2 on a "
            + "usage error."
    })
public final class ReportCommand implements Callable<Integer>
{
    /** Points per plotted series by default: a 1200-pixel-wide plot shows no more. */
    static final int DEFAULT_MAX_POINTS = 1500;

    @ParentCommand
    private CommandContext parent;

    @Parameters(index = "0", paramLabel = "RUN.jsonl", description = "The JSON-lines recording.")
    private Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
        description = "The HTML file to write (replaced when it exists).")
    private Path output;

    @Option(names = "--max-points", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_POINTS,
        description = "Most points per plotted series; longer runs are thinned evenly (default: ${DEFAULT-VALUE}).")
    private int maxPoints;

    @Override
    public Integer call()
    {
        if (maxPoints < 10 || maxPoints > 100_000)
        {
            throw new UsageFailure("--max-points must be 10 to 100000, not " + maxPoints);
        }
        // the plots are drawn off screen: no display needed, none looked for
        System.setProperty("java.awt.headless", "true");
        final RecordingReader reader = new RecordingReader(line -> parent.err().println("conntest: " + input
            + ": " + line));
        final Recording recording;
        try (Reader in = new java.io.InputStreamReader(Files.newInputStream(input), StandardCharsets.UTF_8
            .newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)))
        {
            recording = reader.read(in, maxPoints);
        }
        catch (final IOException ex)
        {
            throw new RuntimeFailure("cannot read " + input + ": " + Failures.why(ex));
        }
        if (recording.lines() == 0)
        {
            throw new RuntimeFailure(input + " holds no conntest event (a JSON-lines recording of --ui json is "
                + "expected)");
        }
        try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8))
        {
            new ReportPage().write(out, input.getFileName().toString(), recording, reader.skipped());
        }
        catch (final IOException ex)
        {
            throw new RuntimeFailure("cannot write " + output + ": " + Failures.why(ex));
        }
        parent.out().println("conntest: wrote " + output + " (" + recording.connections().size()
            + " connection rows, " + reader.skipped() + " lines skipped)");
        return ExitStatus.OK;
    }
}
