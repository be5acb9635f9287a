package io.conntest.cli.lab;

/** The lab cannot run or failed; the message says what is missing or what went wrong. */
public final class LabException extends io.conntest.cli.exit.CliFailure
{
    private static final long serialVersionUID = 1L;

    public LabException(final String message)
    {
        super(message, null);
    }

    public LabException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    @Override
    public int exitStatus()
    {
        return io.conntest.cli.exit.ExitStatus.FAILURE;
    }
}
