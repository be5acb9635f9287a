package io.conntest.core.iperf3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON iperf3 exchanges on its control channel (RFC 8259), our own bounded codec: {@link #parse} reads one
 * document into {@link Map}s, {@link List}s, {@link String}s, {@link Double}s, {@link Boolean}s and {@code null}
 * with limits on nesting and element count, and answers bad input with {@link IllegalArgumentException} (never
 * anything else); {@link Writer} builds the compact text iperf3's cJSON prints.
 */
public final class Iperf3Json
{
    /** Deepest nesting accepted: iperf3 sends objects holding an array of objects (depth 3); room for more. */
    static final int MAX_DEPTH = 8;
    /** Most values in one document: a results object with 128 streams of ten fields stays far below. */
    static final int MAX_VALUES = 8_192;

    private final String text;
    private int pos;
    private int values;

    private Iperf3Json(final String text)
    {
        this.text = text;
    }

    /** Parses one JSON document (an object, usually); whitespace around it is allowed, anything else is not. */
    public static Object parse(final String text)
    {
        final Iperf3Json p = new Iperf3Json(text);
        final Object value = p.value(0);
        p.skipSpace();
        if (p.pos != text.length())
        {
            throw p.error("text after the value");
        }
        return value;
    }

    /** Parses a document that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text)
    {
        final Object value = parse(text);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("JSON is not an object");
        }
        return (Map<String, Object>)value;
    }

    private Object value(final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        if (++values > MAX_VALUES)
        {
            throw error("more than " + MAX_VALUES + " values");
        }
        skipSpace();
        if (pos >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object(final int depth)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}')
        {
            pos++;
            return map;
        }
        while (true)
        {
            skipSpace();
            if (peek() != '"')
            {
                throw error("expected a member name");
            }
            final String name = string();
            skipSpace();
            expect(':');
            map.put(name, value(depth + 1));
            skipSpace();
            final char c = next();
            if (c == '}')
            {
                return map;
            }
            if (c != ',')
            {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(final int depth)
    {
        final List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']')
        {
            pos++;
            return list;
        }
        while (true)
        {
            list.add(value(depth + 1));
            skipSpace();
            final char c = next();
            if (c == ']')
            {
                return list;
            }
            if (c != ',')
            {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char c = next();
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("control character in a string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = next();
            switch (e)
            {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' ->
                {
                    if (pos + 4 > text.length())
                    {
                        throw error("short \\u escape");
                    }
                    try
                    {
                        sb.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private Double number()
    {
        final int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
        try
        {
            final double d = Double.parseDouble(text.substring(start, pos));
            if (Double.isNaN(d) || Double.isInfinite(d))
            {
                throw error("number out of range");
            }
            return d;
        }
        catch (final NumberFormatException ex)
        {
            throw error("bad number '" + text.substring(start, pos) + "'");
        }
    }

    private void literal(final String word)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("bad literal");
        }
        pos += word.length();
    }

    private void skipSpace()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }
            pos++;
        }
    }

    private char peek()
    {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next()
    {
        if (pos >= text.length())
        {
            throw error("unexpected end");
        }
        return text.charAt(pos++);
    }

    private void expect(final char c)
    {
        if (next() != c)
        {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException("bad JSON at " + pos + ": " + what);
    }

    /** Builds compact JSON: objects and arrays opened and closed in order, commas placed for the caller. */
    public static final class Writer
    {
        private final StringBuilder sb = new StringBuilder(256);
        private boolean needComma;

        public Writer beginObject()
        {
            comma();
            sb.append('{');
            needComma = false;
            return this;
        }

        public Writer endObject()
        {
            sb.append('}');
            needComma = true;
            return this;
        }

        public Writer beginArray(final String name)
        {
            name(name);
            sb.append('[');
            needComma = false;
            return this;
        }

        public Writer endArray()
        {
            sb.append(']');
            needComma = true;
            return this;
        }

        public Writer number(final String name, final long value)
        {
            name(name);
            sb.append(value);
            needComma = true;
            return this;
        }

        /** A fractional number; non-finite values become 0 (JSON has no NaN). */
        public Writer number(final String name, final double value)
        {
            name(name);
            sb.append(Double.isFinite(value) ? value : 0.0);
            needComma = true;
            return this;
        }

        public Writer bool(final String name, final boolean value)
        {
            name(name);
            sb.append(value);
            needComma = true;
            return this;
        }

        public Writer string(final String name, final String value)
        {
            name(name);
            quote(value);
            needComma = true;
            return this;
        }

        private void name(final String name)
        {
            comma();
            quote(name);
            sb.append(':');
            needComma = false;
        }

        private void comma()
        {
            if (needComma)
            {
                sb.append(',');
            }
        }

        private void quote(final String s)
        {
            sb.append('"');
            for (int i = 0; i < s.length(); i++)
            {
                final char c = s.charAt(i);
                switch (c)
                {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default ->
                    {
                        if (c < 0x20)
                        {
                            sb.append(String.format("\\u%04x", (int)c));
                        }
                        else
                        {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }

        @Override
        public String toString()
        {
            return sb.toString();
        }
    }
}
