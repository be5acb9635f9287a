package io.conntest.cli.options;

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
    void parsesMacAddresses()
    {
        assertEquals(0x02_00_5e_10_00_01L, MacAddress.parse("02:00:5e:10:00:01"));
        assertEquals(0x02_00_5e_10_00_01L, MacAddress.parse("02-00-5E-10-00-01"));
        assertEquals("02:00:5e:10:00:01", MacAddress.format(0x02_00_5e_10_00_01L));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("01:00:5e:00:00:01"), "multicast");
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00:zz"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00:100"));
    }

    @Test
    void parsesListenSpecs()
    {
        assertEquals(new ListenSpec("udp", 7, ListenSpec.Service.ECHO, "0.0.0.0"), ListenSpec.parse("udp:7?service=echo"));
        assertEquals(new ListenSpec("udp", 9, ListenSpec.Service.DISCARD, "0.0.0.0"),
            ListenSpec.parse("UDP:9?Service=Discard"));
        assertEquals(new ListenSpec("udp", 1234, ListenSpec.Service.CONNTEST, "0.0.0.0"), ListenSpec.parse("udp:1234"));
        assertEquals(new ListenSpec("tcp", 1234, ListenSpec.Service.CONNTEST, "0.0.0.0"), ListenSpec.parse("tcp:1234"));
        assertEquals(new ListenSpec("tcp", 80, ListenSpec.Service.CONNTEST, "127.0.0.2"),
            ListenSpec.parse("TCP:127.0.0.2:80"));
        assertEquals("udp:7", ListenSpec.parse("udp:7").toString());
        assertEquals("udp:7?service=echo", ListenSpec.parse("udp:7?service=echo").toString());
        assertEquals(new ListenSpec("tcp", 19, ListenSpec.Service.SOURCE, "0.0.0.0"), ListenSpec.parse("tcp:19?service=source"));
        assertEquals(new ListenSpec("tcp", 7, ListenSpec.Service.ECHO, "0.0.0.0"), ListenSpec.parse("TCP:7?service=ECHO"));
        assertEquals("tcp:127.0.0.2:80", ListenSpec.parse("tcp:127.0.0.2:80").toString());
        for (final String bad : new String[] {"udp", "udp:0", "udp:65536", "udp:x", "sctp:80", "udp:7?service=chargen",
            "udp:7?colour=red", "udp:7?service=source", "tcp:1.2.3:80", "tcp:a:b:c"})
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
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500MS"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("10 parsecs"));
    }
}
