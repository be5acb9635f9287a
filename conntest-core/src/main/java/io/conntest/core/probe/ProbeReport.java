package io.conntest.core.probe;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * The summary of a finished scan: how many ports ended in each {@link PortState}, how many were never probed, how
 * long it took and why it ended. {@link #exitCode()} suggests a process exit code as scanners do: 0 when any port
 * is open, 1 when nothing was found open.
 */
public final class ProbeReport
{
    /** Why a scan ended. */
    public enum Completion
    {
        /** Every selected port was probed. */
        COMPLETE,
        /** The overall deadline passed first; the rest were not probed. */
        DEADLINE,
        /** {@link ProbeRunner#cancel()} was called. */
        CANCELLED
    }

    private final InetAddress host;
    private final int[] counts;
    private final int notProbed;
    private final long elapsedNs;
    private final Completion completion;

    /**
     * @param host       the host scanned
     * @param counts     results per state, indexed by {@link PortState#ordinal()} (copied)
     * @param notProbed  selected ports that got no result (deadline or cancel)
     * @param elapsedNs  wall time of the scan
     * @param completion why it ended
     */
    public ProbeReport(final InetAddress host, final int[] counts, final int notProbed, final long elapsedNs,
        final Completion completion)
    {
        this.host = Objects.requireNonNull(host, "host");
        this.completion = Objects.requireNonNull(completion, "completion");
        if (counts.length != PortState.values().length)
        {
            throw new IllegalArgumentException("counts needs one entry per PortState, got " + counts.length);
        }
        for (final int count : counts)
        {
            if (count < 0)
            {
                throw new IllegalArgumentException("negative count " + count);
            }
        }
        if (notProbed < 0 || elapsedNs < 0)
        {
            throw new IllegalArgumentException("notProbed and elapsedNs must not be negative");
        }
        this.counts = counts.clone();
        this.notProbed = notProbed;
        this.elapsedNs = elapsedNs;
    }

    /** The host scanned. */
    public InetAddress host()
    {
        return host;
    }

    /** How many ports ended in {@code state}. */
    public int count(final PortState state)
    {
        return counts[state.ordinal()];
    }

    /** How many results were delivered (every state). */
    public int probed()
    {
        int total = 0;
        for (final int count : counts)
        {
            total += count;
        }
        return total;
    }

    /** Selected ports that got no result because the scan stopped early. */
    public int notProbed()
    {
        return notProbed;
    }

    /** Wall time of the scan in nanoseconds. */
    public long elapsedNs()
    {
        return elapsedNs;
    }

    /** Why the scan ended. */
    public Completion completion()
    {
        return completion;
    }

    /** True when at least one port is {@link PortState#OPEN}. */
    public boolean anyOpen()
    {
        return count(PortState.OPEN) > 0;
    }

    /** The exit code a command should end with: 0 when a port is open, 1 when none is (nothing found). */
    public int exitCode()
    {
        return anyOpen() ? 0 : 1;
    }

    /** e.g. {@code 127.0.0.1: 3 ports probed in 0.012 s: 1 open, 1 closed, 1 filtered}. */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(96);
        text.append(io.conntest.core.transport.HostText.of(host)).append(": ").append(probed()).append(probed() == 1 ? " port" : " ports")
            .append(" probed in ").append(String.format(Locale.ROOT, "%.3f s", elapsedNs / 1e9));
        String separator = ": ";
        for (final PortState state : PortState.values())
        {
            if (counts[state.ordinal()] > 0)
            {
                text.append(separator).append(counts[state.ordinal()]).append(' ').append(state);
                separator = ", ";
            }
        }
        if (notProbed > 0)
        {
            text.append("; ").append(notProbed).append(" not probed");
        }
        if (completion != Completion.COMPLETE)
        {
            text.append(" (").append(completion.name().toLowerCase(Locale.ROOT)).append(')');
        }
        return text.toString();
    }
}
