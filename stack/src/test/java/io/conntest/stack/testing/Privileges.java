package io.conntest.stack.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides whether a test that needs root, /dev/net/tun and network namespaces can run here. Without those rights
 * such a test is skipped with the reason; under {@code CI=true} it fails instead, so CI never passes by skipping.
 */
public final class Privileges
{
    private Privileges()
    {
    }

    /** Why privileged network tests cannot run on this machine, or null when they can. */
    public static String missing()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "needs root (CAP_NET_ADMIN) to create network namespaces and TAP devices";
        }
        if (!Files.exists(Path.of("/dev/net/tun")))
        {
            return "needs /dev/net/tun";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
            && !Files.isExecutable(Path.of("/usr/bin/ip")))
        {
            return "needs the ip command (iproute2)";
        }
        return null;
    }

    /** Skips the calling test (or fails it under CI=true) unless namespaces and TAP devices are available. */
    public static void assumeNetworkNamespaces()
    {
        final String why = missing();
        if (why != null && "true".equalsIgnoreCase(System.getenv("CI")))
        {
            throw new AssertionError("CI=true but privileged network test cannot run: " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
    }

    /** Skips (or fails under CI=true) unless {@code command} is on the PATH. */
    public static void assumeCommand(final String command)
    {
        boolean found = false;
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, command)))
            {
                found = true;
                break;
            }
        }
        if (!found && "true".equalsIgnoreCase(System.getenv("CI")))
        {
            throw new AssertionError("CI=true but '" + command + "' is not installed (scripts/test.sh installs it)");
        }
        final boolean ok = found;
        Assumptions.assumeTrue(ok, () -> "skipped: '" + command + "' is not installed (scripts/test.sh installs it)");
    }
}
