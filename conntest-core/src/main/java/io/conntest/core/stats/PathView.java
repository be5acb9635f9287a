package io.conntest.core.stats;

/**
 * What the peer saw of this end's packets on one connection (its PEER_SEEN frames), compared with what this end
 * sent: the validation of a bridge or NAT from both ends. Unknown numbers are -1, an unknown verdict null.
 *
 * @param seenAsHost address this end's packets reach the peer from, null until the peer said
 * @param seenAsPort their port
 * @param translated whether that is not the address and port this end sent from (a NAT rewrote them); null when
 *                   unknown (not told yet, or this end does not know its own address: a wildcard listener)
 * @param hops       routers on the way (the TTL this end sent with minus the one the peer saw)
 * @param dscpSent   the DSCP this end sends with
 * @param dscpSeen   the DSCP the peer saw (a different one was rewritten on the way)
 * @param ecnSeen    the ECN bits the peer saw
 */
public record PathView(String seenAsHost, int seenAsPort, Boolean translated, int hops, int dscpSent, int dscpSeen,
    int ecnSeen)
{
    public static final PathView UNKNOWN = new PathView(null, 0, null, -1, -1, -1, -1);

    /** The view from the peer's report ({@code seenTtl}/{@code seenTos} -1 when not told) and what this end sent. */
    public static PathView of(final String seenAsHost, final int seenAsPort, final int seenTtl, final int seenTos,
        final String localHost, final int localPort, final int sentTtl, final int sentTos)
    {
        if (seenAsHost == null)
        {
            return UNKNOWN;
        }
        final int verdict = translated(seenAsHost, seenAsPort, localHost, localPort);
        final Boolean translated = verdict < 0 ? null : verdict == 1;
        final int hops = seenTtl >= 0 && sentTtl > 0 && seenTtl <= sentTtl ? sentTtl - seenTtl : -1;
        return new PathView(seenAsHost, seenAsPort, translated, hops, sentTos < 0 ? -1 : sentTos >>> 2,
            seenTos < 0 ? -1 : seenTos >>> 2, seenTos < 0 ? -1 : seenTos & 0x3);
    }

    /**
     * Whether the peer sees this end at another address or port than it sent from: 1 translated, 0 not, -1 unknown
     * (not told yet; or a listener on a wildcard address, which does not know its own, seen at its own port).
     * Allocates nothing.
     */
    public static int translated(final String seenAsHost, final int seenAsPort, final String localHost,
        final int localPort)
    {
        if (seenAsHost == null)
        {
            return -1;
        }
        if (isWildcard(localHost))
        {
            return seenAsPort != localPort ? 1 : -1;
        }
        return seenAsHost.equals(localHost) && seenAsPort == localPort
            || seenAsPort == localPort && sameMappedAddress(seenAsHost, localHost) ? 0 : 1;
    }

    /** The DSCP arrived other than it was sent: a router or middlebox rewrote (or bleached) it. */
    public boolean dscpRewritten()
    {
        return dscpSent >= 0 && dscpSeen >= 0 && dscpSent != dscpSeen;
    }

    /** {@code 10.9.0.1:40312 (translated), 1 hop, dscp 0 -> 8 (rewritten), ecn 0}; null when nothing is known. */
    public String describe()
    {
        if (seenAsHost == null)
        {
            return null;
        }
        final StringBuilder b = new StringBuilder("seen as ").append(io.conntest.core.transport.HostText.withPort(seenAsHost, seenAsPort));
        b.append(translated == null ? "" : translated ? " (translated)" : " (not translated)");
        if (hops >= 0)
        {
            b.append(", ").append(hops).append(hops == 1 ? " hop" : " hops");
        }
        if (dscpSeen >= 0)
        {
            b.append(", dscp ").append(dscpSent < 0 ? "?" : Integer.toString(dscpSent)).append(" -> ").append(dscpSeen)
                .append(dscpRewritten() ? " (rewritten)" : "");
            b.append(", ecn ").append(ecnSeen);
        }
        return b.toString();
    }

    private static boolean isWildcard(final String host)
    {
        return host == null || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** An IPv4 address and its IPv4-mapped IPv6 form ({@code ::ffff:10.0.0.1}) are one address. */
    private static boolean sameMappedAddress(final String a, final String b)
    {
        return a.startsWith("::ffff:") && a.regionMatches(7, b, 0, b.length()) && a.length() == 7 + b.length()
            || b.startsWith("::ffff:") && b.regionMatches(7, a, 0, a.length()) && b.length() == 7 + a.length();
    }
}
