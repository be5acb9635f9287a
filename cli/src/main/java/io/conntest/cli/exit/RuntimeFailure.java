package io.conntest.cli.exit;

/** A runtime failure with its cause and a hint, for exit status 1 and one line on stderr. */
public final class RuntimeFailure extends CliFailure
{
    private static final long serialVersionUID = 1L;

    public RuntimeFailure(final String messageWithHint)
    {
        super(messageWithHint, null);
    }

    public RuntimeFailure(final String messageWithHint, final Throwable cause)
    {
        super(messageWithHint, cause);
    }

    @Override
    public int exitStatus()
    {
        return ExitStatus.FAILURE;
    }
}
