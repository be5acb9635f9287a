package io.conntest.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5952's canonical IPv6 text (its own examples), IPv4 as it is, and the bracketed host:port of §6. */
class HostTextTest
{
    @ParameterizedTest
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:DB8:AAAA:0:0:0:0:1, 2001:db8:aaaa::1",
        "fe80:0:0:0:0:0:0:1, fe80::1",
        "1:0:0:0:0:0:0:0, 1::",
        "::ffff:192.0.2.1, 192.0.2.1",
        "192.0.2.1, 192.0.2.1",
    })
    void canonicalText(final String literal, final String expected) throws Exception
    {
        assertEquals(expected, HostText.of(InetAddress.getByName(literal)));
    }

    @ParameterizedTest
    @CsvSource({"::1, 7000, [::1]:7000", "10.0.0.1, 7000, 10.0.0.1:7000", "host.example, 1, host.example:1"})
    void withPort(final String host, final int port, final String expected)
    {
        assertEquals(expected, HostText.withPort(host, port));
    }

    @org.junit.jupiter.api.Test
    void anIpv4MappedAddressKeepsItsDottedQuad()
    {
        final byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xFF, (byte)0xFF, (byte)192, 0, 2, 1};
        assertEquals("::ffff:192.0.2.1", HostText.ipv6(mapped));
    }

    @org.junit.jupiter.api.Test
    void theFamilyOfAHost()
    {
        assertEquals("ipv6", HostText.family("::1"));
        assertEquals("ipv4", HostText.family("10.0.0.1"));
        assertEquals(null, HostText.family("peer.example"));
        assertEquals(null, HostText.family(null));
    }
}
