package io.conntest.cli.metrics.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * One whole HTTP/1.1 response as bytes, head and body in one array, built once (a scrape's on the render thread)
 * so that the engine thread only copies it out.
 */
final class Response
{
    private static final DateTimeFormatter IMF_FIXDATE =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private Response()
    {
    }

    /**
     * The response bytes.
     *
     * @param headers       header fields besides Date, Content-Length and Connection (null: none); without a
     *                      Content-Type, plain text is said
     * @param body          what follows the head (empty for HEAD)
     * @param contentLength the Content-Length to announce (the body's, or for HEAD the one a GET would get)
     * @param close         whether {@code Connection: close} ends the connection after it (RFC 9112 §9.6)
     */
    static byte[] bytes(final int status, final Map<String, String> headers, final byte[] body,
        final long contentLength, final boolean close)
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        // RFC 9110 §6.6.1: an origin server with a clock sends Date
        sb.append("Date: ").append(IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        if (headers != null)
        {
            headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        }
        if (headers == null || !headers.containsKey("Content-Type"))
        {
            sb.append("Content-Type: text/plain; charset=utf-8\r\n");
        }
        sb.append("Content-Length: ").append(contentLength).append("\r\n");
        if (close)
        {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        final byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        final byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** A short plain-text response: {@code why} is the body. */
    static byte[] text(final int status, final Map<String, String> headers, final String why, final boolean headOnly,
        final boolean close)
    {
        final byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
        return bytes(status, headers, headOnly ? new byte[0] : body, body.length, close);
    }

    static String reason(final int status)
    {
        return switch (status)
        {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
