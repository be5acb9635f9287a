package io.conntest.cli;

/** A runtime failure with its cause and a hint, for exit code 1 and one line on stderr. */
public final class RuntimeFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public RuntimeFailure(final String messageWithHint)
    {
        super(messageWithHint);
    }

    public RuntimeFailure(final String messageWithHint, final Throwable cause)
    {
        super(messageWithHint, cause);
    }
}
