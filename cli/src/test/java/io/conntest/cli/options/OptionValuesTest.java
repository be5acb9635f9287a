package io.conntest.cli.options;

import io.conntest.core.engine.ListenSpec;
import io.conntest.core.transport.TransportProtocol;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionValuesTest
{
    @Test
    void parsesIpv4WithPrefix()
    {
        final Ipv4Cidr cidr = Ipv4Cidr.parse("10.0.0.2/24");
        assertEquals(0x0A000002, cidr.address());
        assertEquals(24, cidr.prefixLength());
        assertEquals("10.0.0.2/24", cidr.toString());
        assertTrue(cidr.contains(Ipv4Cidr.parseAddress("10.0.0.254")));
        assertFalse(cidr.contains(Ipv4Cidr.parseAddress("10.0.1.1")));
        assertEquals(0xFFFFFFFF, Ipv4Cidr.parseAddress("255.255.255.255"));
        for (final String bad : new String[] {"10.0.0.2", "10.0.0.2/33", "10.0.0/24", "10.0.0.256/24", "a.b.c.d/8",
            "10.0.0.2/x", "10..0.2/24", "10.0.0.2/-1"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse(bad));
            assertTrue(ex.getMessage().contains("'"), ex.getMessage());
        }
    }

    @Test
    void parsesIpv6WithPrefix()
    {
        final Ipv6Cidr cidr = Ipv6Cidr.parse("FD00:C0:0::2/64");
        assertEquals(0xFD00_00C0_0000_0000L, cidr.hi());
        assertEquals(2, cidr.lo());
        assertEquals("fd00:c0::2/64", cidr.toString());
        assertTrue(cidr.contains(0xFD00_00C0_0000_0000L, 0xFFFF));
        assertFalse(cidr.contains(0xFD00_00C1_0000_0000L, 2));
        assertTrue(Ipv6Cidr.parse("fd00::1:2/112").contains(0xFD00_0000_0000_0000L, 0x1_FFFFL));
        assertFalse(Ipv6Cidr.parse("fd00::1:2/112").contains(0xFD00_0000_0000_0000L, 0x2_0002L));
        assertTrue(Ipv6Cidr.parse("2001:db8::9/128").contains(0x2001_0DB8_0000_0000L, 9));
        assertFalse(Ipv6Cidr.parse("2001:db8::9/128").contains(0x2001_0DB8_0000_0000L, 8));
        assertTrue(Ipv6Cidr.parse("2001:db8::9/1").contains(0x0001_0000_0000_0000L, 0));
        for (final String bad : new String[] {"fd00::2", "fd00::2/0", "fd00::2/129", "fd00::2/x", "fd00:::2/64",
            "fe80::2/64", "ff02::1/64", "::/64", "::1/128", "::ffff:10.0.0.2/96", "fd00::2%ct0/64", "10.0.0.2/24"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse(bad));
            assertTrue(ex.getMessage().contains("'"), ex.getMessage());
        }
        assertEquals(Ipv6Choice.AUTO, Ipv6Choice.parse("auto"));
        assertEquals(Ipv6Choice.OFF, Ipv6Choice.parse("OFF"));
        assertEquals("fd00::2/64", Ipv6Choice.parse("fd00::2/64").toString());
        assertThrows(IllegalArgumentException.class, () -> Ipv6Choice.parse("slaac"));
        assertEquals("fe80::1", Ipv6Gateway.parse("fe80::1").toString());
        for (final String bad : new String[] {"ff02::2", "::", "::1", "fe80::1%ct0", "10.0.0.1", "router"})
        {
            assertThrows(IllegalArgumentException.class, () -> Ipv6Gateway.parse(bad), bad);
        }
    }

    @Test
    void ipv6ValuesCombineAsLinuxAllowsAndNoFurther()
    {
        final Ipv6Cidr a = Ipv6Cidr.parse("fd00:c0::2/64");
        final Ipv6Settings both = Ipv6Settings.of(java.util.List.of(Ipv6Choice.AUTO, new Ipv6Choice(false, false, a)),
            Ipv6Gateway.parse("fd00:c0::1"));
        assertTrue(both.auto());
        assertEquals(java.util.List.of(a), both.addresses());
        assertTrue(both.addressesChange());
        assertFalse(Ipv6Settings.of(java.util.List.of(Ipv6Choice.OFF), null).addressesChange());
        assertEquals(Ipv6Settings.NONE, Ipv6Settings.of(null, null));
        final java.util.List<Ipv6Choice> eight = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++)
        {
            eight.add(Ipv6Choice.parse("fd00::" + i + "/64"));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ipv6Settings.of(eight, null)).getMessage()
            .contains("at most 7"));
        assertEquals(7, Ipv6Settings.of(eight.subList(0, 7), null).addresses().size());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ipv6Settings.of(
            java.util.List.of(new Ipv6Choice(false, false, a)), Ipv6Gateway.parse("fd00:c0::2"))).getMessage()
            .contains("own address"));
    }

    @Test
    void parsesMetricsAddresses()
    {
        assertEquals(new MetricsAddress("127.0.0.1", 9464), MetricsAddress.parse("127.0.0.1:9464"));
        assertEquals(new MetricsAddress("0.0.0.0", 1), MetricsAddress.parse("0.0.0.0:1"));
        assertEquals(new MetricsAddress("::1", 65535), MetricsAddress.parse("[::1]:65535"));
        assertEquals("[::1]:65535", MetricsAddress.parse("[::1]:65535").toString());
        for (final String bad : new String[] {"9464", ":9464", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:x", "localhost:9464", "::1:9464", "[::g]:9464", "[host]:9464", "10.0.0.256:80", "[]:80"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> MetricsAddress.parse(bad));
            assertTrue(ex.getMessage().contains("'" + bad + "'"), ex.getMessage());
        }
    }

    @Test
    void parsesMacAddresses()
    {
        assertEquals(0x02_00_5e_10_00_01L, Converters.unicastMac("02:00:5e:10:00:01"));
        assertEquals(0x02_00_5e_10_00_01L, Converters.unicastMac("02-00-5E-10-00-01"));
        assertEquals("02:00:5e:10:00:01", io.conntest.stack.wire.MacAddress.toString(0x02_00_5e_10_00_01L));
        assertThrows(IllegalArgumentException.class, () -> Converters.unicastMac("01:00:5e:00:00:01"), "multicast");
        assertThrows(IllegalArgumentException.class, () -> Converters.unicastMac("02:00:00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> Converters.unicastMac("02:00:00:00:00:zz"));
        assertThrows(IllegalArgumentException.class, () -> Converters.unicastMac("02:00:00:00:00:100"));
    }

    @Test
    void parsesListenSpecs()
    {
        assertEquals(new ListenSpec(TransportProtocol.UDP, "0.0.0.0", 7, ListenSpec.Service.ECHO), ListenSpec.parse("udp:7?service=echo"));
        assertEquals(new ListenSpec(TransportProtocol.UDP, "0.0.0.0", 9, ListenSpec.Service.DISCARD),
            ListenSpec.parse("UDP:9?Service=Discard"));
        assertEquals(new ListenSpec(TransportProtocol.UDP, "0.0.0.0", 1234, ListenSpec.Service.CONNTEST), ListenSpec.parse("udp:1234"));
        assertEquals(new ListenSpec(TransportProtocol.TCP, "0.0.0.0", 1234, ListenSpec.Service.CONNTEST), ListenSpec.parse("tcp:1234"));
        assertEquals(new ListenSpec(TransportProtocol.TCP, "127.0.0.2", 80, ListenSpec.Service.CONNTEST),
            ListenSpec.parse("TCP:127.0.0.2:80"));
        assertEquals("udp:7", ListenSpec.parse("udp:7").toString());
        assertEquals("udp:7?service=echo", ListenSpec.parse("udp:7?service=echo").toString());
        assertEquals(new ListenSpec(TransportProtocol.TCP, "0.0.0.0", 19, ListenSpec.Service.SOURCE), ListenSpec.parse("tcp:19?service=source"));
        assertEquals(new ListenSpec(TransportProtocol.TCP, "0.0.0.0", 7, ListenSpec.Service.ECHO), ListenSpec.parse("TCP:7?service=ECHO"));
        assertEquals("tcp:127.0.0.2:80", ListenSpec.parse("tcp:127.0.0.2:80").toString());
        assertEquals(new ListenSpec(TransportProtocol.TCP, "0.0.0.0", 5201, ListenSpec.Service.IPERF3),
            ListenSpec.parse("tcp:5201?service=iperf3"));
        assertTrue(ListenSpec.parse("tcp:5201?service=iperf3").isEngineService());
        for (final String bad : new String[] {"udp", "udp:0", "udp:65536", "udp:x", "sctp:80", "udp:7?service=chargen",
            "udp:7?colour=red", "udp:7?service=source", "udp:5201?service=iperf3", "tcp:1.2.3:80", "tcp:a:b:c"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ListenSpec.parse(bad));
            assertTrue(ex.getMessage().contains(bad.split(":")[0]), ex.getMessage());
        }
    }

    @Test
    void parsesUiModesAndColours()
    {
        assertEquals(UiMode.TUI, UiMode.parse("notty"));
        assertEquals(UiMode.TUI, UiMode.parse("TUI"));
        assertEquals(UiMode.JSON, UiMode.parse("json"));
        assertEquals(UiMode.LOG, UiMode.parse("Log"));
        assertEquals(UiMode.TEXT, UiMode.parse("text"));
        assertEquals(UiMode.CSV, UiMode.parse("CSV"));
        assertThrows(IllegalArgumentException.class, () -> UiMode.parse("html"));
        assertEquals(Emphasis.RED, Emphasis.parse("red"));
        assertEquals(Emphasis.BRIGHT_RED, Emphasis.parse("bright-red"));
        assertEquals(Emphasis.BRIGHT_RED, Emphasis.parse("BrightRed"));
        assertEquals(Emphasis.BRIGHT_BLUE, Emphasis.parse("bright_blue"));
        assertEquals(Emphasis.NONE, Emphasis.parse("none"));
        assertEquals(17, Emphasis.values().length);
        for (final Emphasis e : Emphasis.values())
        {
            assertEquals(e, Emphasis.parse(e.toString()));
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Emphasis.parse("mauve"));
        assertTrue(ex.getMessage().contains("mauve"));
    }

    @Test
    void parsesDurations()
    {
        assertEquals(Duration.ofSeconds(10), duration("10s"));
        assertEquals(Duration.ofSeconds(10), duration("10"));
        assertEquals(Duration.ofMillis(500), duration("500MS"));
        assertEquals(Duration.ofMinutes(2), duration("2m"));
        assertEquals(Duration.ofMillis(1500), duration("1.5s"));
        assertEquals(Duration.ofHours(1), duration("1h"));
        assertThrows(IllegalArgumentException.class, () -> duration("s"));
        assertThrows(IllegalArgumentException.class, () -> duration("10 parsecs"));
    }

    private static java.time.Duration duration(final String text)
    {
        return java.time.Duration.ofNanos(io.conntest.core.engine.Units.parseDurationNs(text));
    }
}
