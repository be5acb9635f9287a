package io.conntest.core.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortSpecTest
{
    private static List<String> targets(final PortSpec spec)
    {
        final List<String> out = new ArrayList<>();
        final PortSpec.Cursor cursor = spec.cursor();
        while (cursor.next())
        {
            out.add(cursor.port() + "/" + cursor.protocol());
        }
        return out;
    }

    @Test
    void plainPortsAndRangesAreTcp()
    {
        final PortSpec spec = PortSpec.parse("22,80,1000-1002");
        assertEquals(List.of("22/tcp", "80/tcp", "1000/tcp", "1001/tcp", "1002/tcp"), targets(spec));
        assertEquals(5, spec.count());
        assertEquals(5, spec.count(ProbeProtocol.TCP));
        assertEquals(0, spec.count(ProbeProtocol.UDP));
        assertEquals("T:22,80,1000-1002", spec.toString());
    }

    @Test
    void prefixAppliesToFollowingEntries()
    {
        final PortSpec spec = PortSpec.parse("T:22,80,U:53,161");
        assertEquals(List.of("22/tcp", "80/tcp", "53/udp", "161/udp"), targets(spec));
        assertTrue(spec.contains(ProbeProtocol.UDP, 161));
        assertFalse(spec.contains(ProbeProtocol.TCP, 161));
        assertEquals("T:22,80,U:53,161", spec.toString());
    }

    @Test
    void prefixesAreCaseInsensitiveAndSwitchBack()
    {
        final PortSpec spec = PortSpec.parse("u:53, t:80 ,U:7");
        assertEquals(List.of("80/tcp", "7/udp", "53/udp"), targets(spec));
    }

    @Test
    void defaultProtocolAppliesBeforeFirstPrefix()
    {
        final PortSpec spec = PortSpec.parse("53,T:22", ProbeProtocol.UDP);
        assertEquals(List.of("22/tcp", "53/udp"), targets(spec));
    }

    @Test
    void dashAloneAndOpenRanges()
    {
        assertEquals(65535, PortSpec.parse("-").count());
        assertEquals(65535, PortSpec.parse("1-65535").count());
        assertEquals(PortSpec.parse("1-1024"), PortSpec.parse("-1024"));
        assertEquals(PortSpec.parse("65530-65535"), PortSpec.parse("65530-"));
        final PortSpec everything = PortSpec.parse("T:-,U:-");
        assertEquals(PortSpec.MAX_PROBES, everything.count());
        assertEquals("T:1-65535,U:1-65535", everything.toString());
    }

    @Test
    void duplicatesAndOverlapsCollapse()
    {
        final PortSpec spec = PortSpec.parse("80,80,79-81,81");
        assertEquals(3, spec.count());
        assertEquals("T:79-81", spec.toString());
        assertEquals(spec, PortSpec.parse(spec.toString()));
        assertEquals(spec.hashCode(), PortSpec.parse(spec.toString()).hashCode());
    }

    @Test
    void cursorWalksEverythingWithoutLists()
    {
        final PortSpec.Cursor cursor = PortSpec.parse("T:-,U:-").cursor();
        int n = 0;
        int lastUdp = 0;
        while (cursor.next())
        {
            n++;
            if (cursor.protocol() == ProbeProtocol.UDP)
            {
                assertTrue(cursor.port() > lastUdp);
                lastUdp = cursor.port();
            }
        }
        assertEquals(131_070, n);
        assertFalse(cursor.next());
        assertEquals(0, cursor.port());
    }

    @Test
    void skipRemainingCounts()
    {
        final PortSpec.Cursor cursor = PortSpec.parse("1-10,U:1-5").cursor();
        assertTrue(cursor.next());
        assertTrue(cursor.next());
        assertEquals(13, cursor.skipRemaining());
        assertFalse(cursor.next());
    }

    @Test
    void nextPortFindsTheFollowingSelectedPort()
    {
        final PortSpec spec = PortSpec.parse("10,20,U:5");
        assertEquals(10, spec.nextPort(ProbeProtocol.TCP, 0));
        assertEquals(20, spec.nextPort(ProbeProtocol.TCP, 11));
        assertEquals(-1, spec.nextPort(ProbeProtocol.TCP, 21));
        assertEquals(5, spec.nextPort(ProbeProtocol.UDP, 1));
    }

    @Test
    void limitOnProbes()
    {
        assertEquals(100, PortSpec.parse("1-100", ProbeProtocol.TCP, 100).count());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PortSpec.parse("1-100,U:1", ProbeProtocol.TCP, 100));
        assertEquals("port specification '1-100,U:1' selects 101 probes, more than the limit of 100",
            ex.getMessage());
        assertEquals("maxProbes 0 out of range 1-131070", assertThrows(IllegalArgumentException.class,
            () -> PortSpec.parse("1", ProbeProtocol.TCP, 0)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|bad port entry '0': port 0 out of range 1-65535",
        "65536|bad port entry '65536': port 65536 out of range 1-65535",
        "1234567|bad port entry '1234567': port 1234567 out of range 1-65535",
        "http|bad port entry 'http': 'http' is not a port number",
        "80x|bad port entry '80x': '80x' is not a port number",
        "+80|bad port entry '+80': '+80' is not a port number",
        "2000-1000|bad port entry '2000-1000': range runs backwards (2000 > 1000)",
        "1-2-3|bad port entry '1-2-3': more than one '-'",
        "22,U:|bad port entry 'U:': no port after the protocol prefix",
        "S:80|bad port entry 'S:80': SCTP (S:) is not supported, only T: and U:",
        "X:80|bad port entry 'X:80': unknown protocol prefix 'X:', expected T: or U:",
        "T:0-10|bad port entry 'T:0-10': port 0 out of range 1-65535",
        "22,,80|empty entry in port specification '22,,80'",
        "22,|empty entry in port specification '22,'",
        "[1-1024]|bad port entry '[1-1024]': '[1' is not a port number",
    })
    void badInputNamesTheEntry(final String spec, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse(spec));
        assertEquals(message, ex.getMessage());
    }

    @Test
    void emptySpecification()
    {
        assertEquals("empty port specification",
            assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("  ")).getMessage());
        assertEquals("empty port specification",
            assertThrows(IllegalArgumentException.class, () -> PortSpec.parse(null)).getMessage());
    }
}
