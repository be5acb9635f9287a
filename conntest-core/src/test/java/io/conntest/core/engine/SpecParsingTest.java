package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.conntest.core.transport.TransportProtocol;

class SpecParsingTest
{
    @Test
    void seedConnectUriParses()
    {
        final ConnectSpec spec = ConnectSpec.parse("tcp://127.0.0.1:1234?monitor-bandwidth&packet-size=5mb");
        assertEquals(TransportProtocol.TCP, spec.protocol());
        assertEquals("127.0.0.1", spec.host());
        assertEquals(1234, spec.port());
        assertTrue(spec.monitorBandwidth());
        assertEquals(5 * 1024 * 1024, spec.packetSize());
        assertFalse(spec.verify());
        assertEquals(1_000_000_000L, spec.bandwidthDurationNs());
        assertEquals(spec, ConnectSpec.parse(spec.toUri()));
    }

    @Test
    void defaultsAndOptions()
    {
        final ConnectSpec udp = ConnectSpec.parse("UDP://host.example:9?verify&bandwidth-bytes=10KB&packet-size=1000B");
        assertEquals(TransportProtocol.UDP, udp.protocol());
        assertFalse(udp.monitorBandwidth());
        assertTrue(udp.verify());
        assertEquals(10 * 1024, udp.bandwidthBytes());
        assertEquals(0, udp.bandwidthDurationNs());
        assertEquals(1000, udp.packetSize());
        assertEquals(ConnectSpec.DEFAULT_UDP_PACKET_SIZE, ConnectSpec.parse("udp://h:1").packetSize());
        assertEquals(ConnectSpec.DEFAULT_TCP_PACKET_SIZE, ConnectSpec.parse("tcp://h:1").packetSize());
        // over IPv6 the header is 20 bytes longer: the default datagram still fits a 1,500-byte link
        assertEquals(1380, ConnectSpec.parse("udp://[fd00::1]:1").packetSize());
        assertEquals(1380, ConnectSpec.of(io.conntest.core.transport.TransportProtocol.UDP, "fd00::1", 1).packetSize());
        assertEquals(1400, ConnectSpec.parse("udp://[fd00::1]:1?packet-size=1400").packetSize(), "asked for");
        assertEquals(ConnectSpec.DEFAULT_TCP_PACKET_SIZE, ConnectSpec.parse("tcp://[fd00::1]:1").packetSize());
        assertEquals("::1", ConnectSpec.parse("tcp://[::1]:80").host());
        assertEquals(500_000_000L, ConnectSpec.parse("tcp://h:1?bandwidth-duration=500ms").bandwidthDurationNs());
    }

    @Test
    void latencyIntervalIsPerConnection()
    {
        final ConnectSpec fast = ConnectSpec.parse("tcp://h:1?latency-interval=10ms");
        assertEquals(10_000_000L, fast.latencyIntervalNs());
        assertEquals(10_000_000L, fast.latencyIntervalNs(200_000_000L));
        assertEquals(fast, ConnectSpec.parse(fast.toUri()));
        assertEquals(250_000L, ConnectSpec.parse("udp://h:1?latency-interval=250us").latencyIntervalNs());
        assertEquals(0L, ConnectSpec.parse("udp://h:1?latency-interval=0").latencyIntervalNs());
        final ConnectSpec plain = ConnectSpec.parse("tcp://h:1");
        assertEquals(ConnectSpec.ENGINE_LATENCY_INTERVAL, plain.latencyIntervalNs());
        assertEquals(200_000_000L, plain.latencyIntervalNs(200_000_000L));
        assertEquals(plain, ConnectSpec.parse(plain.toUri()));
        assertMessage("bad latency interval", "tcp://h:1?latency-interval=2m");
        assertMessage("needs a value", "tcp://h:1?latency-interval");
        assertMessage("bad duration", "tcp://h:1?latency-interval=fast");
    }

    @Test
    void natTestIsAnOptionOfUdpPeers()
    {
        final ConnectSpec plain = ConnectSpec.parse("udp://h:1");
        assertFalse(plain.natTest());
        assertEquals(ConnectSpec.DEFAULT_NAT_TEST_MAX_NS, plain.natTestMaxNs());
        final ConnectSpec nat = ConnectSpec.parse("udp://h:1?nat-test");
        assertTrue(nat.natTest());
        assertEquals(60_000_000_000L, nat.natTestMaxNs());
        assertEquals(nat, ConnectSpec.parse(nat.toUri()));
        final ConnectSpec longer = ConnectSpec.parse("udp://h:1?nat-test-max=3m");
        assertTrue(longer.natTest(), "a maximum implies the test");
        assertEquals(180_000_000_000L, longer.natTestMaxNs());
        assertEquals(longer, ConnectSpec.parse(longer.toUri()));
        assertMessage("nat-test runs over udp only", "tcp://h:1?nat-test");
        assertMessage("bad nat-test-max 500 ms (expected 1 s to 180 s)", "udp://h:1?nat-test-max=500ms");
        assertMessage("bad nat-test-max 181000 ms", "udp://h:1?nat-test-max=181s");
    }

    @Test
    void badValuesGiveClearErrors()
    {
        assertMessage("bad size '5xb'", "tcp://h:1?packet-size=5xb");
        assertMessage("unknown option 'frobnicate'", "tcp://h:1?frobnicate");
        assertMessage("bad port '99999'", "tcp://h:99999");
        assertMessage("missing port", "tcp://h");
        assertMessage("unknown protocol 'sctp'", "sctp://h:1");
        assertMessage("bad packet size '0' (expected 1 to 67108864 over tcp)", "tcp://h:1?packet-size=0");
        assertMessage("(packet-size: expected 1 to", "udp://h:1?packet-size=5xb");
        assertMessage("expected 1 to", "udp://h:1?packet-size=1mb");
        assertMessage("bad connect URI", "127.0.0.1:1234");
        assertMessage("needs a value", "tcp://h:1?packet-size");
    }

    @Test
    void listenSpecs()
    {
        assertEquals(new ListenSpec(TransportProtocol.TCP, 1234), ListenSpec.parse("tcp:1234"));
        assertEquals(new ListenSpec(TransportProtocol.UDP, "127.0.0.1", 5), ListenSpec.parse("udp:127.0.0.1:5"));
        assertThrows(IllegalArgumentException.class, () -> ListenSpec.parse("tcp"));
        assertThrows(IllegalArgumentException.class, () -> ListenSpec.parse("tcp:x"));
    }

    @Test
    void units()
    {
        assertEquals(1, Units.parseSize("1"));
        assertEquals(128 * 1024, Units.parseSize("128kb"));
        assertEquals(128 * 1024, Units.parseSize("128KB"));
        assertEquals(3L * 1024 * 1024 * 1024, Units.parseSize("3GiB"));
        assertEquals(10_000_000_000L, Units.parseDurationNs("10s"));
        assertEquals(10_000_000_000L, Units.parseDurationNs("10"));
        assertEquals(5_000_000L, Units.parseDurationNs("5MS"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("-1"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDurationNs("1d"));
    }

    private static void assertMessage(final String expected, final String uri)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ConnectSpec.parse(uri));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
