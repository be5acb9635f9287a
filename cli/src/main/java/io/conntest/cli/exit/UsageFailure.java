package io.conntest.cli.exit;

/**
 * A usage error found after parsing (values that parse but do not fit together, e.g. a gateway off-link): exit
 * status 2, and the message names the option.
 */
public final class UsageFailure extends CliFailure
{
    private static final long serialVersionUID = 1L;

    public UsageFailure(final String message)
    {
        super(message, null);
    }

    public UsageFailure(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    @Override
    public int exitStatus()
    {
        return ExitStatus.USAGE;
    }
}
