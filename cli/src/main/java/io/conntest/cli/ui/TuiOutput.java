package io.conntest.cli.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import io.conntest.cli.options.Emphasis;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.EngineSnapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The live full-screen table (lanterna), the original's {@code notty} UI: a thread of its own redraws the latest
 * snapshots four times a second (in place, following the terminal's size) and reads keys: {@code q} (or Ctrl-C,
 * trapped by the terminal) calls the quit action, {@code m} switches between the connection tables and the whole
 * mesh as a matrix ({@link MeshRenderer}). The terminal is restored by {@link #close()}, which the run
 * calls in a finally block, and by a shutdown hook should the JVM end otherwise.
 */
public final class TuiOutput extends Output
{
    private static final long REDRAW_MS = 250;
    private static final int MAX_EVENTS = 50;

    private final Screen screen;
    private final TuiRenderer renderer;
    private final Runnable onQuit;
    private final List<InstanceInfo> instances = new ArrayList<>();
    private final List<EngineSnapshot> snapshots = new ArrayList<>();
    /** The latest events, oldest first by the time they happened (several engines deliver on their own threads). */
    private final List<TimedLine> events = new ArrayList<>();
    private final Thread thread;
    private final Thread restoreHook;
    private volatile boolean closed;
    private volatile String status = "starting";
    /** Showing the mesh matrix instead of the connection tables ({@code m}). */
    private volatile boolean meshView;

    /**
     * @param screen   a screen not yet started (tests pass one over a virtual terminal)
     * @param emphasis the colour of headings
     * @param colour   false to draw without colour (NO_COLOR)
     * @param onQuit   what {@code q} does (stop the run); called on the TUI thread
     */
    public TuiOutput(final Screen screen, final Emphasis emphasis, final boolean colour, final Runnable onQuit)
    {
        this.screen = screen;
        this.renderer = new TuiRenderer(colourOf(emphasis), colour);
        this.onQuit = onQuit;
        try
        {
            screen.startScreen();
            screen.setCursorPosition(null);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start the terminal UI: " + ex.getMessage(), ex);
        }
        this.restoreHook = new Thread(this::restore, "conntest-tui-restore");
        Runtime.getRuntime().addShutdownHook(restoreHook);
        this.thread = new Thread(this::loop, "conntest-tui");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A screen on the process's terminal (stdin/stdout), with Ctrl-C delivered as a key rather than a signal. */
    public static Screen terminalScreen(final OutputStream out) throws IOException
    {
        final Terminal terminal = new DefaultTerminalFactory(out, System.in, StandardCharsets.UTF_8)
            .setForceTextTerminal(true)
            .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
            .createTerminal();
        return new TerminalScreen(terminal);
    }

    /** The lanterna colour of an emphasis, or null for none. */
    public static TextColor colourOf(final Emphasis emphasis)
    {
        if (emphasis == null || emphasis == Emphasis.NONE)
        {
            return null;
        }
        final String base = emphasis.name().replace("BRIGHT_", "");
        return TextColor.ANSI.valueOf(emphasis.bright() ? base + "_BRIGHT" : base);
    }

    /** Draws one frame now (the TUI thread does this on its own; tests call it to get a known frame). */
    public void redraw()
    {
        final List<InstanceInfo> infos;
        final List<EngineSnapshot> snaps;
        final List<String> recent;
        synchronized (this)
        {
            infos = List.copyOf(instances);
            snaps = new ArrayList<>(snapshots);
            recent = new ArrayList<>(events.size());
            events.forEach(e -> recent.add(e.line()));
        }
        synchronized (screen)
        {
            if (closed)
            {
                return;
            }
            final TerminalSize resized = screen.doResizeIfNecessary();
            screen.clear();
            renderer.draw(screen.newTextGraphics(), screen.getTerminalSize(), infos, snaps, recent,
                "q quit   m " + (meshView ? "tables" : "mesh") + "   " + status + "   "
                    + Describe.CLOCK.format(Instant.now()), meshView);
            try
            {
                screen.refresh(resized != null ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private void loop()
    {
        try
        {
            while (!closed)
            {
                redraw();
                final long until = System.currentTimeMillis() + REDRAW_MS;
                while (!closed && System.currentTimeMillis() < until)
                {
                    final KeyStroke key = screen.pollInput();
                    if (key == null)
                    {
                        Thread.sleep(20);
                        continue;
                    }
                    if (isQuit(key))
                    {
                        status = "stopping";
                        onQuit.run();
                        return;
                    }
                    if (key.getKeyType() == KeyType.EOF)
                    {
                        return;
                    }
                    if (isMeshToggle(key))
                    {
                        meshView = !meshView;
                        redraw();
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException | RuntimeException ex)
        {
            // The terminal went away: restore what can be restored and let the run go on without a display.
            restore();
            System.err.println("conntest: terminal UI stopped: " + ex);
        }
    }

    static boolean isMeshToggle(final KeyStroke key)
    {
        return key.getKeyType() == KeyType.Character && (key.getCharacter() == 'm' || key.getCharacter() == 'M');
    }

    /** Starts in (or leaves) the mesh view, as {@code m} does; the lab starts in it. */
    @Override
    public void showMesh(final boolean mesh)
    {
        meshView = mesh;
    }

    static boolean isQuit(final KeyStroke key)
    {
        if (key.getKeyType() == KeyType.Character)
        {
            final char c = key.getCharacter();
            return c == 'q' || c == 'Q' || key.isCtrlDown() && (c == 'c' || c == 'C');
        }
        return key.getKeyType() == KeyType.Escape;
    }

    @Override
    public synchronized void onStart(final List<InstanceInfo> list)
    {
        instances.addAll(list);
        status = "running";
    }

    @Override
    public synchronized void onEvent(final String instance, final EngineEvent event)
    {
        // The table shows connections and figures; the event area keeps what the table cannot: failures, closes,
        // listeners. Bandwidth results and attempts would only push those out.
        if (event.type() == EventType.PACKET || event.type() == EventType.BANDWIDTH_RESULT
            || event.type() == EventType.CONNECTING)
        {
            return;
        }
        addEvent(event.epochMillis(), Describe.eventLine(instance, event));
    }

    /** One line of the event area and when it happened. */
    private record TimedLine(long epochMillis, String line)
    {
    }

    /**
     * Inserts a line in time order: an event that a slower engine's dispatcher delivers late still lands where it
     * happened, not below later ones. Keeps the latest {@link #MAX_EVENTS}.
     */
    private void addEvent(final long epochMillis, final String line)
    {
        int at = events.size();
        while (at > 0 && events.get(at - 1).epochMillis() > epochMillis)
        {
            at--;
        }
        events.add(at, new TimedLine(epochMillis, line));
        while (events.size() > MAX_EVENTS)
        {
            events.remove(0);
        }
    }

    @Override
    public synchronized void onSnapshot(final EngineSnapshot snapshot)
    {
        for (int i = 0; i < instances.size(); i++)
        {
            if (instances.get(i).name().equals(snapshot.instanceName()))
            {
                while (snapshots.size() <= i)
                {
                    snapshots.add(null);
                }
                snapshots.set(i, snapshot);
            }
        }
    }

    @Override
    public void onStop(final List<EngineSnapshot> finals, final long durationNs)
    {
        for (final EngineSnapshot s : finals)
        {
            onSnapshot(s);
        }
        status = "stopped after " + Human.duration(durationNs);
    }

    @Override
    public synchronized void note(final String message)
    {
        final Instant now = Instant.now();
        addEvent(now.toEpochMilli(), Describe.CLOCK_MS.format(now) + " conntest: " + message);
    }

    /** Stops redrawing and restores the terminal. Idempotent. */
    @Override
    public void close()
    {
        restore();
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(1000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        }
        catch (final IllegalStateException ignored)
        {
            // The JVM is shutting down: the hook restores (or has restored) the terminal.
        }
    }

    private void restore()
    {
        synchronized (screen)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            try
            {
                screen.stopScreen();
            }
            catch (final IOException | RuntimeException ignored)
            {
                // Nothing more can be done for a terminal that is gone.
            }
        }
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed()
    {
        return closed;
    }
}
