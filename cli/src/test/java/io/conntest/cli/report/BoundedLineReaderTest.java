package io.conntest.cli.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class BoundedLineReaderTest
{
    @Test
    void readsLinesAndSkipsAnOversizedOneWhole() throws IOException
    {
        final BoundedLineReader r = new BoundedLineReader(new StringReader("ab\r\n" + "x".repeat(25) + "\ncd\nlast"),
            10);
        assertEquals("ab", r.next());
        assertSame(BoundedLineReader.OVERSIZED, r.next());
        assertEquals("cd", r.next());
        assertEquals("last", r.next());
        assertNull(r.next());
    }

    @Test
    void anOversizedLastLineWithoutNewlineIsOversized() throws IOException
    {
        final BoundedLineReader r = new BoundedLineReader(new StringReader("x".repeat(11)), 10);
        assertSame(BoundedLineReader.OVERSIZED, r.next());
        assertNull(r.next());
    }
}
