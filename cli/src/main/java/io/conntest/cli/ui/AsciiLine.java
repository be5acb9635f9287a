package io.conntest.cli.ui;

/**
 * One output line safe for any console, albatross's included: printable ASCII only (every other character escaped,
 * {@code \t}, {@code \x1b} (C0, DEL, C1), {@code \u00e9}, {@code \U0001f600}, so no escape code, line break or multi-byte sequence
 * reaches the console) and at most {@link #MAX_CHARS} characters, cut at a character or escape boundary with
 * {@code ...}, so the line with its newline stays under the 512 bytes albatross cuts lines at. A backslash is kept
 * as it is: what a peer sent had its backslashes doubled where it was taken in (PeerText), so an escape here
 * cannot be forged by a peer.
 */
public final class AsciiLine
{
    /** Longest line in characters (= bytes): with its newline, 511 bytes. */
    public static final int MAX_CHARS = 510;

    private static final String CUT = "...";

    private AsciiLine()
    {
    }

    /** {@code text} escaped to printable ASCII and bounded to {@link #MAX_CHARS}. */
    public static String of(final String text)
    {
        return of(text, MAX_CHARS);
    }

    /** {@code text} escaped to printable ASCII and bounded to {@code maxChars} (at least 4). */
    public static String of(final String text, final int maxChars)
    {
        final String source = text == null ? "null" : text;
        final String whole = escape(source, Integer.MAX_VALUE);
        return whole.length() <= maxChars ? whole : escape(source, maxChars - CUT.length()) + CUT;
    }

    /** The escaped pieces of {@code source} as long as they fit in {@code room} characters. */
    private static String escape(final String source, final int room)
    {
        final StringBuilder out = new StringBuilder(Math.min(source.length(), 1024) + 8);
        for (int i = 0; i < source.length(); )
        {
            final int cp = source.codePointAt(i);
            final String piece = piece(cp);
            if (out.length() + piece.length() > room)
            {
                break;
            }
            out.append(piece);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String piece(final int cp)
    {
        if (cp >= 0x20 && cp < 0x7F)
        {
            return String.valueOf((char)cp);
        }
        switch (cp)
        {
            case '\t':
                return "\\t";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            default:
                if (cp < 0xA0) // C0, DEL, C1: as PeerText writes them
                {
                    return String.format("\\x%02x", cp);
                }
                return cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp);
        }
    }
}
