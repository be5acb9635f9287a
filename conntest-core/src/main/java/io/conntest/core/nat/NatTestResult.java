package io.conntest.core.nat;

import java.util.Locale;

/**
 * What one NAT test found towards one peer (RFC 4787 terms). Unknown verdicts are null, unknown figures NaN.
 *
 * @param peer             {@code host:port} of the peer tested
 * @param error            why the test could not run or stopped (no answer, no datagram sockets), else null
 * @param seenAs           {@code addr:port} the peer saw the first probe socket as
 * @param localPort        that socket's own port
 * @param mapping          {@link #ENDPOINT_INDEPENDENT} or {@link #ADDRESS_AND_PORT_DEPENDENT} (RFC 4787 &sect;4.1);
 *                         with one peer address, address-dependent mapping cannot be told from the latter
 * @param portPreserved    whether the mapping kept the local port (RFC 4787 &sect;4.1, port preservation)
 * @param filtering        {@link #EIF_OR_ADF} (an answer from the peer's other port arrived) or
 *                         {@link #ADDRESS_AND_PORT_DEPENDENT} (RFC 4787 &sect;5)
 * @param lifetimeMinS     longest idle gap the binding survived, s (RFC 4787 &sect;4.3)
 * @param lifetimeMaxS     shortest idle gap it did not survive, s; NaN when none up to the test's maximum did
 * @param keepaliveS       a keep-alive interval that holds the binding (4/5 of the minimum), s
 * @param lifetimeLimitS   the longest gap the test tried
 * @param hairpinning      whether a datagram from a second local socket to the first one's mapped address came back
 *                         to the first (RFC 4787 &sect;6, tested as RFC 5780 &sect;4.5); null when not tested
 * @param hairpinSource    the source that datagram arrived with ({@code addr:port}; RFC 4787 REQ-9 wants the second
 *                         socket's mapped address), or null
 */
public record NatTestResult(String peer, String error, String seenAs, int localPort, String mapping,
    Boolean portPreserved, String filtering, double lifetimeMinS, double lifetimeMaxS, double keepaliveS,
    double lifetimeLimitS, Boolean hairpinning, String hairpinSource)
{
    /** A result without the hairpinning test. */
    public NatTestResult(final String peer, final String error, final String seenAs, final int localPort,
        final String mapping, final Boolean portPreserved, final String filtering, final double lifetimeMinS,
        final double lifetimeMaxS, final double keepaliveS, final double lifetimeLimitS)
    {
        this(peer, error, seenAs, localPort, mapping, portPreserved, filtering, lifetimeMinS, lifetimeMaxS,
            keepaliveS, lifetimeLimitS, null, null);
    }

    public static final String ENDPOINT_INDEPENDENT = "endpoint-independent";
    public static final String ADDRESS_AND_PORT_DEPENDENT = "address-and-port-dependent";
    public static final String EIF_OR_ADF = "endpoint-independent or address-dependent";

    /** A test that could not give any verdict. */
    public static NatTestResult failed(final String peer, final String error)
    {
        return new NatTestResult(peer, error, null, 0, null, null, null, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);
    }

    /** One line for a person: every verdict, with what it cannot tell apart. */
    public String describe()
    {
        final StringBuilder b = new StringBuilder("nat test of ").append(peer).append(": ");
        if (seenAs == null)
        {
            return b.append("no verdict (").append(error).append(')').toString();
        }
        b.append("seen as ").append(seenAs).append(" from local port ").append(localPort);
        b.append("; mapping ").append(mapping == null ? "unknown" : mapping);
        if (ENDPOINT_INDEPENDENT.equals(mapping))
        {
            // two ports of one address saw the same mapping: an address-dependent one would too
            b.append(" (or address-dependent: the peer has one address)");
        }
        if (portPreserved != null)
        {
            b.append(portPreserved ? ", port preserved" : ", port not preserved");
        }
        b.append("; filtering ").append(filtering == null ? "unknown" : filtering);
        if (EIF_OR_ADF.equals(filtering))
        {
            b.append(" (one peer address)");
        }
        if (hairpinning != null)
        {
            b.append(hairpinning ? "; hairpinning yes (arrived from " + hairpinSource + ")" : "; no hairpinning");
        }
        b.append("; binding lifetime ");
        if (Double.isNaN(lifetimeMinS))
        {
            b.append("unknown");
        }
        else if (Double.isNaN(lifetimeMaxS))
        {
            b.append("over ").append(seconds(lifetimeMinS)).append(" s (the longest gap tried)");
        }
        else
        {
            b.append(seconds(lifetimeMinS)).append(" to ").append(seconds(lifetimeMaxS)).append(" s");
        }
        if (!Double.isNaN(keepaliveS))
        {
            b.append(", keep-alive every ").append(seconds(keepaliveS)).append(" s holds it");
        }
        if (error != null)
        {
            b.append(" (").append(error).append(')');
        }
        return b.toString();
    }

    static String seconds(final double s)
    {
        return String.format(Locale.ROOT, s >= 10 ? "%.1f" : "%.2f", s);
    }
}
