package io.conntest.cli.ui;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --ui text} is safe for albatross and any console, whatever a peer calls itself: over snapshots and events
 * with hostile names and error texts (very long, non-ASCII, control characters, escape codes, bidi overrides),
 * every line is printable ASCII, has no escape code, is not empty, is under 512 bytes with its newline, and holds
 * one record (the line count is the record count). And {@link AsciiLine} itself, character by character.
 */
class ConsoleSafeOutputTest
{
    static final List<String> HOSTILE = List.of(
        "ev\nil\u001b[31mRED\u0007",
        "caf\u00e9 \u65e5\u672c \ud83d\ude00 \u202eevil\u202c",
        "x".repeat(10_000),
        "\u00e9".repeat(300) + "\r\n\t\u0000\u009b",
        "comma, \"quoted\" name",
        "");

    static ConnectionSnapshot connection(final long key, final Side side, final String name, final String error)
    {
        return new ConnectionSnapshot(key, side, TransportProtocol.UDP, "127.0.0.1", 40000 + (int)key,
            "127.0.0.1", 1234, name, ConnectionState.CONNECTED, 3 * Snapshots.SECOND, 1, 2, 120, 118, 1_000_000,
            2_000_000, 45_200, 30_000, 45_000, 60_000, 90_000, 120_000, 42,
            260_000, 410_000, 700_000, 900_000, 37, 47, 1_150_000_000L, 3_000_000L, 1_000_000_000L, false,
            1_210_000_000L, 1_100_000_000L,
            980_000_000L, 990_000_000L, 4, true, 1400, 0, 5, 1, 2, 0, 2, 35_000, 1, -1, -1, -1, -1, -1,
            error == null ? null : FailureReason.REFUSED, error, -1);
    }

    static EngineSnapshot hostileSnapshot(final long timeNs)
    {
        final List<ConnectionSnapshot> connections = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++)
        {
            connections.add(connection(i + 1, i % 2 == 0 ? Side.CLIENT : Side.SERVER, HOSTILE.get(i),
                HOSTILE.get(HOSTILE.size() - 1 - i)));
        }
        return new EngineSnapshot(timeNs, "sender", "kernel", List.of(), connections, 0);
    }

    @Test
    void everyTextLineIsOneShortAsciiRecord()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final TextOutput text = new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8), Snapshots.SECOND);
        text.onStart(List.of(new InstanceInfo("inst\u00e9\u001b]0;title\u0007", "kernel", List.of("127.0.0.1"),
            List.of("udp:1234"), List.of())));
        int records = 1;
        for (final String name : HOSTILE)
        {
            text.onEvent("sender", new EngineEvent(Snapshots.SECOND, 1_764_000_000_123L, EventType.CONNECT_FAILED, 9,
                Side.CLIENT, TransportProtocol.UDP, "10.0.0.9", 7000, name, FailureReason.REFUSED, name));
            records++;
        }
        text.onSnapshot(hostileSnapshot(10 * Snapshots.SECOND));
        text.onSnapshot(hostileSnapshot(11 * Snapshots.SECOND));
        records += HOSTILE.size();
        text.onStop(List.of(hostileSnapshot(11 * Snapshots.SECOND)), 4 * Snapshots.SECOND);
        records += HOSTILE.size() + 1;
        text.note("a note with \u001b[2J and \u00e9\nsecond line");

        final byte[] all = bytes.toByteArray();
        for (final byte b : all)
        {
            assertTrue(b == '\n' || b >= 0x20 && b < 0x7F, "printable ASCII only, got byte " + (b & 0xFF));
        }
        final String[] lines = new String(all, StandardCharsets.US_ASCII).split("\n", -1);
        assertEquals("", lines[lines.length - 1], "the output ends with a newline");
        assertEquals(records, lines.length - 1, "one record per line");
        for (int i = 0; i < lines.length - 1; i++)
        {
            final String line = lines[i];
            assertFalse(line.isEmpty(), "no empty line");
            assertTrue(line.length() + 1 < 512, "under 512 bytes with its newline: " + line.length());
            assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d \\S.*"), line);
            assertFalse(line.contains("\u001b"), line);
        }
        assertTrue(lines[1 + HOSTILE.size()].contains(" ev\\nil\\x1b[31mRED\\x07 "), lines[1 + HOSTILE.size()]);
        assertTrue(lines[2 + HOSTILE.size()].contains(" caf\\u00e9 \\u65e5\\u672c \\U0001f600 \\u202eevil... connected "),
            lines[2 + HOSTILE.size()]);
        final String err = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.matches("[ -~]*\n"), err);
    }

    @Test
    void asciiLineEscapesAndCutsAtABoundary()
    {
        assertEquals("a\\tb\\x1b[0m\\u00e9\\U0001f600 \\x7f", AsciiLine.of("a\tb\u001b[0m\u00e9\ud83d\ude00 \u007f"));
        assertEquals("back\\slash kept", AsciiLine.of("back\\slash kept"));
        assertEquals(AsciiLine.MAX_CHARS, AsciiLine.of("y".repeat(600)).length());
        assertTrue(AsciiLine.of("y".repeat(600)).endsWith("yyy..."));
        assertEquals("y".repeat(AsciiLine.MAX_CHARS), AsciiLine.of("y".repeat(AsciiLine.MAX_CHARS)), "fits: no cut");
        assertEquals("abcd...", AsciiLine.of("abcd\u00e9", 9), "an escape is never cut in half");
        assertEquals("abcd\\u00e9", AsciiLine.of("abcd\u00e9", 10));
    }
}
