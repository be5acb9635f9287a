package io.conntest.cli.exit;

/**
 * The exit statuses of every conntest command, in one place (documented in {@code docs/cli.md}).
 */
public final class ExitStatus
{
    /** A clean stop: every peer was reached and the run ended healthy (or the monitor was told to ignore that). */
    public static final int OK = 0;
    /** A runtime failure: the run could not start or go on (a TAP that cannot be opened, a port in use, ...). */
    public static final int FAILURE = 1;
    /** A usage error: an option or value that cannot work, named in the message. */
    public static final int USAGE = 2;
    /** The run went as asked but some peer was never reached or ended failing (as iperf3 exits when it cannot connect). */
    public static final int UNREACHED = 3;

    private ExitStatus()
    {
    }
}
