package io.conntest.cli.ui;

import java.util.List;

/**
 * A JSON object built by hand (no dependency): keys in insertion order, strings escaped per RFC 8259 section 7,
 * numbers that are unknown ({@code -1} where the engine uses it) or not finite written as {@code null}, never NaN.
 * {@link #toString()} gives one line without a newline.
 */
public final class Json
{
    private final StringBuilder text = new StringBuilder(256).append('{');
    private boolean empty = true;

    private Json key(final String key)
    {
        if (!empty)
        {
            text.append(',');
        }
        empty = false;
        quote(text, key);
        text.append(':');
        return this;
    }

    /** A string, or null. */
    public Json put(final String key, final String value)
    {
        key(key);
        if (value == null)
        {
            text.append("null");
        }
        else
        {
            quote(text, value);
        }
        return this;
    }

    /** A whole number. */
    public Json put(final String key, final long value)
    {
        key(key).text.append(value);
        return this;
    }

    /** A whole number that is unknown when negative: written as null then. */
    public Json putKnown(final String key, final long value)
    {
        key(key).text.append(value < 0 ? "null" : Long.toString(value));
        return this;
    }

    /** A fraction; NaN and infinities are written as null. */
    public Json put(final String key, final double value)
    {
        key(key);
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            text.append("null");
        }
        else
        {
            text.append(value);
        }
        return this;
    }

    /** Seconds since the Unix epoch with millisecond resolution, e.g. {@code 1764000000.123}. */
    public Json putEpochSeconds(final String key, final long epochMillis)
    {
        key(key).text.append(Math.floorDiv(epochMillis, 1000L)).append('.');
        final long ms = Math.floorMod(epochMillis, 1000L);
        text.append(ms < 100 ? (ms < 10 ? "00" : "0") : "").append(ms);
        return this;
    }

    /** true or false. */
    public Json put(final String key, final boolean value)
    {
        key(key).text.append(value);
        return this;
    }

    /** true, false, or null when unknown. */
    public Json put(final String key, final Boolean value)
    {
        key(key).text.append(value == null ? "null" : value.toString());
        return this;
    }

    /** A nested object. */
    public Json put(final String key, final Json value)
    {
        key(key).text.append(value == null ? "null" : value.toString());
        return this;
    }

    /** An array of objects. */
    public Json putObjects(final String key, final List<Json> values)
    {
        key(key).text.append('[');
        for (int i = 0; i < values.size(); i++)
        {
            if (i > 0)
            {
                text.append(',');
            }
            text.append(values.get(i));
        }
        text.append(']');
        return this;
    }

    /** An array of strings. */
    public Json putStrings(final String key, final List<String> values)
    {
        key(key).text.append('[');
        for (int i = 0; i < values.size(); i++)
        {
            if (i > 0)
            {
                text.append(',');
            }
            quote(text, values.get(i));
        }
        text.append(']');
        return this;
    }

    @Override
    public String toString()
    {
        return text + "}";
    }

    /** Appends {@code value} as a JSON string: quote, backslash and control characters escaped. */
    static void quote(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)
                        && !validSurrogate(value, i))
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogate(final String value, final int i)
    {
        final char c = value.charAt(i);
        if (Character.isHighSurrogate(c))
        {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }
}
