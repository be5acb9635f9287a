package io.conntest.tap.netns;

import java.util.List;

/**
 * What a command run by {@link NetworkNamespace} did: its exit code and its output (stdout and stderr merged).
 *
 * @param command  the command line as run.
 * @param exitCode the exit status, 0 for success.
 * @param output   stdout and stderr, merged, as text.
 */
public record CommandResult(List<String> command, int exitCode, String output)
{
    /** Whether the command exited with status 0. */
    public boolean ok()
    {
        return exitCode == 0;
    }

    /** Returns this result, or throws {@link NamespaceException} with the output when the command failed. */
    public CommandResult check()
    {
        if (exitCode != 0)
        {
            throw new NamespaceException("'" + String.join(" ", command) + "' exited with " + exitCode + ": "
                + output.strip());
        }
        return this;
    }
}
