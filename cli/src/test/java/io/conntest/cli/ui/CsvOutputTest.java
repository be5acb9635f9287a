package io.conntest.cli.ui;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --ui csv}: a header, then rows an RFC 4180 reader takes back field by field, one record per line. */
class CsvOutputTest
{
    private static final Set<String> TEXT = Set.of("row", "instance", "direction", "protocol", "local_host",
        "peer_host", "peer_name", "state", "last_failure", "last_error");

    /** An RFC 4180 reader for one line: quoted fields with doubled quotes, no line breaks inside. */
    static List<String> parse(final String line)
    {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char ch = line.charAt(i);
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"')
                {
                    field.append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.append(ch);
                }
            }
            else if (ch == '"' && field.length() == 0)
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.add(field.toString());
                field.setLength(0);
            }
            else
            {
                assertTrue(ch != '"', "a quote only in a quoted field: " + line);
                field.append(ch);
            }
        }
        assertTrue(!quoted, "quotes closed: " + line);
        fields.add(field.toString());
        return fields;
    }

    @Test
    void headerThenOneParsableRowPerConnectionPerInterval()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CsvOutput csv = new CsvOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Snapshots.SECOND);
        csv.onStart(List.of(Snapshots.info()));
        csv.onEvent("sender", Snapshots.failed());
        csv.onSnapshot(Snapshots.snapshot(10 * Snapshots.SECOND, 1_000_000));
        csv.onSnapshot(Snapshots.snapshot(10 * Snapshots.SECOND + Snapshots.SECOND / 2, 1_500_000));
        csv.onSnapshot(Snapshots.snapshot(11 * Snapshots.SECOND, 2_250_000));
        csv.onSnapshot(ConsoleSafeOutputTest.hostileSnapshot(12 * Snapshots.SECOND));
        csv.onStop(List.of(Snapshots.snapshot(12 * Snapshots.SECOND, 2_250_000)), 4 * Snapshots.SECOND);

        final byte[] all = bytes.toByteArray();
        for (final byte b : all)
        {
            assertTrue(b == '\n' || b >= 0x20 && b < 0x7F, "printable ASCII only, got byte " + (b & 0xFF));
        }
        final List<String> lines = new String(all, StandardCharsets.US_ASCII).lines().toList();
        assertEquals(CsvOutput.COLUMNS, parse(lines.get(0)));
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            final List<String> fields = parse(line);
            assertEquals(CsvOutput.COLUMNS.size(), fields.size(), line);
            final Map<String, String> row = new HashMap<>();
            for (int i = 0; i < fields.size(); i++)
            {
                row.put(CsvOutput.COLUMNS.get(i), fields.get(i));
            }
            for (final String column : CsvOutput.COLUMNS)
            {
                final String value = row.get(column);
                if (column.equals("time"))
                {
                    assertTrue(value.matches("\\d+\\.\\d{3}"), value);
                }
                else if (!TEXT.contains(column))
                {
                    assertTrue(value.isEmpty() || value.matches("\\d+"), column + " = " + value);
                }
            }
            rows.add(row);
        }
        // the story: 3 connections in the interval closing at 11 s, 6 hostile ones at 12 s, 3 in the summary
        assertEquals(3 + ConsoleSafeOutputTest.HOSTILE.size() + 3, rows.size());
        final Map<String, String> first = rows.get(0);
        assertEquals("interval", first.get("row"));
        assertEquals("sender", first.get("instance"));
        assertEquals("receiver", first.get("peer_name"));
        assertEquals("1000000000", first.get("interval_ns"));
        assertEquals("1250000", first.get("interval_bytes_sent"));
        assertEquals("10000000", first.get("interval_send_bps"));
        assertEquals("45200", first.get("latency_last_ns"));
        final Map<String, String> retrying = rows.get(1);
        assertEquals("", retrying.get("latency_last_ns"), "unknown is empty");
        assertEquals("refused", retrying.get("last_failure"));
        assertEquals("Connection refused \"quoted\"\\ttab", retrying.get("last_error"));
        assertEquals("comma, \"quoted\" name", rows.get(3 + 4).get("peer_name"));
        assertEquals("ev\\nil\\x1b[31mRED\\x07", rows.get(3).get("peer_name"));
        assertEquals("summary", rows.get(rows.size() - 1).get("row"));
        assertEquals("", rows.get(rows.size() - 1).get("interval_ns"));
    }
}
