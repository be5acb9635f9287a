package io.conntest.core.nat;

/**
 * What one path MTU test found towards one peer. Sizes are IPv4 packets (header included), 0 when unknown.
 *
 * @param peer           {@code host:port} of the peer tested
 * @param error          why the test could not run or give a size (no answer, no probing on this transport), else null
 * @param pathMtu        the largest packet that crossed the path whole, DF set, confirmed by the peer (RFC 8899)
 * @param atLeast        the largest size probed ({@link PathMtuProber#MAX_PLPMTU}) crossed: the path may carry more
 * @param localMtu       what this host believed before probing: the interface's MTU (stack) or the kernel's route
 *                       MTU towards the peer
 * @param icmpMtu        the smallest next-hop MTU of the ICMP "fragmentation needed" messages heard (RFC 1191), 0 none
 * @param icmpFrom       the router that sent it, or null
 * @param icmpBasedMtu   what ICMP-based discovery concluded after the probes (RFC 1191): the kernel's route MTU,
 *                       or the local MTU lowered by the messages heard
 * @param probes         probes sent
 * @param lost           probes that got no answer
 * @param durationMs     how long the search took
 */
public record PathMtuResult(String peer, String error, int pathMtu, boolean atLeast, int localMtu, int icmpMtu,
    String icmpFrom, int icmpBasedMtu, int probes, int lost, long durationMs)
{
    /** A test that could not give a size. */
    public static PathMtuResult failed(final String peer, final String error)
    {
        return new PathMtuResult(peer, error, 0, false, 0, 0, null, 0, 0, 0, 0);
    }

    /**
     * Larger packets vanish and ICMP-based discovery does not know: it still believes a larger MTU than the path
     * carries (RFC 2923 &sect;2.1, a PMTUD black hole: the ICMP is filtered or never sent).
     */
    public boolean blackHole()
    {
        return pathMtu > 0 && !atLeast && icmpBasedMtu > pathMtu;
    }

    /** The local interface (a TAP, a bridge) claims a larger MTU than the path carries. */
    public boolean localAbovePath()
    {
        return pathMtu > 0 && !atLeast && localMtu > pathMtu;
    }

    /** One line for a person. */
    public String describe()
    {
        final StringBuilder b = new StringBuilder("path mtu to ").append(peer).append(": ");
        if (pathMtu == 0)
        {
            return b.append("unknown (").append(error).append(')').toString();
        }
        b.append(atLeast ? "at least " : "").append(pathMtu).append(" bytes (probed, DF set)");
        if (localMtu > 0)
        {
            b.append("; local mtu ").append(localMtu);
        }
        if (icmpMtu > 0)
        {
            b.append("; icmp said ").append(icmpMtu);
            if (icmpFrom != null)
            {
                b.append(" (from ").append(icmpFrom).append(')');
            }
        }
        else if (localAbovePath())
        {
            b.append("; no icmp fragmentation-needed heard");
        }
        if (blackHole())
        {
            b.append("; BLACK HOLE: icmp-based discovery would use ").append(icmpBasedMtu);
        }
        else if (localAbovePath())
        {
            b.append("; the local mtu is above the path's");
        }
        b.append("; ").append(probes).append(" probes, ").append(lost).append(" lost, ").append(durationMs)
            .append(" ms");
        if (error != null)
        {
            b.append(" (").append(error).append(')');
        }
        return b.toString();
    }
}
