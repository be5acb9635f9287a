package io.conntest.core.transport;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses as conntest prints them: IPv4 dotted, IPv6 in the RFC 5952 form ({@code ::1}, {@code 2001:db8::1},
 * lower case, the longest run of two or more zero groups compressed, the first of equal runs; an IPv4-mapped address
 * as {@code ::ffff:192.0.2.1}), and with a port {@code 10.0.0.1:7000} or {@code [::1]:7000} (RFC 5952 §6), so an
 * IPv6 literal and its port never run together. The JDK's {@code getHostAddress()} gives {@code 0:0:0:0:0:0:0:1}.
 */
public final class HostText
{
    private HostText()
    {
    }

    /** The address in its canonical text form. */
    public static String of(final InetAddress address)
    {
        if (address instanceof Inet4Address || !(address instanceof Inet6Address))
        {
            return address.getHostAddress();
        }
        return ipv6(address.getAddress());
    }

    /** {@code host:port}, with the host in brackets when it is an IPv6 literal. */
    public static String withPort(final String host, final int port)
    {
        return (host != null && host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code ipv6} for an IPv6 literal, {@code ipv4} for a dotted quad, null for anything else (a name). */
    public static String family(final String host)
    {
        if (host == null)
        {
            return null;
        }
        if (isIpv6Literal(host))
        {
            return "ipv6";
        }
        return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") ? "ipv4" : null;
    }

    /** Whether {@code host} is written as an IPv6 literal (it holds a colon). */
    public static boolean isIpv6Literal(final String host)
    {
        return host != null && host.indexOf(':') >= 0;
    }

    /** RFC 5952 §4 for 16 bytes (the stack's formatter: one implementation of the rules). */
    static String ipv6(final byte[] a)
    {
        return io.conntest.stack.wire.Ipv6Address.format(a);
    }
}
