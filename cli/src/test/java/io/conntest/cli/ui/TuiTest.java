package io.conntest.cli.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.conntest.cli.options.Emphasis;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TUI drawn on lanterna's virtual terminal for a known snapshot; resize, q, colours, restore. */
class TuiTest
{
    private static List<String> screenText(final DefaultVirtualTerminal terminal)
    {
        final TerminalSize size = terminal.getTerminalSize();
        final List<String> rows = new ArrayList<>();
        for (int row = 0; row < size.getRows(); row++)
        {
            final StringBuilder line = new StringBuilder();
            for (int col = 0; col < size.getColumns(); col++)
            {
                line.append(terminal.getCharacter(col, row).getCharacterString());
            }
            rows.add(line.toString().stripTrailing());
        }
        return rows;
    }

    private static TuiOutput tui(final DefaultVirtualTerminal terminal, final Emphasis emphasis, final boolean colour,
        final Runnable quit) throws java.io.IOException
    {
        final TuiOutput tui = new TuiOutput(new TerminalScreen(terminal), emphasis, colour, quit);
        tui.onStart(List.of(Snapshots.info()));
        tui.onEvent("sender", Snapshots.failed());
        tui.onSnapshot(Snapshots.snapshot(10 * Snapshots.SECOND, 1_000_000));
        return tui;
    }

    @Test
    void drawsTheKnownSnapshotInPlace() throws Exception
    {
        final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(200, 20));
        final TuiOutput tui = tui(terminal, Emphasis.CYAN, true, () -> { });
        try
        {
            tui.redraw();
            final List<String> rows = screenText(terminal);
            final String screen = String.join("\n", rows);
            System.out.println(screen);
            assertEquals("sender  stack kernel  192.0.2.2 127.0.0.1", rows.get(0));
            assertEquals("  listening udp:1234 (1 peer)", rows.get(1));
            assertEquals("  Outgoing (2)", rows.get(2));
            assertEquals(" PEER         IP               PORT PROTO STATE          RTT/2    LOADED      UP NOW    DOWN NOW"
                + "     UP TEST   DOWN TEST  UPTIME RETRY     SENT     RECV      SIZE  LOST   OOO", rows.get(3));
            assertEquals(" receiver     127.0.0.1        1234 tcp   connected    45.2 us    260 us 1.15 Gbit/s 3.00 Mbit/s"
                + " 1.21 Gbit/s  980 Mbit/s      3s     0      120      118  5.00 MiB     -     -", rows.get(4));
            assertEquals(" ?            10.0.0.9         7000 udp   retrying           -         -           -           -"
                + "           -           -       -     3        0        0  1.37 KiB     0     0", rows.get(5));
            assertEquals("    -> refused (Connection refused \"quoted\"\ttab), next try in 2s".replace("\t", " "),
                rows.get(6).replace("\t", " "));
            assertEquals("  Incoming (1)", rows.get(7));
            assertTrue(rows.get(9).startsWith(" sender       127.0.0.1       50000 udp   connected    80.0 us"), rows.get(9));
            assertTrue(screen.contains("Events"), screen);
            assertTrue(screen.contains("connect-failed out udp 10.0.0.9:7000: refused: Connection refused"), screen);
            assertTrue(rows.get(19).startsWith("q quit   m mesh   running"), rows.get(19));
            assertEquals(TextColor.ANSI.CYAN, terminal.getCharacter(0, 0).getForegroundColor(), "emphasis colour");
            assertEquals(TextColor.ANSI.RED, terminal.getCharacter(1, 5).getForegroundColor(), "failing row in red");

            // Narrower: the least important columns go, the row still fits.
            terminal.setTerminalSize(new TerminalSize(80, 20));
            tui.redraw();
            final List<String> narrow = screenText(terminal);
            // at 80 columns PROTO stays (it tells a peer's TCP and UDP rows apart); PORT and the rest go
            assertEquals(" PEER         IP              PROTO STATE          RTT/2", narrow.get(3).stripTrailing());
            assertTrue(narrow.get(4).startsWith(" receiver     127.0.0.1       tcp   connected"), narrow.get(4));
            assertFalse(narrow.get(3).contains("OOO"), narrow.get(3));
            assertTrue(narrow.stream().allMatch(r -> r.length() <= 80));
        }
        finally
        {
            tui.close();
        }
        assertTrue(tui.isClosed());
    }

    @Test
    void eventsAreShownInTheOrderTheyHappened() throws Exception
    {
        final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(150, 30));
        final TuiOutput tui = tui(terminal, Emphasis.CYAN, false, () -> { });
        try
        {
            // another engine's dispatcher delivers an earlier event after a later one (failed() is at ...000.123)
            tui.onEvent("bravo", new io.conntest.core.event.EngineEvent(7 * Snapshots.SECOND, 1_764_000_002_000L,
                io.conntest.core.event.EventType.CLOSED, 4, io.conntest.core.stats.Side.SERVER,
                io.conntest.core.transport.TransportProtocol.TCP, "10.0.0.12", 7000, null, null, "later"));
            tui.onEvent("alpha", new io.conntest.core.event.EngineEvent(6 * Snapshots.SECOND, 1_764_000_001_000L,
                io.conntest.core.event.EventType.CLOSED, 3, io.conntest.core.stats.Side.SERVER,
                io.conntest.core.transport.TransportProtocol.TCP, "10.0.0.11", 7000, null, null, "earlier"));
            tui.redraw();
            final String screen = String.join("\n", screenText(terminal));
            final int failed = screen.indexOf("connect-failed out udp 10.0.0.9:7000");
            final int earlier = screen.indexOf("alpha: closed");
            final int later = screen.indexOf("bravo: closed");
            assertTrue(failed >= 0 && earlier > failed && later > earlier, screen);
        }
        finally
        {
            tui.close();
        }
    }

    @Test
    void noColourWhenNoColorIsSetAndNoneEmphasis() throws Exception
    {
        final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(200, 20));
        final TuiOutput tui = tui(terminal, Emphasis.RED, false, () -> { });
        try
        {
            tui.redraw();
            for (int col = 0; col < 40; col++)
            {
                for (int row = 0; row < 10; row++)
                {
                    assertEquals(TextColor.ANSI.DEFAULT, terminal.getCharacter(col, row).getForegroundColor());
                }
            }
        }
        finally
        {
            tui.close();
        }
        assertNull(TuiOutput.colourOf(Emphasis.NONE));
        assertEquals(TextColor.ANSI.RED_BRIGHT, TuiOutput.colourOf(Emphasis.BRIGHT_RED));
        assertEquals(TextColor.ANSI.BLUE, TuiOutput.colourOf(Emphasis.BLUE));
    }

    @Test
    void qQuitsAndTheScreenIsRestored() throws Exception
    {
        final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(100, 30));
        final CountDownLatch quit = new CountDownLatch(1);
        final TuiOutput tui = tui(terminal, Emphasis.GREEN, true, quit::countDown);
        try
        {
            terminal.addInput(KeyStroke.fromString("x"));
            terminal.addInput(KeyStroke.fromString("q"));
            assertTrue(quit.await(5, TimeUnit.SECONDS), "q asked to stop");
        }
        finally
        {
            tui.close();
        }
        assertTrue(tui.isClosed());
        tui.close();
    }
}
