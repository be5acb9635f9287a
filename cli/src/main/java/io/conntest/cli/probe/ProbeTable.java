package io.conntest.cli.probe;

import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeProtocol;
import io.conntest.core.probe.ProbeResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * nmap's port table from a scan's results: sorted by protocol (TCP first) and port; a state other than {@code open}
 * and {@code unknown} with more than {@value #MAX_PER_STATE} ports collapsed into one {@code Not shown:} line, per
 * protocol and reason ({@code Not shown: 1022 closed tcp ports (conn-refused)}), as nmap's
 * {@code PortList::isIgnoredState} does; {@code --open} hides every state but {@code open} and {@code open|filtered};
 * {@code --reason} adds the REASON and ATTEMPTS columns. Results arrive in any order; {@link #lines} renders them.
 */
public final class ProbeTable
{
    /** nmap's threshold: a state with more ports than this is not listed port by port. */
    public static final int MAX_PER_STATE = 25;

    private static final Comparator<ProbeResult> ORDER = Comparator
        .comparing((ProbeResult r) -> r.protocol() == ProbeProtocol.TCP ? 0 : 1).thenComparingInt(ProbeResult::port);

    private final boolean reasons;
    private final boolean openOnly;
    private final boolean collapse;
    private final List<ProbeResult> results = new ArrayList<>();

    /**
     * @param reasons  show the REASON and ATTEMPTS columns ({@code --reason})
     * @param openOnly list only open and open|filtered ports ({@code --open})
     * @param collapse collapse crowded states ({@code false} with {@code --all-ports})
     */
    public ProbeTable(final boolean reasons, final boolean openOnly, final boolean collapse)
    {
        this.reasons = reasons;
        this.openOnly = openOnly;
        this.collapse = collapse;
    }

    /** Adds one result. */
    public void add(final ProbeResult result)
    {
        results.add(result);
    }

    /** Whether {@code state} is hidden, given the count of ports in it. */
    private boolean hidden(final PortState state, final int count)
    {
        if (state == PortState.OPEN || state == PortState.UNKNOWN)
        {
            return false;
        }
        if (openOnly)
        {
            return state != PortState.OPEN_FILTERED;
        }
        return collapse && count > MAX_PER_STATE;
    }

    /**
     * The table's lines: {@code Not shown:} when a state is hidden, then the header and one line per shown port; or
     * {@code All N scanned ports on HOST are in ignored states.} when none is shown.
     */
    public List<String> lines(final String host)
    {
        final Map<PortState, Integer> perState = new EnumMap<>(PortState.class);
        for (final ProbeResult r : results)
        {
            perState.merge(r.state(), 1, Integer::sum);
        }
        final List<ProbeResult> sorted = new ArrayList<>(results);
        sorted.sort(ORDER);
        final List<ProbeResult> shown = new ArrayList<>();
        // state, protocol and reason of each hidden group, in order of first appearance, then sorted by count
        final Map<String, Integer> hiddenGroups = new LinkedHashMap<>();
        for (final ProbeResult r : sorted)
        {
            if (hidden(r.state(), perState.get(r.state())))
            {
                hiddenGroups.merge(r.state() + " " + r.protocol() + "\t(" + r.reason()
                    + (r.peerArrival() == null ? "" : ", peer: " + r.peerArrival().word()) + ")", 1, Integer::sum);
            }
            else
            {
                shown.add(r);
            }
        }
        final List<String> lines = new ArrayList<>();
        if (!hiddenGroups.isEmpty())
        {
            if (shown.isEmpty())
            {
                lines.add("All " + results.size() + " scanned ports on " + host + " are in ignored states.");
            }
            final List<Map.Entry<String, Integer>> groups = new ArrayList<>(hiddenGroups.entrySet());
            groups.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
            final StringBuilder line = new StringBuilder("Not shown: ");
            for (int i = 0; i < groups.size(); i++)
            {
                final int count = groups.get(i).getValue();
                line.append(i == 0 ? "" : ", ").append(count).append(' ')
                    .append(groups.get(i).getKey().replace("\t", count == 1 ? " port " : " ports "));
            }
            lines.add(line.toString());
        }
        if (shown.isEmpty())
        {
            return lines;
        }
        lines.add(reasons ? String.format(Locale.ROOT, "%-11s %-14s %-17s %10s  %s", "PORT", "STATE", "REASON", "RTT",
            "ATTEMPTS") : String.format(Locale.ROOT, "%-11s %-14s %10s", "PORT", "STATE", "RTT"));
        for (final ProbeResult r : shown)
        {
            final String port = r.port() + "/" + r.protocol();
            final String rtt = rtt(r);
            final String detail = (r.detail() == null ? "" : "  (" + r.detail() + ")")
                + (r.peerArrival() == null ? "" : "  peer: " + r.peerArrival().describe());
            lines.add(reasons ? String.format(Locale.ROOT, "%-11s %-14s %-17s %10s  %d%s", port, r.state(), r.reason(),
                rtt, r.attempts(), detail) : String.format(Locale.ROOT, "%-11s %-14s %10s%s", port, r.state(), rtt,
                detail));
        }
        return lines;
    }

    /** The RTT column: milliseconds with three decimals, or {@code -} when nothing answered. */
    static String rtt(final ProbeResult r)
    {
        return r.hasRtt() ? String.format(Locale.ROOT, "%.3fms", r.rttNs() / 1e6) : "-";
    }
}
