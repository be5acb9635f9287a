package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.Engine;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.EngineCore;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.testing.Await;
import io.conntest.stack.testing.Privileges;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * conntest's reliable UDP over IPv6 between the tap stack and the kernel (issue 13), end to end: in a private
 * namespace ({@code ct-cu6-XXXXXXXX}, no route out) the kernel holds {@code fd00:c0:6::1/64} on the TAP
 * ({@code nodad}) and a conntest instance on kernel sockets runs on a thread inside the namespace; the other instance
 * runs on the tap stack with the static address {@code fd00:c0:6::2/64} (its DAD passed before the engine starts).
 * Each way round (a kernel client to a stack listener, a stack client to a kernel listener) the client dials
 * {@code udp://[ADDR]:PORT} and completes hello, latency probes and a bandwidth test each way with every byte
 * verified; both ends print the other's address in RFC 5952 form. Each on a plain TAP and on one with offloads
 * negotiated (the kernel's datagrams then come with partial checksums). The namespace goes in the end.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StackUdpIpv6NamespaceTest
{
    private static final String KERNEL = "fd00:c0:6::1";
    private static final String STACK = "fd00:c0:6::2";

    private NetworkNamespace ns;
    private TapDevice tap;
    private Engine stackEngine;
    private KernelEngine kernelEngine;
    private final ConcurrentLinkedQueue<EngineEvent> stackEvents = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp()
    {
        Privileges.assumeNetworkNamespaces();
        ns = NetworkNamespace.create("ct-cu6");
    }

    /** The TAP, plain or with offloads negotiated (as {@code --offload none} or the default {@code auto}). */
    private void openTap(final OffloadMode offload)
    {
        tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, offload));
        ns.linkUp("ct0");
        ns.ip("addr", "add", KERNEL + "/64", "dev", "ct0", "nodad");
    }

    @AfterEach
    void tearDown() throws Exception
    {
        try
        {
            if (kernelEngine != null)
            {
                kernelEngine.close();
            }
            if (stackEngine != null)
            {
                stackEngine.stop(); // closes the transport, which closes the TAP
            }
            else if (tap != null)
            {
                tap.close();
            }
        }
        finally
        {
            if (ns != null)
            {
                ns.close();
                assertFalse(ns.exists());
            }
        }
    }

    /** The stack's instance, started once its static address has passed DAD (polled here before the engine runs). */
    private void startStack(final EngineConfig config)
    {
        final StackTransport transport = new StackTransport(tap, InterfaceConfig.builder("10.0.0.2/24")
            .mac(0x02_00_00_00_06_02L).seed(6).build());
        final long[] own = Ipv6Address.parse(STACK);
        transport.host().stack().iface().ipv6().addStaticAddress(own[0], own[1], 64);
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!transport.host().stack().iface().ipv6().isOwnAddress(own[0], own[1]) && System.nanoTime() < deadline)
        {
            final long now = System.nanoTime();
            if (!transport.host().poll(now))
            {
                tap.awaitReceive(Math.max(1_000L, Math.min(transport.host().pollAtNs(now) - now, 1_000_000L)));
            }
        }
        assertTrue(transport.host().stack().iface().ipv6().isOwnAddress(own[0], own[1]), "DAD passed");
        stackEngine = Engine.start(config, transport, stackEvents::add);
    }

    private static EngineConfig.Builder config(final String name)
    {
        return EngineConfig.builder(name).latency(20_000_000L, 3).publishIntervalNs(20_000_000L);
    }

    private static ConnectSpec spec(final String host, final int port)
    {
        return ConnectSpec.parse("udp://[" + host + "]:" + port
            + "?monitor-bandwidth&bandwidth-bytes=1mb&verify&packet-size=1200");
    }

    private static Optional<ConnectionSnapshot> connection(final EngineSnapshot snapshot, final Side side)
    {
        return snapshot == null ? Optional.empty()
            : snapshot.connections().stream().filter(c -> c.side() == side).findFirst();
    }

    private static Optional<ConnectionSnapshot> done(final EngineSnapshot snapshot)
    {
        return connection(snapshot, Side.CLIENT).filter(c -> c.bandwidthTests() >= 2 && c.latencySamples() >= 3);
    }

    @ParameterizedTest
    @EnumSource(OffloadMode.class)
    void aKernelClientCompletesLatencyAndVerifiedBandwidthWithAStackListenerOverIpv6(final OffloadMode offload)
        throws Exception
    {
        openTap(offload);
        startStack(config("stack").listen(new ListenSpec(TransportProtocol.UDP, "::", 7000)).build());
        kernelEngine = new KernelEngine(ns, config("kernel").connect(spec(STACK, 7000)).build());
        final ConnectionSnapshot c = Await.value(() -> done(kernelEngine.snapshot()), 40_000,
            "the kernel client's tests over IPv6: " + stackEvents);
        assertEquals(0, c.verificationErrors());
        assertEquals(STACK, c.peerHost());
        assertEquals("stack", c.peerName());
        final ConnectionSnapshot s = Await.value(() -> connection(stackEngine.snapshot(), Side.SERVER), 5_000,
            "the stack's side");
        assertEquals(KERNEL, s.peerHost());
        assertEquals(0, s.verificationErrors());
    }

    @ParameterizedTest
    @EnumSource(OffloadMode.class)
    void aStackClientCompletesLatencyAndVerifiedBandwidthWithAKernelListenerOverIpv6(final OffloadMode offload)
        throws Exception
    {
        openTap(offload);
        kernelEngine = new KernelEngine(ns, config("kernel").listen(new ListenSpec(TransportProtocol.UDP, KERNEL, 7001))
            .build());
        kernelEngine.awaitStarted();
        startStack(config("stack").connect(spec(KERNEL, 7001)).build());
        final ConnectionSnapshot c = Await.value(() -> done(stackEngine.snapshot()), 40_000,
            "the stack client's tests over IPv6: " + stackEvents);
        assertEquals(0, c.verificationErrors());
        assertEquals(KERNEL, c.peerHost());
        assertEquals(STACK, c.localHost());
        assertEquals("kernel", c.peerName());
        assertTrue(stackEvents.stream().anyMatch(e -> e.type() == EventType.CONNECTED
            && e.message().equals("connected to [" + KERNEL + "]:7001 over udp")), stackEvents.toString());
        final ConnectionSnapshot s = Await.value(() -> connection(kernelEngine.snapshot(), Side.SERVER), 5_000,
            "the kernel's side");
        assertEquals(STACK, s.peerHost());
    }

    /**
     * A kernel-socket instance inside the namespace: kernel sockets belong to the namespace of the thread that makes
     * them, so the engine's single-threaded core runs on a thread that entered it, publishing snapshots.
     */
    private static final class KernelEngine implements AutoCloseable
    {
        private final Thread thread;
        private final AtomicReference<EngineSnapshot> latest = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile boolean stopping;
        private volatile KernelTransport transport;

        KernelEngine(final NetworkNamespace ns, final EngineConfig config)
        {
            thread = ns.newThread("kernel-engine", () -> run(config));
            thread.start();
        }

        private void run(final EngineConfig config)
        {
            try
            {
                transport = new KernelTransport();
                final EngineCore core = new EngineCore(config, transport, new EngineListener()
                {
                    @Override
                    public void onEvent(final EngineEvent event)
                    {
                    }
                });
                long nowNs = System.nanoTime();
                core.start(nowNs);
                started.countDown();
                long publishAtNs = nowNs;
                while (!stopping)
                {
                    nowNs = System.nanoTime();
                    final int work = core.doWork(nowNs);
                    if (nowNs >= publishAtNs)
                    {
                        latest.set(core.snapshot(nowNs));
                        publishAtNs = nowNs + 20_000_000L;
                    }
                    if (work == 0)
                    {
                        transport.idle(nowNs, Math.min(core.nextDeadlineNs(), Math.min(publishAtNs,
                            nowNs + 10_000_000L)));
                    }
                }
                core.stop(System.nanoTime());
            }
            catch (final Throwable t)
            {
                failure.set(t);
                started.countDown();
            }
        }

        void awaitStarted() throws InterruptedException
        {
            if (!started.await(10, TimeUnit.SECONDS) || failure.get() != null)
            {
                throw new AssertionError("kernel engine did not start", failure.get());
            }
        }

        EngineSnapshot snapshot()
        {
            if (failure.get() != null)
            {
                throw new AssertionError("kernel engine failed", failure.get());
            }
            return latest.get();
        }

        @Override
        public void close() throws InterruptedException
        {
            stopping = true;
            final KernelTransport t = transport;
            if (t != null)
            {
                t.wakeup();
            }
            thread.join(10_000);
            if (thread.isAlive())
            {
                throw new AssertionError("kernel engine thread did not stop");
            }
        }
    }
}
