package io.conntest.core.transport;

/** A synchronous transport failure (e.g. a port already in use), with its classified reason. */
public final class TransportException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;

    public TransportException(final FailureReason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    public FailureReason reason()
    {
        return reason;
    }
}
