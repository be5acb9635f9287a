package io.conntest.core.protocol;

/**
 * Makes text a peer sent (its name in HELLO, the reason in GOODBYE or ERROR) safe for any screen or log it reaches:
 * control characters (C0, DEL, C1) and the Unicode controls that reorder or hide text (bidirectional overrides and
 * isolates, zero-width characters) are escaped as {@code \n}, {@code \x1b}, {@code \u202e}; a backslash becomes
 * {@code \\} so escapes cannot be forged; and the text is cut to a bound with {@code ...}. A name such as
 * {@code $'ev\nil\x1b[31mRED\x07'} then prints as one line, {@code ev\nil\x1b[31mRED\x07}, with no escape code
 * reaching the terminal. Applied once, where the engine takes the text in; every output shows the result.
 */
public final class PeerText
{
    /** Longest name shown, in characters (the wire allows 255 bytes). */
    public static final int MAX_NAME = 64;
    /** Longest close or error reason shown. */
    public static final int MAX_REASON = 200;

    private PeerText()
    {
    }

    /** The printable form of {@code text}, at most {@code maxChars} characters of it (escapes not counted). */
    public static String sanitize(final String text, final int maxChars)
    {
        if (text == null)
        {
            return null;
        }
        final StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 8);
        int shown = 0;
        for (int i = 0; i < text.length(); )
        {
            if (shown == maxChars)
            {
                out.append("...");
                break;
            }
            final int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            switch (cp)
            {
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                default:
                    if (cp < 0x20 || cp == 0x7F || cp >= 0x80 && cp < 0xA0)
                    {
                        out.append(String.format("\\x%02x", cp));
                    }
                    else if (isHidingControl(cp))
                    {
                        out.append(String.format("\\u%04x", cp));
                    }
                    else
                    {
                        out.appendCodePoint(cp);
                    }
            }
        }
        return out.toString();
    }

    /** Unicode format characters that reorder, hide or join text (Trojan Source, CVE-2021-42574) or replace it. */
    private static boolean isHidingControl(final int cp)
    {
        return cp >= 0x200B && cp <= 0x200F || cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069
            || cp == 0xFEFF || cp == 0xFFFD || Character.getType(cp) == Character.UNASSIGNED
            || Character.getType(cp) == Character.PRIVATE_USE || Character.getType(cp) == Character.SURROGATE;
    }
}
