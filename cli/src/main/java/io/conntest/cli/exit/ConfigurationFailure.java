package io.conntest.cli.exit;

/**
 * A run ended because the configuration cannot work as given (a listener's port is in use): exit code 1 with one
 * line naming the port, as iperf3 exits when it cannot bind. Raised after the engines stopped and the output
 * printed its summary.
 */
public final class ConfigurationFailure extends CliFailure
{
    private static final long serialVersionUID = 1L;

    public ConfigurationFailure(final String message)
    {
        super(message, null);
    }

    @Override
    public int exitStatus()
    {
        return ExitStatus.FAILURE;
    }
}
