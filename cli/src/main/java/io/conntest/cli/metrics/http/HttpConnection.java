package io.conntest.cli.metrics.http;

import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Map;

/**
 * One connection slot of the {@link MetricsHttpServer}, reused for connection after connection (its request buffer
 * is allocated once). A connection reads one request head at a time into the fixed buffer, hands a scrape to the
 * renderer and waits, then writes the rendered bytes out as the connection takes them; HTTP/1.1 keep-alive (the
 * next request on the same connection) unless the client is HTTP/1.0, asks {@code Connection: close}, or the
 * response is an error that ends it. Every phase has a deadline ({@link HttpLimits}). Engine thread only.
 */
final class HttpConnection implements ConnectionHandler
{
    /** What the slot is doing. */
    enum Phase
    {
        FREE, READING, RENDERING, SENDING
    }

    final int index;
    private final MetricsHttpServer server;
    private final HttpLimits limits;
    private final byte[] in = new byte[HttpLimits.MAX_HEAD_BYTES];
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[0]);
    private long generation;
    private Connection connection;
    private Phase phase = Phase.FREE;
    private int inLength;
    private int scanFrom;
    /** Whether the bytes in {@link #in} began a request (its head deadline runs) or the slot waits for one. */
    private boolean requestStarted;
    private long deadlineNs = Long.MAX_VALUE;
    /** When the slot last began to wait for a request (the accept, or the end of the last response). */
    private long waitingSinceNs;
    private boolean closeAfterResponse;
    /** Whether {@link #readRequest} is on the stack (a response completed inside it must not re-enter). */
    private boolean parsing;
    /** The response being written (head and body), and how much of it the connection took. */
    private byte[] response;
    private int sent;

    HttpConnection(final int index, final MetricsHttpServer server, final HttpLimits limits)
    {
        this.index = index;
        this.server = server;
        this.limits = limits;
    }

    /** Takes {@code c} into this free slot. */
    void open(final Connection c, final long nowNs)
    {
        generation++;
        connection = c;
        phase = Phase.READING;
        inLength = 0;
        scanFrom = 0;
        requestStarted = false;
        closeAfterResponse = false;
        response = null;
        waitingSinceNs = nowNs;
        // a fresh connection must bring its first request as soon as one that is half sent
        deadlineNs = nowNs + limits.headTimeoutNs();
    }

    long generation()
    {
        return generation;
    }

    Phase phase()
    {
        return phase;
    }

    long deadlineNs()
    {
        return deadlineNs;
    }

    /** When this slot began waiting for its current request ({@link Phase#READING} only): for eviction. */
    long waitingSinceNs()
    {
        return waitingSinceNs;
    }

    @Override
    public void onConnected(final Connection c, final long nowNs)
    {
    }

    @Override
    public void onConnectFailed(final Connection c, final FailureReason reason, final String detail, final long nowNs)
    {
        if (c == connection)
        {
            free();
        }
    }

    @Override
    public void onData(final Connection c, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        if (c != connection || phase == Phase.FREE)
        {
            return;
        }
        if (inLength + length > in.length)
        {
            if (phase == Phase.READING)
            {
                inLength = 0;
                error(431, "the request head is longer than " + HttpLimits.MAX_HEAD_BYTES + " bytes", nowNs);
            }
            else
            {
                // more pipelined requests than the buffer holds while one is answered: not a scraper
                server.count(MetricsHttpServer.Count.OVERFLOWED);
                abandon();
            }
            return;
        }
        buffer.getBytes(offset, in, inLength, length);
        inLength += length;
        if (phase == Phase.READING)
        {
            readRequest(nowNs);
        }
    }

    @Override
    public void onWritable(final Connection c, final long nowNs)
    {
        if (c == connection && phase == Phase.SENDING)
        {
            flush(nowNs);
        }
    }

    @Override
    public void onClosed(final Connection c, final FailureReason reason, final String detail, final long nowNs)
    {
        if (c == connection)
        {
            free();
        }
    }

    /**
     * Acts on every complete head in the buffer while the slot is free to (pipelined requests one after the other,
     * in a loop rather than through the responses' completion, so a buffer full of tiny requests never nests).
     */
    private void readRequest(final long nowNs)
    {
        if (parsing)
        {
            return;
        }
        parsing = true;
        try
        {
            while (phase == Phase.READING && inLength > 0 && readOneRequest(nowNs))
            {
                // the next pipelined request, if the response went out whole and kept the connection
            }
        }
        finally
        {
            parsing = false;
        }
    }

    /** Acts on the head at the start of the buffer; false while it is incomplete. */
    private boolean readOneRequest(final long nowNs)
    {
        if (!requestStarted)
        {
            requestStarted = true;
            deadlineNs = Math.min(deadlineNs, nowNs + limits.headTimeoutNs());
        }
        final int end = RequestHead.end(in, scanFrom, inLength);
        if (end < 0)
        {
            scanFrom = Math.max(1, inLength - 2);
            if (inLength == in.length)
            {
                inLength = 0;
                error(431, "the request head is longer than " + HttpLimits.MAX_HEAD_BYTES + " bytes", nowNs);
            }
            return false;
        }
        final RequestHead head = RequestHead.parse(in, end);
        // the head is consumed; pipelined bytes after it wait for the response to be written
        System.arraycopy(in, end, in, 0, inLength - end);
        inLength -= end;
        scanFrom = 0;
        requestStarted = false;
        if (head.error() != 0)
        {
            server.count(MetricsHttpServer.Count.BAD_REQUESTS);
            error(head.error(), "the request is malformed or not supported", nowNs);
            return true;
        }
        closeAfterResponse = head.closeRequested();
        final boolean getOrHead = head.method().equals("GET") || head.method().equals("HEAD");
        if (!head.path().equals("/metrics"))
        {
            answer(404, null, "only /metrics is served here", head.method().equals("HEAD"), nowNs);
            return true;
        }
        if (!getOrHead)
        {
            answer(405, Map.of("Allow", "GET, HEAD"), "GET or HEAD /metrics", false, nowNs);
            return true;
        }
        phase = Phase.RENDERING;
        deadlineNs = nowNs + limits.renderTimeoutNs();
        server.render(this, head);
        return true;
    }

    /** The renderer's answer to this slot's scrape: its bytes go out as they are. */
    void rendered(final ScrapeRenderer.Scrape scrape, final long nowNs)
    {
        closeAfterResponse = scrape.closes();
        send(scrape.response(), scrape.status(), nowNs);
    }

    /** The render deadline passed, or the head or send deadline: what each phase does then. */
    void expire(final long nowNs)
    {
        switch (phase)
        {
            case READING ->
            {
                if (requestStarted)
                {
                    server.count(MetricsHttpServer.Count.TIMED_OUT);
                    inLength = 0;
                    error(408, "the request head did not arrive in time", nowNs);
                }
                else
                {
                    // an idle keep-alive connection, or one that never sent anything: closed without a word
                    closeGracefully();
                }
            }
            case RENDERING -> error(503, "the scrape was not rendered in time", nowNs);
            case SENDING ->
            {
                server.count(MetricsHttpServer.Count.TIMED_OUT);
                abandon();
            }
            default ->
            {
            }
        }
    }

    /** An error response and the close after it (RFC 9112 §9.6: Connection: close says so). */
    private void error(final int status, final String why, final long nowNs)
    {
        closeAfterResponse = true;
        send(Response.text(status, null, why, false, true), status, nowNs);
    }

    /** A short response of this thread's own (404, 405): keep-alive unless the request said close. */
    private void answer(final int status, final Map<String, String> headers, final String why,
        final boolean headOnly, final long nowNs)
    {
        send(Response.text(status, headers, why, headOnly, closeAfterResponse), status, nowNs);
    }

    private void send(final byte[] bytes, final int status, final long nowNs)
    {
        response = bytes;
        sent = 0;
        phase = Phase.SENDING;
        deadlineNs = nowNs + limits.sendTimeoutNs();
        server.count(status < 400 ? MetricsHttpServer.Count.SCRAPES : MetricsHttpServer.Count.ERRORS);
        flush(nowNs);
    }

    /** Writes what the connection takes; at the end, closes or waits for the next request. */
    private void flush(final long nowNs)
    {
        out.wrap(response);
        while (sent < response.length)
        {
            final int n = connection.write(out, sent, response.length - sent);
            if (n <= 0)
            {
                return;
            }
            sent += n;
        }
        response = null;
        if (closeAfterResponse)
        {
            closeGracefully();
            return;
        }
        phase = Phase.READING;
        waitingSinceNs = nowNs;
        deadlineNs = nowNs + limits.idleTimeoutNs();
        readRequest(nowNs);
    }

    /** Closes the connection (the stack sends what is queued, then FIN) and frees the slot. */
    void closeGracefully()
    {
        final Connection c = connection;
        free();
        if (c != null)
        {
            c.close();
        }
    }

    /** A client that does not behave: the connection is closed as it is and the slot freed. */
    private void abandon()
    {
        closeGracefully();
    }

    private void free()
    {
        if (phase != Phase.FREE)
        {
            phase = Phase.FREE;
            generation++;
            connection = null;
            inLength = 0;
            response = null;
            deadlineNs = Long.MAX_VALUE;
            server.freed(this);
        }
    }
}
