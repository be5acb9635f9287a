package io.conntest.core.probe;

import java.util.BitSet;
import java.util.Objects;

/**
 * A set of (protocol, port) probe targets in nmap's {@code -p} syntax, immutable once parsed.
 *
 * <p>Grammar (nmap's, without service names and {@code [..]} brackets): a comma-separated list of entries; an entry
 * is a port {@code 80}, a range {@code 1000-2000}, an open range {@code -1024} (from 1) or {@code 60000-} (to
 * 65535), or {@code -} alone for every port. An entry may be prefixed with {@code T:} or {@code U:}
 * (case-insensitive); the prefix applies to that entry and every following one until the next prefix, so
 * {@code T:22,80,U:53,161} is TCP 22 and 80, UDP 53 and 161. Entries before any prefix use the default protocol
 * (TCP unless given). Ports run from 1 to 65535; a range must not run backwards; duplicates collapse.
 *
 * <p>Held as one bit per port and protocol (16 KiB in all), so even {@code T:-,U:-} (131,070 probes) is cheap and
 * iteration builds no list. Iteration order: TCP ports ascending, then UDP ports ascending.
 */
public final class PortSpec
{
    /** Highest port number. */
    public static final int MAX_PORT = 65535;
    /** Every TCP and every UDP port: the most probes a spec can select. */
    public static final int MAX_PROBES = 2 * MAX_PORT;

    private final BitSet tcp;
    private final BitSet udp;
    private final int tcpCount;
    private final int udpCount;

    private PortSpec(final BitSet tcp, final BitSet udp)
    {
        this.tcp = tcp;
        this.udp = udp;
        this.tcpCount = tcp.cardinality();
        this.udpCount = udp.cardinality();
    }

    /** Parses {@code spec} with TCP for entries without a prefix. */
    public static PortSpec parse(final String spec)
    {
        return parse(spec, ProbeProtocol.TCP, MAX_PROBES);
    }

    /** Parses {@code spec} with {@code defaultProtocol} for entries before the first {@code T:}/{@code U:}. */
    public static PortSpec parse(final String spec, final ProbeProtocol defaultProtocol)
    {
        return parse(spec, defaultProtocol, MAX_PROBES);
    }

    /**
     * Parses {@code spec}.
     *
     * @param spec            the port list, e.g. {@code 22,80,U:53}
     * @param defaultProtocol protocol of entries before the first prefix
     * @param maxProbes       the most (protocol, port) pairs allowed, 1 to {@link #MAX_PROBES}
     * @throws IllegalArgumentException naming the bad entry and why, or the count when above {@code maxProbes}
     */
    public static PortSpec parse(final String spec, final ProbeProtocol defaultProtocol, final int maxProbes)
    {
        Objects.requireNonNull(defaultProtocol, "defaultProtocol");
        if (maxProbes < 1 || maxProbes > MAX_PROBES)
        {
            throw new IllegalArgumentException("maxProbes " + maxProbes + " out of range 1-" + MAX_PROBES);
        }
        if (spec == null || spec.isBlank())
        {
            throw new IllegalArgumentException("empty port specification");
        }
        final BitSet tcp = new BitSet(MAX_PORT + 1);
        final BitSet udp = new BitSet(MAX_PORT + 1);
        ProbeProtocol protocol = defaultProtocol;
        for (final String rawEntry : spec.split(",", -1))
        {
            final String entry = rawEntry.strip();
            if (entry.isEmpty())
            {
                throw new IllegalArgumentException("empty entry in port specification '" + spec + "'");
            }
            String range = entry;
            if (entry.length() >= 2 && entry.charAt(1) == ':')
            {
                protocol = prefixProtocol(entry);
                range = entry.substring(2).strip();
                if (range.isEmpty())
                {
                    throw bad(entry, "no port after the protocol prefix");
                }
            }
            addRange(protocol == ProbeProtocol.TCP ? tcp : udp, entry, range);
        }
        final PortSpec parsed = new PortSpec(tcp, udp);
        if (parsed.count() > maxProbes)
        {
            throw new IllegalArgumentException("port specification '" + spec + "' selects " + parsed.count()
                + " probes, more than the limit of " + maxProbes);
        }
        return parsed;
    }

    private static ProbeProtocol prefixProtocol(final String entry)
    {
        switch (Character.toUpperCase(entry.charAt(0)))
        {
            case 'T':
                return ProbeProtocol.TCP;
            case 'U':
                return ProbeProtocol.UDP;
            case 'S':
                throw bad(entry, "SCTP (S:) is not supported, only T: and U:");
            default:
                throw bad(entry, "unknown protocol prefix '" + entry.substring(0, 2) + "', expected T: or U:");
        }
    }

    private static void addRange(final BitSet ports, final String entry, final String range)
    {
        final int dash = range.indexOf('-');
        final int low;
        final int high;
        if (dash < 0)
        {
            low = parsePort(entry, range);
            high = low;
        }
        else
        {
            if (range.indexOf('-', dash + 1) >= 0)
            {
                throw bad(entry, "more than one '-'");
            }
            final String lowText = range.substring(0, dash).strip();
            final String highText = range.substring(dash + 1).strip();
            low = lowText.isEmpty() ? 1 : parsePort(entry, lowText);
            high = highText.isEmpty() ? MAX_PORT : parsePort(entry, highText);
            if (low > high)
            {
                throw bad(entry, "range runs backwards (" + low + " > " + high + ")");
            }
        }
        ports.set(low, high + 1);
    }

    private static int parsePort(final String entry, final String text)
    {
        if (text.length() > 5)
        {
            throw text.chars().allMatch(PortSpec::isAsciiDigit) ?
                bad(entry, "port " + text + " out of range 1-" + MAX_PORT) :
                bad(entry, "'" + text + "' is not a port number");
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!isAsciiDigit(c))
            {
                throw bad(entry, "'" + text + "' is not a port number");
            }
            value = value * 10 + (c - '0');
        }
        if (value < 1 || value > MAX_PORT)
        {
            throw bad(entry, "port " + value + " out of range 1-" + MAX_PORT);
        }
        return value;
    }

    private static boolean isAsciiDigit(final int c)
    {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException bad(final String entry, final String why)
    {
        return new IllegalArgumentException("bad port entry '" + entry + "': " + why);
    }

    /** Number of (protocol, port) probes selected. */
    public int count()
    {
        return tcpCount + udpCount;
    }

    /** Number of ports selected for {@code protocol}. */
    public int count(final ProbeProtocol protocol)
    {
        return protocol == ProbeProtocol.TCP ? tcpCount : udpCount;
    }

    /** Whether {@code port} is selected for {@code protocol}. */
    public boolean contains(final ProbeProtocol protocol, final int port)
    {
        return port >= 1 && port <= MAX_PORT && bits(protocol).get(port);
    }

    /** The first selected port of {@code protocol} at or above {@code fromPort}, or -1 when none. */
    public int nextPort(final ProbeProtocol protocol, final int fromPort)
    {
        final int next = bits(protocol).nextSetBit(Math.max(1, fromPort));
        return next > MAX_PORT ? -1 : next;
    }

    /** A fresh cursor over every target, TCP first, each port ascending; allocates nothing while advancing. */
    public Cursor cursor()
    {
        return new Cursor(this);
    }

    private BitSet bits(final ProbeProtocol protocol)
    {
        return protocol == ProbeProtocol.TCP ? tcp : udp;
    }

    /** The canonical nmap form: ranges merged, {@code T:} and {@code U:} sections, e.g. {@code T:22,80-81,U:53}. */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        appendSection(text, "T:", tcp);
        appendSection(text, "U:", udp);
        return text.toString();
    }

    private static void appendSection(final StringBuilder text, final String prefix, final BitSet ports)
    {
        int low = ports.nextSetBit(1);
        if (low < 0)
        {
            return;
        }
        if (text.length() > 0)
        {
            text.append(',');
        }
        text.append(prefix);
        boolean first = true;
        while (low >= 0)
        {
            final int high = ports.nextClearBit(low) - 1;
            if (!first)
            {
                text.append(',');
            }
            first = false;
            text.append(low);
            if (high > low)
            {
                text.append('-').append(high);
            }
            low = ports.nextSetBit(high + 1);
        }
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof PortSpec && ((PortSpec)other).tcp.equals(tcp) && ((PortSpec)other).udp.equals(udp);
    }

    @Override
    public int hashCode()
    {
        return 31 * tcp.hashCode() + udp.hashCode();
    }

    /**
     * Walks the targets of a {@link PortSpec} without allocating: call {@link #next()} and, while it returns true,
     * read {@link #protocol()} and {@link #port()}. Not thread-safe.
     */
    public static final class Cursor
    {
        private final PortSpec spec;
        private ProbeProtocol protocol = ProbeProtocol.TCP;
        private int port;
        private boolean exhausted;

        private Cursor(final PortSpec spec)
        {
            this.spec = spec;
        }

        /** Moves to the next target; false when there is none left. */
        public boolean next()
        {
            if (exhausted)
            {
                return false;
            }
            int candidate = spec.nextPort(protocol, port + 1);
            if (candidate < 0 && protocol == ProbeProtocol.TCP)
            {
                protocol = ProbeProtocol.UDP;
                candidate = spec.nextPort(protocol, 1);
            }
            if (candidate < 0)
            {
                exhausted = true;
                port = 0;
                return false;
            }
            port = candidate;
            return true;
        }

        /** Counts (and skips) every target not yet returned. */
        public int skipRemaining()
        {
            int skipped = 0;
            while (next())
            {
                skipped++;
            }
            return skipped;
        }

        /** Protocol of the current target. */
        public ProbeProtocol protocol()
        {
            return protocol;
        }

        /** Port of the current target, 0 before the first {@link #next()} and after the last. */
        public int port()
        {
            return port;
        }
    }
}
