package io.conntest.tap.netns;

import io.conntest.tap.libc.LibC;
import io.conntest.tap.libc.Linux;
import io.conntest.tap.libc.Native;
import io.conntest.tap.libc.NativeCallException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A private network namespace, named {@code <prefix>-<random>} so that concurrent users never collide, made with
 * {@code ip netns add} (with {@code lo} up and nothing else: no route out) and removed by {@link #close()} — or by
 * a shutdown hook when the JVM ends without closing it.
 *
 * <p>Devices are made and configured inside it with iproute2 ({@link #ip(String...)}, {@link #addTap(String)},
 * ...), commands run inside it with {@link #exec(String...)}, and Java code runs inside it with
 * {@link #call(Callable)} on a dedicated thread that entered the namespace with {@code setns(2)} (a network
 * namespace is a per-thread property): a {@code TapDevice} opened there, or a {@code java.net} socket created
 * there, belongs to the namespace and may then be used from any thread.
 *
 * <p>Close the TAP devices and sockets made inside before closing the namespace: the kernel frees a namespace
 * only when nothing refers to it any more.
 */
public final class NetworkNamespace implements AutoCloseable
{
    /** Where iproute2 keeps the bind mounts of named namespaces. */
    public static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final long COMMAND_TIMEOUT_MS = 30_000;
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;
    private static final ThreadLocal<String> ENTERED = new ThreadLocal<>();

    private final String name;
    private final ExecutorService thread;
    private volatile boolean closed;

    private NetworkNamespace(final String name)
    {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread t = new Thread(runnable, "netns-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates a namespace named {@code prefix-XXXXXXXX} (8 random hex digits) with {@code lo} up.
     *
     * @throws NamespaceException when {@code ip netns add} fails (e.g. not root).
     */
    public static NetworkNamespace create(final String prefix)
    {
        final String name = String.format("%s-%08x", prefix, ThreadLocalRandom.current().nextInt());
        installShutdownHook();
        LIVE.add(name);
        final CommandResult added = run(List.of(ipCommand(), "netns", "add", name));
        if (!added.ok())
        {
            LIVE.remove(name);
            throw new NamespaceException("cannot create network namespace " + name + ": " + added.output().strip()
                + " (needs root or CAP_SYS_ADMIN)");
        }
        final NetworkNamespace ns = new NetworkNamespace(name);
        try
        {
            ns.ip("link", "set", "lo", "up");
        }
        catch (final RuntimeException ex)
        {
            ns.close();
            throw ex;
        }
        return ns;
    }

    /** The namespace's name, as {@code ip netns list} shows it. */
    public String name()
    {
        return name;
    }

    /** The namespace's bind mount, {@code /var/run/netns/NAME}. */
    public Path path()
    {
        return NETNS_DIR.resolve(name);
    }

    /** Whether a namespace of this name exists (it does until {@link #close()}). */
    public boolean exists()
    {
        return Files.exists(path());
    }

    /** The names of all named network namespaces on this machine ({@code ip netns list}). */
    public static List<String> list()
    {
        final List<String> names = new ArrayList<>();
        for (final String line : run(List.of(ipCommand(), "netns", "list")).check().output().split("\n"))
        {
            final String trimmed = line.strip();
            if (!trimmed.isEmpty())
            {
                names.add(trimmed.split(" ")[0]);
            }
        }
        return names;
    }

    /** Runs {@code ip -n NAME args...}; throws {@link NamespaceException} when it fails. */
    public CommandResult ip(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ipCommand());
        command.add("-n");
        command.add(name);
        command.addAll(Arrays.asList(args));
        return run(command).check();
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec NAME command...}), whatever its exit code. */
    public CommandResult exec(final String... command)
    {
        return execWithTimeout(COMMAND_TIMEOUT_MS, command);
    }

    /** As {@link #exec(String...)}, killing the command after {@code timeoutMs}. */
    public CommandResult execWithTimeout(final long timeoutMs, final String... command)
    {
        checkOpen();
        final List<String> full = new ArrayList<>();
        full.add(ipCommand());
        full.add("netns");
        full.add("exec");
        full.add(name);
        full.addAll(Arrays.asList(command));
        return run(full, timeoutMs);
    }

    /** Makes a persistent TAP device {@code ifname} inside the namespace (down, no address). */
    public void addTap(final String ifname)
    {
        ip("tuntap", "add", "dev", ifname, "mode", "tap");
    }

    /** Makes a bridge {@code bridge} inside the namespace and brings it up. */
    public void addBridge(final String bridge)
    {
        ip("link", "add", bridge, "type", "bridge");
        linkUp(bridge);
    }

    /** Makes a veth pair {@code a}/{@code b}, both ends inside the namespace, both up. */
    public void addVethPair(final String a, final String b)
    {
        ip("link", "add", a, "type", "veth", "peer", "name", b);
        linkUp(a);
        linkUp(b);
    }

    /** Attaches {@code ifname} to {@code bridge}. */
    public void setMaster(final String ifname, final String bridge)
    {
        ip("link", "set", ifname, "master", bridge);
    }

    /** {@code ip link set IFNAME up}. */
    public void linkUp(final String ifname)
    {
        ip("link", "set", ifname, "up");
    }

    /** {@code ip addr add CIDR dev IFNAME}, e.g. {@code addAddress("tap0", "10.0.0.1/24")}. */
    public void addAddress(final String ifname, final String cidr)
    {
        ip("addr", "add", cidr, "dev", ifname);
    }

    /**
     * Runs {@code task} on this namespace's own thread (inside the namespace) and returns its result.
     *
     * @throws NamespaceException wrapping what the task threw, or on timeout (30 s).
     */
    public <T> T call(final Callable<T> task)
    {
        final Future<T> future = submit(task);
        try
        {
            return future.get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException)
            {
                throw (RuntimeException)cause;
            }
            if (cause instanceof Error)
            {
                throw (Error)cause;
            }
            throw new NamespaceException("task in namespace " + name + " failed: " + cause, cause);
        }
        catch (final TimeoutException ex)
        {
            future.cancel(true);
            throw new NamespaceException("task in namespace " + name + " took more than 30 s", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new NamespaceException("interrupted while waiting for a task in namespace " + name, ex);
        }
    }

    /** Queues {@code task} to run on this namespace's own thread. */
    public <T> Future<T> submit(final Callable<T> task)
    {
        checkOpen();
        final String target = name;
        return thread.submit(() ->
        {
            if (!target.equals(ENTERED.get()))
            {
                enterCurrentThread(NETNS_DIR.resolve(target));
                ENTERED.set(target);
            }
            return task.call();
        });
    }

    /**
     * A new (not started) daemon thread that enters this namespace, then runs {@code body}: for a long-running
     * loop that must itself create sockets or devices in the namespace.
     */
    public Thread newThread(final String threadName, final Runnable body)
    {
        checkOpen();
        final Path nsPath = path();
        final Thread t = new Thread(() ->
        {
            enterCurrentThread(nsPath);
            body.run();
        }, threadName);
        t.setDaemon(true);
        return t;
    }

    /**
     * Moves the calling thread into the network namespace bound at {@code nsPath} ({@code setns(2)} with
     * CLONE_NEWNET). Only this thread moves; the rest of the JVM stays where it is.
     */
    public static void enterCurrentThread(final Path nsPath)
    {
        final LibC libc = Native.libc();
        final int fd = libc.open(nsPath.toString(), Linux.O_RDONLY | Linux.O_CLOEXEC);
        if (fd < 0)
        {
            throw new NativeCallException("open(" + nsPath + ")", Native.errno(), "cannot enter network namespace",
                "does the namespace exist (ip netns list)?");
        }
        try
        {
            if (libc.setns(fd, Linux.CLONE_NEWNET) < 0)
            {
                throw new NativeCallException("setns(CLONE_NEWNET)", Native.errno(),
                    "cannot enter network namespace " + nsPath, "needs root or CAP_SYS_ADMIN");
            }
        }
        finally
        {
            libc.close(fd);
        }
    }

    /**
     * Stops the namespace's thread and deletes the namespace ({@code ip netns del}). Safe to call twice.
     *
     * @throws NamespaceException when the namespace cannot be deleted.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        thread.shutdownNow();
        try
        {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final CommandResult deleted = run(List.of(ipCommand(), "netns", "del", name));
        LIVE.remove(name);
        if (!deleted.ok() && exists())
        {
            throw new NamespaceException("cannot delete network namespace " + name + ": " + deleted.output().strip());
        }
    }

    @Override
    public String toString()
    {
        return "NetworkNamespace{" + name + (closed ? ", closed" : "") + "}";
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("namespace " + name + " is closed");
        }
    }

    private static synchronized void installShutdownHook()
    {
        if (hookInstalled)
        {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            for (final String name : LIVE)
            {
                run(List.of(ipCommand(), "netns", "del", name));
            }
        }, "netns-cleanup"));
    }

    /** The ip command of iproute2. */
    public static String ipCommand()
    {
        for (final String candidate : new String[] {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"})
        {
            if (Files.isExecutable(Path.of(candidate)))
            {
                return candidate;
            }
        }
        return "ip";
    }

    /** Runs {@code command} with a 30 s limit; its output is stdout and stderr merged. */
    static CommandResult run(final List<String> command)
    {
        return run(command, COMMAND_TIMEOUT_MS);
    }

    /** Runs {@code command}, killing it after {@code timeoutMs}; its output is stdout and stderr merged. */
    static CommandResult run(final List<String> command, final long timeoutMs)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return new CommandResult(command, 127, "cannot run " + command.get(0) + ": " + ex.getMessage());
        }
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final Thread reader = new Thread(() ->
        {
            try (InputStream in = process.getInputStream())
            {
                in.transferTo(output);
            }
            catch (final IOException ignored)
            {
                // The process went away; what was read so far is the output.
            }
        }, "netns-command-output");
        reader.setDaemon(true);
        reader.start();
        try
        {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                reader.join(1000);
                return new CommandResult(command, 124, "timed out after " + timeoutMs + " ms: " + text(output));
            }
            reader.join(5000);
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CommandResult(command, 130, "interrupted");
        }
        return new CommandResult(command, process.exitValue(), text(output));
    }

    private static String text(final ByteArrayOutputStream output)
    {
        synchronized (output)
        {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
