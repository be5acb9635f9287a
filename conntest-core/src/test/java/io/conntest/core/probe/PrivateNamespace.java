package io.conntest.core.probe;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace {@code ct-probe-<random>} this test creates with only its loopback up, and removes on
 * {@link #close()} or, if the JVM is stopped first, from a shutdown hook. Commands run inside it are bounded in time.
 * Callers check {@code Privileges.assumeNetworkNamespaces()} first.
 */
final class PrivateNamespace implements AutoCloseable
{
    private final String name;
    private final Thread cleanup;

    PrivateNamespace() throws IOException, InterruptedException
    {
        // A unique name, not a test input: helpers running at once must not collide.
        name = "ct-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        cleanup = new Thread(this::delete, "ct-probe-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            run(null, 10, "ip", "netns", "add", name);
            run(null, 10, "ip", "-n", name, "link", "set", "lo", "up");
        }
        catch (final IOException | InterruptedException | RuntimeException | Error ex)
        {
            close();
            throw ex;
        }
    }

    String name()
    {
        return name;
    }

    boolean exists()
    {
        return Files.exists(Path.of("/run/netns", name));
    }

    /** Loads an nftables ruleset into the namespace. */
    void nft(final String rules) throws IOException, InterruptedException
    {
        run(rules, 10, "ip", "netns", "exec", name, "nft", "-f", "-");
    }

    /**
     * Sets a network sysctl of the namespace, e.g. {@code net/ipv4/ip_local_port_range}, through /proc/sys (which
     * shows the namespace of the process reading it), so no sysctl binary is needed.
     */
    void sysctl(final String key, final String value) throws IOException, InterruptedException
    {
        if (!key.matches("net/[a-z0-9_/]+"))
        {
            throw new IllegalArgumentException("not a network sysctl: " + key);
        }
        run(value + "\n", 10, "ip", "netns", "exec", name, "sh", "-c", "cat > /proc/sys/" + key);
    }

    /**
     * Runs {@link NamespaceProbeMain} in the namespace with this JVM's class path and returns its stdout lines.
     * Kills it if it runs longer than {@code timeoutSeconds}.
     */
    List<String> runProbeMain(final int timeoutSeconds, final List<String> jvmOptions, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name,
            ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NamespaceProbeMain.class.getName()));
        command.addAll(List.of(args));
        return run(null, timeoutSeconds, command.toArray(new String[0]));
    }

    private static List<String> run(final String stdin, final int timeoutSeconds, final String... command)
        throws IOException, InterruptedException
    {
        final File out = File.createTempFile("ct-probe-cmd", ".out");
        final File err = File.createTempFile("ct-probe-cmd", ".err");
        try
        {
            final Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
            if (stdin != null)
            {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command)
                    + "\nstdout: " + Files.readString(out.toPath()) + "\nstderr: " + Files.readString(err.toPath()));
            }
            if (process.exitValue() != 0)
            {
                throw new AssertionError(String.join(" ", command) + " failed with " + process.exitValue()
                    + "\nstdout: " + Files.readString(out.toPath()) + "\nstderr: " + Files.readString(err.toPath()));
            }
            return Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
        }
        finally
        {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    private void delete()
    {
        if (exists())
        {
            try
            {
                new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
            }
            catch (final IOException | InterruptedException ex)
            {
                System.err.println("could not delete namespace " + name + ": " + ex);
            }
        }
    }

    @Override
    public void close()
    {
        delete();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // The hook is running or about to: it deletes the namespace itself.
        }
    }
}
