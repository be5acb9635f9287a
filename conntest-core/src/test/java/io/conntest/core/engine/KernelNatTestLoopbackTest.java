package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.natprobe.NatProbe;
import io.conntest.core.natprobe.NatResponder;
import io.conntest.core.nat.NatTestResult;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.testing.Await;

/**
 * The NAT test between two engines on kernel sockets over 127.0.0.1 (no NAT: nothing translated, nothing filtered,
 * no binding forgotten), beside the normal connection; and a flood of NAT probes at a listener, answered within its
 * rate bound while its conntest connection carries on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelNatTestLoopbackTest
{
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void stopAll()
    {
        for (final Engine engine : engines)
        {
            engine.stop();
        }
    }

    private Engine start(final EngineConfig config, final KernelLoopbackTest.Events events)
    {
        final Engine engine = Engine.start(config, new KernelTransport(), events);
        engines.add(engine);
        return engine;
    }

    private static EngineConfig.Builder fast(final String name)
    {
        return EngineConfig.builder(name).latency(20_000_000L, 3).publishIntervalNs(20_000_000L);
    }

    private int listen(final KernelLoopbackTest.Events events)
    {
        final Engine server = start(fast("server").listen(new ListenSpec(TransportProtocol.UDP, "127.0.0.1", 0))
            .build(), events);
        return Await.value(() -> server.snapshot().listeners().stream().filter(l -> l.listening())
            .map(l -> l.port()).findFirst(), 5_000, "listener bound");
    }

    @Test
    void withoutNatEverythingIsEndpointIndependentAndTheBindingOutlivesTheLongestGap()
    {
        final int port = listen(new KernelLoopbackTest.Events());
        final KernelLoopbackTest.Events events = new KernelLoopbackTest.Events();
        final Engine client = start(fast("client").connect(ConnectSpec.parse("udp://127.0.0.1:" + port +
            "?nat-test-max=2s")).build(), events);
        final EngineEvent event = Await.value(() -> events.events.stream().filter(e -> e.type() == EventType.NAT_TEST)
            .findFirst(), 20_000, "the nat test's event");
        final NatTestResult r = event.natTest();
        assertNull(r.error(), r.describe());
        assertEquals("127.0.0.1", event.host());
        assertEquals(port, event.port());
        assertEquals(NatTestResult.ENDPOINT_INDEPENDENT, r.mapping(), r.describe());
        assertEquals(Boolean.TRUE, r.portPreserved(), r.describe());
        assertEquals(NatTestResult.EIF_OR_ADF, r.filtering(), r.describe());
        assertEquals(2.0, r.lifetimeMinS(), 1e-9, r.describe());
        assertTrue(Double.isNaN(r.lifetimeMaxS()), r.describe());
        assertTrue(r.seenAs().startsWith("127.0.0.1:"), r.describe());
        // the snapshot published after the event holds the result
        assertEquals(List.of(r), Await.value(() -> Optional.of(client.snapshot().natTests()).filter(l -> !l.isEmpty()),
            2_000, "the result in a snapshot"));
        Await.value(() -> client.snapshot().connections().stream().filter(c -> c.side() == Side.CLIENT
            && c.latencySamples() > 0).findFirst(), 5_000, "the conntest connection beside it");
    }

    @Test
    void aProbeFloodIsAnsweredWithinTheRateBoundAndTheConnectionCarriesOn() throws Exception
    {
        final KernelLoopbackTest.Events serverEvents = new KernelLoopbackTest.Events();
        final int port = listen(serverEvents);
        final Engine client = start(fast("client").connect(ConnectSpec.parse("udp://127.0.0.1:" + port)).build(),
            new KernelLoopbackTest.Events());
        Await.value(() -> client.snapshot().connections().stream().filter(c -> c.side() == Side.CLIENT
            && c.latencySamples() > 0).findFirst(), 5_000, "the connection");
        final long samplesBefore = latencySamples(client);
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(NatProbe.DELAYED_REQUEST_LENGTH));
        final ByteBuffer in = ByteBuffer.allocate(2048);
        int answers = 0;
        final long startNs = System.nanoTime();
        try (DatagramChannel flood = DatagramChannel.open())
        {
            flood.configureBlocking(false);
            flood.bind(new InetSocketAddress("127.0.0.1", 0));
            final InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < 3_000; i++)
            {
                final int length = NatProbe.writeRequest(request, 0,
                    i % 3 == 0 ? NatProbe.KIND_DELAYED : NatProbe.KIND_MAPPING, i, i % 3 == 0 ? NatProbe.MAX_DELAY_MS : 0);
                if (i % 10 == 0)
                {
                    request.putByte(4, (byte)9); // a bad version: malformed, dropped
                }
                final ByteBuffer out = request.byteBuffer().duplicate().clear().limit(length);
                flood.send(out, target);
                in.clear();
                while (flood.receive(in) != null)
                {
                    answers++;
                    in.clear();
                }
            }
            // what is still on the way
            final long drainUntil = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < drainUntil)
            {
                in.clear();
                if (flood.receive(in) != null)
                {
                    assertEquals(NatProbe.LENGTH, in.position(), "no answer larger than its request");
                    answers++;
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
        }
        final double elapsedS = (System.nanoTime() - startNs) / 1e9;
        final double bound = NatResponder.BURST + NatResponder.ANSWERS_PER_SECOND * elapsedS + 1;
        assertTrue(answers <= bound && answers >= NatResponder.BURST / 2,
            answers + " answers to 3000 probes in " + elapsedS + " s (bound " + bound + ")");
        // the connection beside it still measures, and nothing went wrong on the listener's side
        Await.value(() -> Optional.of(latencySamples(client)).filter(n -> n > samplesBefore + 5), 5_000,
            "latency samples after the flood");
        assertTrue(serverEvents.events.stream().noneMatch(e -> e.type() == EventType.ERROR
            || e.type() == EventType.CLOSED), serverEvents.events.toString());
    }

    private static long latencySamples(final Engine client)
    {
        return client.snapshot().connections().stream().filter(c -> c.side() == Side.CLIENT)
            .mapToLong(ConnectionSnapshot::latencySamples).sum();
    }
}
