package io.conntest.cli.metrics.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The head of one HTTP/1.x request (RFC 9112 §2-§5), parsed from at most {@link HttpLimits#MAX_HEAD_BYTES} bytes:
 * the request line, and of the header fields only those the responder acts on (Host, Accept, Accept-Encoding,
 * Connection, Content-Length, Transfer-Encoding). A head the responder cannot serve carries the status to answer
 * ({@link #error()}) and is never thrown: bad input is answered and the connection closed.
 */
final class RequestHead
{
    /** Line ends: CRLF, or a bare LF (RFC 9112 §2.2). Compiled once: String.split would compile it per request. */
    private static final Pattern LINE_END = Pattern.compile("\r?\n");
    private static final Pattern HTTP_VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    /** 0: a request to serve; else the status of the error response. */
    private final int error;
    private final String method;
    private final String path;
    private final String query;
    private final boolean http10;
    private final boolean closeRequested;
    private final String accept;
    private final String acceptEncoding;

    private RequestHead(final int error, final String method, final String path, final String query,
        final boolean http10, final boolean closeRequested, final String accept, final String acceptEncoding)
    {
        this.error = error;
        this.method = method;
        this.path = path;
        this.query = query;
        this.http10 = http10;
        this.closeRequested = closeRequested;
        this.accept = accept;
        this.acceptEncoding = acceptEncoding;
    }

    private static RequestHead error(final int status)
    {
        return new RequestHead(status, "", "", null, false, true, null, null);
    }

    /**
     * Where the head in {@code buf[0, length)} ends: the index just past its empty line (CRLF CRLF, or LF LF which
     * RFC 9112 §2.2 lets a recipient accept), or -1 while it is incomplete. {@code from} is where to resume looking.
     */
    static int end(final byte[] buf, final int from, final int length)
    {
        for (int i = Math.max(from, 1); i < length; i++)
        {
            // an empty line: LF right after the previous line's LF, or after its LF and a CR
            if (buf[i] == '\n' && (buf[i - 1] == '\n' || buf[i - 1] == '\r' && i >= 2 && buf[i - 2] == '\n'))
            {
                return i + 1;
            }
        }
        return -1;
    }

    /** Parses the complete head {@code buf[0, length)} (as found by {@link #end}). */
    static RequestHead parse(final byte[] buf, final int length)
    {
        // ISO-8859-1 keeps every byte one char: a field value's obs-text stays opaque (RFC 9110 §5.5)
        final String text = new String(buf, 0, length, StandardCharsets.ISO_8859_1);
        final String[] lines = LINE_END.split(text, -1);
        final String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty())
        {
            return error(400);
        }
        final String version = requestLine[2];
        final boolean http10;
        if (version.equals("HTTP/1.1"))
        {
            http10 = false;
        }
        else if (version.equals("HTTP/1.0"))
        {
            http10 = true;
        }
        else
        {
            return error(HTTP_VERSION.matcher(version).matches() ? 505 : 400);
        }
        final String target = requestLine[1];
        if (target.charAt(0) != '/' || !visibleAscii(target))
        {
            // origin-form only (RFC 9112 §3.2.1): this endpoint is no proxy
            return error(400);
        }
        int hosts = 0;
        boolean close = http10;
        String accept = null;
        String acceptEncoding = null;
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i];
            if (line.isEmpty())
            {
                continue;
            }
            final int colon = line.indexOf(':');
            // obs-fold (a line starting with SP or HTAB) is refused (RFC 9112 §5.2), as is a name that is no token
            // or has whitespace before the colon (RFC 9112 §5.1)
            if (colon <= 0 || !isToken(line.substring(0, colon)))
            {
                return error(400);
            }
            final String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            final String value = line.substring(colon + 1).strip();
            switch (name)
            {
                case "host" -> hosts++;
                case "accept" -> accept = accept == null ? value : accept + ", " + value;
                case "accept-encoding" -> acceptEncoding = acceptEncoding == null ? value : acceptEncoding + ", " + value;
                case "connection" ->
                {
                    for (final String option : value.toLowerCase(Locale.ROOT).split(","))
                    {
                        if (option.strip().equals("close"))
                        {
                            close = true;
                        }
                    }
                }
                // no request body is read: one announced is refused rather than misread as the next request
                // (RFC 9112 §6.3 rule 4 for Transfer-Encoding: 501; a body on GET has no meaning, RFC 9110 §9.3.1)
                case "transfer-encoding" ->
                {
                    return error(501);
                }
                case "content-length" ->
                {
                    if (!DIGITS.matcher(value).matches())
                    {
                        return error(400);
                    }
                    if (Long.parseLong(value) != 0)
                    {
                        return error(413);
                    }
                }
                default ->
                {
                }
            }
        }
        // a request of HTTP/1.1 without exactly one Host is refused (RFC 9112 §3.2)
        if (!http10 && hosts != 1 || hosts > 1)
        {
            return error(400);
        }
        final int q = target.indexOf('?');
        return new RequestHead(0, requestLine[0], q < 0 ? target : target.substring(0, q),
            q < 0 ? null : target.substring(q + 1), http10, close, accept, acceptEncoding);
    }

    /** A token (RFC 9110 §5.6.2): the characters of a method or a field name. */
    private static boolean isToken(final String s)
    {
        if (s.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            final boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean visibleAscii(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    /** 0 for a request to serve, else the status of the error response (the connection is closed after it). */
    int error()
    {
        return error;
    }

    String method()
    {
        return method;
    }

    /** The target's path, without the query. */
    String path()
    {
        return path;
    }

    /** The target's query (after '?'), or null. */
    String query()
    {
        return query;
    }

    boolean http10()
    {
        return http10;
    }

    /** Whether the connection closes after the response: HTTP/1.0, or {@code Connection: close}. */
    boolean closeRequested()
    {
        return closeRequested;
    }

    /** The Accept field (several joined with ", "), or null. */
    String accept()
    {
        return accept;
    }

    /** The Accept-Encoding field, or null. */
    String acceptEncoding()
    {
        return acceptEncoding;
    }
}
