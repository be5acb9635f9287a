package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;

/**
 * conntest over IPv6 on kernel sockets (the host's {@code ::1}): a listener on {@code [::1]} and a peer dialling
 * {@code [::1]:PORT}, over TCP and over reliable UDP, with a bandwidth test whose every byte is verified; addresses are
 * printed in their RFC 5952 form ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}) and with a port in brackets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelIpv6Test
{
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void stopAll()
    {
        engines.forEach(Engine::stop);
    }

    private Engine start(final EngineConfig config, final KernelLoopbackTest.Events events)
    {
        final Engine engine = Engine.start(config, new KernelTransport(), events);
        engines.add(engine);
        return engine;
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void aPairTalksOverIpv6Loopback(final TransportProtocol protocol)
    {
        final KernelLoopbackTest.Events serverEvents = new KernelLoopbackTest.Events();
        final Engine server = start(EngineConfig.builder("receiver").latency(20_000_000L, 3)
            .publishIntervalNs(20_000_000L).listen(new ListenSpec(protocol, "::1", 0)).build(), serverEvents);
        final int port = io.conntest.stack.testing.Await.value(() -> server.snapshot().listeners().stream()
            .filter(l -> l.listening()).map(l -> l.port()).findFirst(), 5_000, "listener bound");
        final KernelLoopbackTest.Events clientEvents = new KernelLoopbackTest.Events();
        final Engine client = start(EngineConfig.builder("sender").latency(20_000_000L, 3)
            .publishIntervalNs(20_000_000L).connect(ConnectSpec.parse(protocol.lowerName() + "://[::1]:" + port
                + "?monitor-bandwidth&bandwidth-bytes=1mb&verify"
                + (protocol == TransportProtocol.UDP ? "&packet-size=1400" : ""))).build(), clientEvents);
        final ConnectionSnapshot c = io.conntest.stack.testing.Await.value(() -> client.snapshot().connections()
            .stream().filter(x -> x.side() == Side.CLIENT && x.bandwidthTests() >= 2 && x.latencySamples() >= 3)
            .findFirst(), 20_000, "tests and probes over IPv6");
        assertEquals(0, c.verificationErrors());
        assertEquals("::1", c.peerHost());
        assertEquals("::1", c.localHost());
        assertEquals("receiver", c.peerName());
        final Optional<ConnectionSnapshot> s = server.snapshot().connections().stream()
            .filter(x -> x.side() == Side.SERVER).findFirst();
        assertTrue(s.isPresent());
        assertEquals("::1", s.get().peerHost());
        assertTrue(clientEvents.events.stream().anyMatch(e -> e.type() == EventType.CONNECTED
            && e.message().equals("connected to [::1]:" + port + " over " + protocol.lowerName())),
            clientEvents.events.toString());
        // both ends tell each other how they are seen: the same address and port, not translated
        final ConnectionSnapshot told = io.conntest.stack.testing.Await.value(() -> client.snapshot().connections()
            .stream().filter(x -> x.side() == Side.CLIENT && x.path().seenAsHost() != null).findFirst(), 10_000,
            "PEER_SEEN over IPv6");
        assertEquals("::1", told.path().seenAsHost());
        assertEquals(Boolean.FALSE, told.path().translated());
    }

    @Test
    void listenSpecsTakeBracketedIpv6Literals()
    {
        assertEquals("::", ListenSpec.parse("tcp:[::]:1234").host());
        assertEquals("::1", ListenSpec.parse("udp:[0:0:0:0:0:0:0:1]:7").host());
        assertEquals("tcp:[2001:db8::1]:80", ListenSpec.parse("tcp:[2001:DB8:0::1]:80").toString());
        assertEquals("10.0.0.1", ListenSpec.parse("tcp:10.0.0.1:80").host());
        for (final String bad : new String[] {"tcp:[::1:80", "tcp:[::1]80", "tcp:[nothex::]:80", "tcp:[1:2]:80x"})
        {
            final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ListenSpec.parse(bad), bad);
            assertTrue(ex.getMessage().contains("'" + bad + "'"), ex.getMessage());
        }
    }
}
