package io.conntest.core.iperf3;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;

/**
 * One accepted connection of an {@link Iperf3Server}: it first collects the 37-byte cookie every iperf3
 * connection opens with, then the server decides what it is — the control connection of a new test, a data
 * stream of the running test, or one to refuse — and the bytes that follow go there.
 */
final class Iperf3Connection implements ConnectionHandler
{
    /** What the connection turned out to be. */
    enum Role
    {
        PENDING, CONTROL, STREAM, REFUSED
    }

    /** A connection must send its cookie within this time of being accepted. */
    static final long COOKIE_TIMEOUT_NS = 5_000_000_000L;

    private final Iperf3Server server;
    final Connection connection;
    final long acceptedNs;
    private final byte[] cookie = new byte[Iperf3Protocol.COOKIE_SIZE];
    private int cookieHave;
    Role role = Role.PENDING;
    Iperf3Test test;
    Iperf3Stream stream;

    Iperf3Connection(final Iperf3Server server, final Connection connection, final long acceptedNs)
    {
        this.server = server;
        this.connection = connection;
        this.acceptedNs = acceptedNs;
    }

    @Override
    public void onConnected(final Connection connection, final long nowNs)
    {
    }

    @Override
    public void onConnectFailed(final Connection connection, final FailureReason reason, final String detail,
        final long nowNs)
    {
    }

    @Override
    public void onData(final Connection c, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        int at = offset;
        int left = length;
        if (role == Role.PENDING)
        {
            final int n = Math.min(left, cookie.length - cookieHave);
            buffer.getBytes(at, cookie, cookieHave, n);
            cookieHave += n;
            at += n;
            left -= n;
            if (cookieHave < cookie.length)
            {
                return;
            }
            server.classify(this, cookie, nowNs);
        }
        if (left == 0)
        {
            return;
        }
        switch (role)
        {
            case CONTROL -> test.onControlData(buffer, at, left, nowNs);
            case STREAM -> test.onStreamData(stream, left, nowNs);
            default ->
            {
            }
        }
    }

    @Override
    public void onWritable(final Connection c, final long nowNs)
    {
        if (role == Role.CONTROL)
        {
            test.onControlWritable();
        }
        else if (role == Role.STREAM)
        {
            stream.writeBlocked = false;
            test.pump(nowNs);
        }
    }

    @Override
    public void onClosed(final Connection c, final FailureReason reason, final String detail, final long nowNs)
    {
        if (role == Role.CONTROL)
        {
            test.onControlClosed(nowNs);
        }
        server.onClosed(this);
    }

    /** Whether the cookie is what iperf3's {@code make_cookie} makes: 36 printable characters and a NUL. */
    static boolean wellFormed(final byte[] cookie)
    {
        if (cookie[Iperf3Protocol.COOKIE_SIZE - 1] != 0)
        {
            return false;
        }
        for (int i = 0; i < Iperf3Protocol.COOKIE_SIZE - 1; i++)
        {
            if (cookie[i] < 0x21 || cookie[i] > 0x7e)
            {
                return false;
            }
        }
        return true;
    }

    /** Sends one state byte (ACCESS_DENIED) and closes: the kernel or stack sends it before the FIN. */
    void refuse(final UnsafeBuffer oneByte)
    {
        role = Role.REFUSED;
        oneByte.putByte(0, Iperf3Protocol.ACCESS_DENIED);
        connection.write(oneByte, 0, 1);
        connection.close();
    }
}
