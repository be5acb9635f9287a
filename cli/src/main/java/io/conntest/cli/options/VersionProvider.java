package io.conntest.cli.options;

import picocli.CommandLine.IVersionProvider;

/** The one version line, for {@code conntest --version} and every subcommand's {@code --version} / {@code -V}. */
public final class VersionProvider implements IVersionProvider
{
    public static final String VERSION = "conntest 0.1.0";

    @Override
    public String[] getVersion()
    {
        return new String[] {VERSION};
    }
}
