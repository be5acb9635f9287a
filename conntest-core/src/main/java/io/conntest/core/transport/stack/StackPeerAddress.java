package io.conntest.core.transport.stack;

import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv6Address;

/**
 * A host as the tap stack takes it: a dotted IPv4 address or an IPv6 literal (with or without brackets, RFC 3986
 * §3.2.2), parsed once per connection attempt (the stack has no resolver). An IPv4-mapped IPv6 literal
 * ({@code ::ffff:192.0.2.1}, RFC 4291 §2.5.5.2) is the IPv4 address it maps, as a dual-stack kernel socket takes it.
 *
 * @param ipv6 which family.
 * @param v4   the IPv4 address (0 for IPv6).
 * @param hi   the IPv6 address's high 64 bits (0 for IPv4).
 * @param lo   its low 64 bits.
 */
record StackPeerAddress(boolean ipv6, int v4, long hi, long lo)
{
    /** The unspecified IPv4 address: a listener's "any". */
    static final StackPeerAddress ANY = new StackPeerAddress(false, Ipv4Address.ANY, 0, 0);

    /**
     * Parses {@code text}; null or empty is {@link #ANY}.
     *
     * @throws IllegalArgumentException when it is neither family's literal (a name, a scope id, garbage).
     */
    static StackPeerAddress parse(final String text)
    {
        if (text == null || text.isEmpty())
        {
            return ANY;
        }
        String literal = text;
        if (literal.startsWith("[") && literal.endsWith("]"))
        {
            literal = literal.substring(1, literal.length() - 1);
        }
        if (literal.indexOf(':') < 0)
        {
            return new StackPeerAddress(false, Ipv4Address.parse(literal), 0, 0);
        }
        if (literal.indexOf('%') >= 0)
        {
            throw new IllegalArgumentException("'" + text + "': the tap stack has one interface, give no zone index");
        }
        final long[] a = Ipv6Address.parse(literal);
        if (a[0] == 0 && (a[1] >>> 32) == 0xFFFFL)
        {
            return new StackPeerAddress(false, (int)a[1], 0, 0);
        }
        return new StackPeerAddress(true, 0, a[0], a[1]);
    }

    /** Whether it is either family's unspecified address ({@code 0.0.0.0}, {@code ::}). */
    boolean isAny()
    {
        return ipv6 ? hi == 0 && lo == 0 : v4 == Ipv4Address.ANY;
    }

    /** RFC 5952 text for IPv6, dotted for IPv4, without brackets. */
    @Override
    public String toString()
    {
        return ipv6 ? Ipv6Address.format(hi, lo) : Ipv4Address.toString(v4);
    }
}
