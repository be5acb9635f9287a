package io.conntest.cli.exit;

/**
 * A failure that ends a command with a known exit status and a one-line message for people (with a hint where
 * one helps). {@link Failures} prints it; nothing else maps exceptions to exit codes.
 */
public abstract class CliFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    protected CliFailure(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    /** The process's exit status for this failure. */
    public abstract int exitStatus();
}
