package io.conntest.cli.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import org.junit.jupiter.api.Test;

import io.conntest.cli.options.Emphasis;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.MeshCell;
import io.conntest.core.stats.MeshMatrix;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

/** The mesh view of the TUI: the matrix, its colours, the failing pair's reason, and the {@code m} key. */
class MeshRendererTest
{
    private static final long MS = 1_000_000L;

    static MeshMatrix matrix()
    {
        final List<MeshCell> cells = new ArrayList<>();
        cells.add(new MeshCell("bravo", "alpha", TransportProtocol.TCP, ConnectionState.CONNECTED, null, null, 45_000,
            -1, -1, 0, Boolean.TRUE));
        cells.add(new MeshCell("alpha", "bravo", TransportProtocol.TCP, ConnectionState.CONNECTED, null, null, 46_000,
            -1, -1, 0, null));
        cells.add(new MeshCell("charlie", "alpha", TransportProtocol.UDP, ConnectionState.RETRYING,
            FailureReason.UNREACHABLE, "administratively prohibited (ICMP from 10.0.0.1)", -1, -1, -1, 3_000 * MS, null));
        cells.add(new MeshCell("charlie", "bravo", TransportProtocol.TCP, ConnectionState.CONNECTED, null, null,
            120_000, -1, -1, 500 * MS, null));
        cells.add(new MeshCell("charlie", "bravo", TransportProtocol.UDP, ConnectionState.CONNECTING, null, null, -1,
            -1, -1, 500 * MS, null));
        cells.add(new MeshCell("bravo", "charlie", TransportProtocol.TCP, ConnectionState.CONNECTED, null, null,
            121_000, -1, -1, 0, null));
        return new MeshMatrix("bravo", List.of("alpha", "bravo", "charlie"), cells, 0);
    }

    private static List<String> text(final DefaultVirtualTerminal terminal)
    {
        final List<String> rows = new ArrayList<>();
        for (int row = 0; row < terminal.getTerminalSize().getRows(); row++)
        {
            final StringBuilder line = new StringBuilder();
            for (int col = 0; col < terminal.getTerminalSize().getColumns(); col++)
            {
                line.append(terminal.getCharacter(col, row).getCharacterString());
            }
            rows.add(line.toString().stripTrailing());
        }
        return rows;
    }

    @Test
    void drawsTheMatrixWithColoursAndTheFailingPairsReason() throws Exception
    {
        final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(100, 16));
        final TuiOutput tui = new TuiOutput(new TerminalScreen(terminal), Emphasis.CYAN, true, () -> { });
        try
        {
            tui.onStart(List.of(new InstanceInfo("bravo", "tap", List.of(), List.of(), List.of())));
            tui.onSnapshot(new EngineSnapshot(1, "bravo", "tap", List.of(), List.of(), 0, matrix()));
            tui.showMesh(true);
            tui.redraw();
            final List<String> rows = text(terminal);
            final String screen = String.join("\n", rows);
            System.out.println(screen);
            assertTrue(rows.get(0).startsWith("Mesh as bravo sees it: 3 instances"), rows.get(0));
            assertEquals("         alpha        bravo        charlie", rows.get(1));
            assertEquals(" alpha   -            T 46.0 us    .", rows.get(2));
            assertEquals(" bravo   T* 45.0 us   -            T 121 us", rows.get(3));
            assertEquals(" charlie !U unreacha~ TU ...       -", rows.get(4));
            assertTrue(rows.get(5).contains("legend"), rows.get(5));
            assertEquals("  charlie -> alpha udp: unreachable (administratively prohibited (ICMP from 10.0.0.1)), "
                + "told 3s ago", rows.get(6));
            assertEquals(TextColor.ANSI.GREEN, terminal.getCharacter(9, 3).getForegroundColor(), "up in green");
            assertEquals(TextColor.ANSI.RED, terminal.getCharacter(9, 4).getForegroundColor(), "failing in red");
            assertEquals(TextColor.ANSI.YELLOW, terminal.getCharacter(22, 4).getForegroundColor(), "connecting");
            assertEquals(TextColor.ANSI.RED, terminal.getCharacter(2, 6).getForegroundColor());
            assertTrue(rows.get(15).startsWith("q quit   m tables"), rows.get(15));

            // m goes back to the tables
            terminal.addInput(KeyStroke.fromString("m"));
            io.conntest.stack.testing.Await.until(() -> text(terminal).get(0).startsWith("bravo"), 5_000,
                () -> String.join("\n", text(terminal)));
            terminal.addInput(KeyStroke.fromString("m"));
            io.conntest.stack.testing.Await.until(() -> text(terminal).get(0).startsWith("Mesh as bravo"), 5_000,
                () -> String.join("\n", text(terminal)));
        }
        finally
        {
            tui.close();
        }
    }

    @Test
    void withoutColourTheTextStillSaysIt() throws Exception
    {
        final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(60, 12));
        final TuiOutput tui = new TuiOutput(new TerminalScreen(terminal), Emphasis.CYAN, false, () -> { });
        try
        {
            tui.onStart(List.of(new InstanceInfo("bravo", "tap", List.of(), List.of(), List.of())));
            tui.onSnapshot(new EngineSnapshot(1, "bravo", "tap", List.of(), List.of(), 0, matrix()));
            tui.showMesh(true);
            tui.redraw();
            final String screen = String.join("\n", text(terminal));
            assertTrue(screen.contains("!U unreach"), screen);
            assertEquals(TextColor.ANSI.DEFAULT, terminal.getCharacter(9, 4).getForegroundColor());
        }
        finally
        {
            tui.close();
        }
    }

    @Test
    void aNatTestIsOneShortLine()
    {
        assertEquals("charlie -> 10.1.0.12:7000 NAT: seen as 10.1.0.1:50794, mapping endpoint-independent (port kept), "
            + "filtering address-and-port-dependent, binding > 3 s", MeshRenderer.natLine("charlie",
            new io.conntest.core.nat.NatTestResult("10.1.0.12:7000", null, "10.1.0.1:50794", 50794,
                "endpoint-independent", true, "address-and-port-dependent", 3.0, Double.NaN, 2.0, 3.0)));
        assertEquals("delta -> 10.9.0.2:7000 NAT: seen as 10.9.0.1:1, mapping address-and-port-dependent, filtering "
            + "address-and-port-dependent, binding 4.5-5 s", MeshRenderer.natLine("delta",
            new io.conntest.core.nat.NatTestResult("10.9.0.2:7000", null, "10.9.0.1:1", 2,
                "address-and-port-dependent", false, "address-and-port-dependent", 4.5, 5.0, 3.0, 10.0)));
        assertEquals("echo -> 10.1.0.11:7000 NAT: no verdict (no answer)", MeshRenderer.natLine("echo",
            io.conntest.core.nat.NatTestResult.failed("10.1.0.11:7000", "no answer")));
    }

    @Test
    void aPathMtuTestIsOneShortLineThatSaysABlackHole()
    {
        assertEquals("charlie -> 10.1.0.12:7000 MTU: 1280 (local 1500, icmp 1280 from 10.0.0.1)",
            MeshRenderer.pathMtuLine("charlie", new io.conntest.core.nat.PathMtuResult("10.1.0.12:7000", null, 1280,
                false, 1500, 1280, "10.0.0.1", 1280, 8, 6, 900)));
        assertEquals("delta -> 10.1.0.12:7000 MTU: 1280 (local 1500, no icmp) BLACK HOLE: icmp-based 1500",
            MeshRenderer.pathMtuLine("delta", new io.conntest.core.nat.PathMtuResult("10.1.0.12:7000", null, 1280,
                false, 1500, 0, null, 1500, 22, 18, 2000)));
        assertEquals("echo -> 10.1.0.11:7000 MTU: >= 9000 (local 9000)", MeshRenderer.pathMtuLine("echo",
            new io.conntest.core.nat.PathMtuResult("10.1.0.11:7000", null, 9000, true, 9000, 0, null, 9000, 2, 0, 5)));
        assertEquals("echo -> 10.1.0.11:7000 MTU: unknown (no answer)", MeshRenderer.pathMtuLine("echo",
            io.conntest.core.nat.PathMtuResult.failed("10.1.0.11:7000", "no answer")));
    }
}
