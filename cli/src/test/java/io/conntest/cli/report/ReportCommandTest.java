package io.conntest.cli.report;

import io.conntest.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conntest report} on a small fixed recording (cli/src/test/resources/report/run.jsonl: a TCP and a UDP row
 * of one sender, a close and a reconnect of the TCP row, a hostile peer name on the UDP row, a malformed and a
 * truncated line), and its errors.
 */
class ReportCommandTest
{
    @TempDir
    Path dir;

    private static Path fixture() throws URISyntaxException
    {
        return Path.of(ReportCommandTest.class.getResource("/report/run.jsonl").toURI());
    }

    private String report(final Path input, final CliRun[] run) throws IOException
    {
        final Path html = dir.resolve("report.html");
        run[0] = new CliRun("report", input.toString(), "-o", html.toString());
        assertEquals(0, run[0].run(), () -> run[0].err());
        return Files.readString(html, StandardCharsets.UTF_8);
    }

    @Test
    void plotsEachRowAndTabulatesIt() throws Exception
    {
        final CliRun[] run = new CliRun[1];
        final String html = report(fixture(), run);
        // TCP: latency and throughput; UDP: those and loss
        ReportPageAssertions.selfContainedWithPlots(html, 5);
        final List<String> rows = ReportPageAssertions.summaryRows(html);
        assertEquals(2, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).contains("127.0.0.1:41234 receiver") && rows.get(0).contains(">tcp<"), rows.get(0));
        assertTrue(rows.get(0).contains("<td>1</td>"), "retries of the summary line: " + rows.get(0));
        assertTrue(rows.get(1).contains(">udp<"), rows.get(1));
        assertTrue(rows.get(1).contains("<td>0 / 3</td>"), "UDP lost out / in of the summary line: " + rows.get(1));
        assertTrue(run[0].out().contains("2 connection rows, 2 lines skipped"), run[0].out());
    }

    @Test
    void marksTheCloseAndTheReconnect() throws Exception
    {
        final String html = report(fixture(), new CliRun[1]);
        assertTrue(html.contains("<li class=\"fail\">1.2 s: closed reset: connection reset by &lt;peer&gt;</li>"),
            html);
        assertTrue(html.contains("<li class=\"re\">1.3 s: connected to 127.0.0.1:41234 over tcp</li>"));
        // the markers on the time axis of the TCP row's plots: red for the close, orange for the reconnect
        final String tcpLatency = ReportPageAssertions.svgs(html).get(0);
        assertTrue(tcpLatency.contains("stroke:rgb(214,39,40)") && tcpLatency.contains("stroke:rgb(255,127,14)"));
    }

    @Test
    void escapesAHostilePeerName() throws Exception
    {
        final String html = report(fixture(), new CliRun[1]);
        assertFalse(html.contains("<script>alert(1)</script>"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped in the table and headings");
    }

    @Test
    void countsAndSkipsMalformedLines() throws Exception
    {
        final CliRun[] run = new CliRun[1];
        final String html = report(fixture(), run);
        assertTrue(run[0].err().contains("line 4 skipped: not JSON"), run[0].err());
        assertTrue(run[0].err().contains("line 17 skipped: not JSON"), "the truncated last line: " + run[0].err());
        assertTrue(html.contains("2 malformed or oversized lines skipped"));
    }

    @Test
    void skipsALineLongerThanTheBound() throws Exception
    {
        final Path input = dir.resolve("long.jsonl");
        Files.writeString(input, Files.readString(fixture()) + "\n{\"event\":\"x\",\"pad\":\""
            + "a".repeat(RecordingReader.MAX_LINE_CHARS) + "\"}\n");
        final CliRun[] run = new CliRun[1];
        report(input, run);
        assertTrue(run[0].err().contains("line 18 skipped: longer than"), run[0].err());
    }

    @Test
    void aRowWithEventsOnlyIsListedNotPlotted() throws Exception
    {
        final Path input = Files.writeString(dir.resolve("failed.jsonl"), "{\"event\":\"connect_failed\","
            + "\"time\":1764000000.123,\"data\":{\"instance\":\"sender\",\"connection\":\"2\",\"direction\":\"out\","
            + "\"protocol\":\"udp\",\"host\":\"10.0.0.9\",\"port\":7000,\"peer_name\":null,\"reason\":\"refused\","
            + "\"message\":\"Connection refused\",\"engine_time_ns\":5000000000}}\n");
        final String html = report(input, new CliRun[1]);
        ReportPageAssertions.selfContainedWithPlots(html, 0);
        assertTrue(html.contains("No interval line for this row"));
        assertTrue(html.contains("0.0 s: connect_failed refused: Connection refused"), html);
        final List<String> rows = ReportPageAssertions.summaryRows(html);
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).contains(">10.0.0.9:7000<") && rows.get(0).contains(">udp<"), rows.get(0));
    }

    @Test
    void aMissingOrEmptyRecordingIsAFailure() throws Exception
    {
        final CliRun missing = new CliRun("report", dir.resolve("none.jsonl").toString(), "-o",
            dir.resolve("r.html").toString());
        assertEquals(1, missing.run());
        assertTrue(missing.err().startsWith("conntest: cannot read "), missing.err());
        final Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        final CliRun none = new CliRun("report", empty.toString(), "-o", dir.resolve("r.html").toString());
        assertEquals(1, none.run());
        assertTrue(none.err().contains("holds no conntest event"), none.err());
        assertFalse(Files.exists(dir.resolve("r.html")), "no page for a failed report");
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception
    {
        final CliRun noOutput = new CliRun("report", fixture().toString());
        assertEquals(2, noOutput.run());
        assertEquals(1, noOutput.err().lines().count(), noOutput.err());
        final CliRun noInput = new CliRun("report", "-o", dir.resolve("r.html").toString());
        assertEquals(2, noInput.run());
        final CliRun badPoints = new CliRun("report", fixture().toString(), "-o", dir.resolve("r.html").toString(),
            "--max-points", "1");
        assertEquals(2, badPoints.run());
        assertTrue(badPoints.err().startsWith("conntest: --max-points"), badPoints.err());
    }

    @Test
    void drawsTheMeshAtTheEnd() throws Exception
    {
        final String html = report(fixture(), new CliRun[1]);
        final int at = html.indexOf("<h2 id=\"mesh\">Mesh at the end</h2>");
        assertTrue(at > 0, "a mesh section");
        final String mesh = html.substring(at, html.indexOf("</ul>", at));
        assertTrue(mesh.contains("<th>third&lt;script&gt;</th>"), "names escaped: " + mesh);
        assertFalse(mesh.contains("<script>") || mesh.contains("<b>"), mesh);
        assertTrue(mesh.contains("<td class=\"up\">T 45.0 us</td>"), mesh);
        assertTrue(mesh.contains("<td class=\"down\" title=\"host unreachable (ICMP from 10.0.0.1) &lt;b&gt;\">"
            + "U ! unreachable</td>"), mesh);
        assertTrue(mesh.contains("<td class=\"wait\">T ...</td>"), mesh);
        assertTrue(mesh.contains("<li class=\"fail\">third&lt;script&gt; -&gt; sender udp: unreachable"), mesh);
    }
}
