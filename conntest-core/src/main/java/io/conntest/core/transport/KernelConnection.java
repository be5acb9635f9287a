package io.conntest.core.transport;

/** What the kernel transport's TCP connections share: identity, the handler, and deferred failure delivery. */
abstract class KernelConnection implements Connection, KernelChannel
{
    protected final KernelTransport transport;
    protected final long id;
    protected String remoteHostName;
    protected final int remotePortNumber;
    protected ConnectionHandler handler;
    protected String localHostName;
    protected int localPortNumber;
    protected boolean open;
    protected boolean finished;
    protected long connectDeadlineNs = Long.MAX_VALUE;
    /** A failure met inside {@link #write} is reported from the next poll, not re-entrantly. */
    protected FailureReason pendingReason;
    protected String pendingDetail;

    KernelConnection(final KernelTransport transport, final String remoteHost, final int remotePort,
        final ConnectionHandler handler)
    {
        this.transport = transport;
        this.id = transport.nextId();
        this.remoteHostName = remoteHost;
        this.remotePortNumber = remotePort;
        this.handler = handler;
    }

    /** The kernel's default TTL; conntest sets no IP_TTL. */
    @Override
    public int sentTtl()
    {
        return transport.defaultTtl();
    }

    /** conntest sets no IP_TOS: its packets leave with DSCP 0, Not-ECT (the kernel's TCP may mark ECT). */
    @Override
    public int sentTos()
    {
        return 0;
    }

    @Override
    public boolean isFinished()
    {
        return finished;
    }

    /** Reports the end once: a failed attempt or a closed connection. */
    protected void fail(final FailureReason reason, final String detail, final long nowNs)
    {
        if (finished)
        {
            return;
        }
        final boolean wasOpen = open;
        open = false;
        closeNow();
        finished = true;
        if (wasOpen)
        {
            handler.onClosed(this, reason, detail, nowNs);
        }
        else
        {
            handler.onConnectFailed(this, reason, detail, nowNs);
        }
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public String localHost()
    {
        return localHostName;
    }

    @Override
    public int localPort()
    {
        return localPortNumber;
    }

    @Override
    public String remoteHost()
    {
        return remoteHostName;
    }

    @Override
    public int remotePort()
    {
        return remotePortNumber;
    }

    @Override
    public boolean isOpen()
    {
        return open && !finished;
    }
}
