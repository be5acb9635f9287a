package io.conntest.cli.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny strict JSON parser for tests (RFC 8259): objects become LinkedHashMaps, arrays Lists, numbers Doubles
 * (or Longs when integral and without exponent), and anything malformed (NaN, trailing text, bad escapes) throws.
 */
public final class JsonParser
{
    private final String text;
    private int pos;

    private JsonParser(final String text)
    {
        this.text = text;
    }

    /** Parses exactly one JSON value filling the whole text. */
    public static Object parse(final String text)
    {
        final JsonParser p = new JsonParser(text);
        p.skipSpace();
        final Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length())
        {
            throw p.error("trailing text");
        }
        return value;
    }

    /** Parses one line that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String line)
    {
        final Object value = parse(line);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("not an object: " + line);
        }
        return (Map<String, Object>)value;
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at " + pos + " in: " + text);
    }

    private void skipSpace()
    {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
    }

    private Object value()
    {
        if (pos >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("bad literal");
        }
        pos += word.length();
        return value;
    }

    private Map<String, Object> object()
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
                throw error("expected a key");
            }
            final String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key))
            {
                throw error("duplicate key " + key);
            }
            map.put(key, value());
            skipSpace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
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
            skipSpace();
            list.add(value());
            skipSpace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("raw control character");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = text.charAt(pos++);
            switch (e)
            {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    sb.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default:
                    throw error("bad escape");
            }
        }
    }

    private Object number()
    {
        final int start = pos;
        if (peek() == '-')
        {
            pos++;
        }
        if (!Character.isDigit(peek()))
        {
            throw error("not a value");
        }
        if (peek() == '0' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))
        {
            throw error("leading zero");
        }
        boolean integral = true;
        while (pos < text.length() && (Character.isDigit(peek()) || ".eE+-".indexOf(peek()) >= 0))
        {
            integral &= Character.isDigit(peek()) || peek() == '-' && pos == start;
            pos++;
        }
        final String n = text.substring(start, pos);
        if (n.endsWith(".") || n.contains(".e") || n.contains(".E"))
        {
            throw error("bad number");
        }
        return integral ? (Object)Long.parseLong(n) : (Object)Double.parseDouble(n);
    }

    private char peek()
    {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        pos++;
    }
}
