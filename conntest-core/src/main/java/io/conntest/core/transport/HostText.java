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

    /** RFC 5952 §4 for 16 bytes. */
    static String ipv6(final byte[] a)
    {
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++)
        {
            groups[i] = (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
            && groups[5] == 0xFFFF)
        {
            // RFC 5952 §5: an IPv4-mapped address keeps its dotted quad
            return "::ffff:" + (a[12] & 0xFF) + "." + (a[13] & 0xFF) + "." + (a[14] & 0xFF) + "." + (a[15] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // §4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; )
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }
            if (j - i > bestLength) // §4.2.3: the longest run, the first when equal
            {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':')
            {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
