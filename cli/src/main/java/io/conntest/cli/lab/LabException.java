package io.conntest.cli.lab;

/** The lab cannot run or failed; the message says what is missing or what went wrong. */
public final class LabException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public LabException(final String message)
    {
        super(message);
    }

    public LabException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
