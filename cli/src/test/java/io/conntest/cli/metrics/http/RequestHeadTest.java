package io.conntest.cli.metrics.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request head parser: what a scraper sends, and the shapes RFC 9112 says to refuse. */
class RequestHeadTest
{
    private static RequestHead parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        final int end = RequestHead.end(bytes, 0, bytes.length);
        assertTrue(end > 0, "a complete head: " + text);
        return RequestHead.parse(bytes, end);
    }

    @Test
    void prometheusRequestIsParsed()
    {
        final RequestHead head = parse("GET /metrics?name[]=up HTTP/1.1\r\nHost: 10.0.0.2:9464\r\nUser-Agent: "
            + "Prometheus/2.42.0\r\nAccept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5\r\n"
            + "accept-encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 1\r\n\r\n");
        assertEquals(0, head.error());
        assertEquals("GET", head.method());
        assertEquals("/metrics", head.path());
        assertEquals("name[]=up", head.query());
        assertEquals("gzip", head.acceptEncoding());
        assertTrue(head.accept().startsWith("application/openmetrics-text"));
        assertFalse(head.closeRequested());
        assertFalse(head.http10());
    }

    @Test
    void theEndOfTheHeadIsFoundWithCrlfOrBareLf()
    {
        final byte[] crlf = "GET / HTTP/1.1\r\nHost: x\r\n\r\nNEXT".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(crlf.length - 4, RequestHead.end(crlf, 0, crlf.length));
        assertEquals(-1, RequestHead.end(crlf, 0, crlf.length - 6));
        final byte[] lf = "GET / HTTP/1.0\n\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(lf.length, RequestHead.end(lf, 0, lf.length));
        assertEquals(0, RequestHead.parse(lf, lf.length).error());
        assertNull(RequestHead.parse(lf, lf.length).query());
    }

    @Test
    void refusals()
    {
        assertEquals(400, parse("GET /metrics HTTP/1.1\r\n\r\n").error(), "HTTP/1.1 needs Host");
        assertEquals(400, parse("GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n").error(), "two spaces");
        assertEquals(400, parse("GET http://x/metrics HTTP/1.1\r\nHost: x\r\n\r\n").error(), "absolute-form");
        assertEquals(400, parse("GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n").error(), "space before the colon");
        assertEquals(505, parse("GET /metrics HTTP/3.0\r\nHost: x\r\n\r\n").error());
        assertEquals(400, parse("GET /metrics FTP/1.0\r\nHost: x\r\n\r\n").error());
        assertEquals(400, parse("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n").error());
        assertEquals(0, parse("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n").error());
        assertTrue(parse("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n")
            .closeRequested());
    }
}
