package io.conntest.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerTextTest
{
    @Test
    void controlCharactersAreEscapedNotPrinted()
    {
        assertEquals("ev\\nil\\x1b[31mRED\\x07", PeerText.sanitize("ev\nil\u001b[31mRED\u0007", 64));
        assertEquals("a\\rb\\tc\\x7f\\x9b", PeerText.sanitize("a\rb\tc\u007f\u009b", 64));
        assertEquals("back\\\\slash \\\\x1b", PeerText.sanitize("back\\slash \\x1b", 64), "no forged escapes");
        assertEquals("admin\\u202egnp.exe", PeerText.sanitize("admin\u202egnp.exe", 64), "no bidi override");
        assertNull(PeerText.sanitize(null, 64));
    }

    @Test
    void printableTextIsKeptAndLengthIsBounded()
    {
        assertEquals("receiver-01 (rack 3)", PeerText.sanitize("receiver-01 (rack 3)", 64));
        assertEquals("zürich-東京", PeerText.sanitize("zürich-東京", 64), "printable Unicode stays");
        final String cut = PeerText.sanitize("x".repeat(300), PeerText.MAX_NAME);
        assertEquals(PeerText.MAX_NAME + 3, cut.length());
        assertTrue(cut.endsWith("..."));
        for (final char c : PeerText.sanitize("\u0000\u0001\u001f\u0085 \n", 64).toCharArray())
        {
            assertTrue(c >= 0x20 && c < 0x7F, "only printable ASCII for controls: " + (int)c);
        }
    }
}
