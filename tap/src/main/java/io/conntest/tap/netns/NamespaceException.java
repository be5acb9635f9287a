package io.conntest.tap.netns;

/** A namespace could not be created, configured or removed; the message says which command failed and why. */
public final class NamespaceException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public NamespaceException(final String message)
    {
        super(message);
    }

    public NamespaceException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
