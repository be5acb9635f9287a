package io.conntest.cli.stacktransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.event.EventType;
import io.conntest.core.probe.PortSpec;
import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeOptions;
import io.conntest.core.probe.ProbeProtocol;
import io.conntest.core.probe.ProbeReason;
import io.conntest.core.probe.ProbeReport;
import io.conntest.core.probe.ProbeResult;
import io.conntest.core.probe.ProbeRunner;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.core.transport.stack.StackPortProber;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * The {@code tap} transport for real: instances on TAP devices on a bridge in a private namespace (no route out),
 * the bridge itself carrying the kernel's address for a {@code kernel} instance. Two tap instances run the
 * engine's whole cycle over TCP and UDP (once clean, once with UDP through the fault injector), and a tap instance
 * and a kernel one do it in both directions. Prints the figures ({@code FIGURES} lines).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StackTransportNamespaceTest
{
    static final String BRIDGE = "stbr0";
    static final String KERNEL_IP = "10.0.0.1";
    static final String TAP_A = "sta";
    static final String TAP_B = "stb";
    static final String TAP_C = "stc";
    static final long MAC_A = 0x02_00_0A_00_00_02L;
    static final long MAC_B = 0x02_00_0A_00_00_03L;
    static final long MAC_C = 0x02_00_0A_00_00_04L;
    private static final long DEADLINE_MS = 40_000;

    private NetworkNamespace ns;

    @BeforeAll
    void createBridgeWithTaps()
    {
        Privileges.assumeNetworkNamespaces();
        ns = NetworkNamespace.create("ct-st");
        ns.addBridge(BRIDGE);
        ns.addAddress(BRIDGE, KERNEL_IP + "/24");
        for (final String tap : new String[] {TAP_A, TAP_B, TAP_C})
        {
            ns.addTap(tap);
            ns.setMaster(tap, BRIDGE);
            ns.linkUp(tap);
        }
    }

    @AfterAll
    void removeNamespace()
    {
        if (ns != null)
        {
            ns.close();
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    NetworkNamespace namespace()
    {
        return ns;
    }

    static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        io.conntest.stack.testing.Await.until(condition, DEADLINE_MS, what);
    }

    private static EngineConfig.Builder config(final String name)
    {
        return EngineConfig.builder(name).latency(50_000_000L, 10);
    }

    private static ConnectSpec tcp(final String host, final int port)
    {
        return ConnectSpec.of(TransportProtocol.TCP, host, port).withBandwidth(64 * 1024, 0, 1_000_000_000L)
            .withVerify(true);
    }

    private static ConnectSpec udp(final String host, final int port)
    {
        return ConnectSpec.of(TransportProtocol.UDP, host, port).withBandwidth(1400, 0, 1_000_000_000L)
            .withVerify(true);
    }

    private static boolean roundDone(final ConnectionSnapshot c)
    {
        return c != null && c.bandwidthTests() >= 2 && c.latencySamples() >= 10;
    }

    private static void assertHealthy(final ConnectionSnapshot c)
    {
        assertEquals(0, c.verificationErrors(), c.toString());
        assertEquals(0, c.retries(), "one connection throughout: " + c);
        assertTrue(c.bandwidthUpAvgBps() > 0 && c.bandwidthDownAvgBps() > 0, c.toString());
        assertTrue(c.latencyP50Ns() > 0, c.toString());
    }

    private static TapInstance startAfter(final KernelEngineThread kernel, final Supplier<TapInstance> tap)
        throws InterruptedException
    {
        kernel.awaitStarted();
        return tap.get();
    }

    @Test
    void twoTapInstancesRunTheCycleOverTcpAndUdp() throws Exception
    {
        try (TapInstance a = new TapInstance(ns, TAP_A, "10.0.0.2/24", MAC_A, Function.identity(),
            config("tap-a").listen(new ListenSpec(TransportProtocol.TCP, 5000))
                .listen(new ListenSpec(TransportProtocol.UDP, 5000)).build());
            TapInstance b = new TapInstance(ns, TAP_B, "10.0.0.3/24", MAC_B, Function.identity(),
                config("tap-b").connect(tcp("10.0.0.2", 5000)).connect(udp("10.0.0.2", 5000)).build()))
        {
            await(() -> roundDone(TapInstance.find(b.snapshot(), Side.CLIENT, TransportProtocol.TCP)) &&
                roundDone(TapInstance.find(b.snapshot(), Side.CLIENT, TransportProtocol.UDP)), "a round over both");
            for (final TransportProtocol protocol : TransportProtocol.values())
            {
                final ConnectionSnapshot c = TapInstance.find(b.snapshot(), Side.CLIENT, protocol);
                final ConnectionSnapshot s = TapInstance.find(a.snapshot(), Side.SERVER, protocol);
                assertNotNull(s);
                assertEquals("tap-a", c.peerName());
                assertEquals("tap-b", s.peerName());
                assertHealthy(c);
                System.out.println(TapInstance.figures("tap -> tap", c));
                if (protocol == TransportProtocol.TCP)
                {
                    assertTrue(c.tcpCwndBytes() > 0 && c.tcpSrttNs() > 0, "the stack's TCP figures: " + c);
                }
            }
            assertTrue(a.events(EventType.ERROR).isEmpty() && b.events(EventType.ERROR).isEmpty());
        }
    }

    @Test
    void udpBetweenTapInstancesCrossesTheFaultInjector() throws Exception
    {
        final FaultConfig faults = FaultConfig.none().drop(0.02).duplicate(0.01).reorder(0.02, 3);
        final Function<FrameDevice, FrameDevice> impair =
            device -> FaultInjectingDevice.symmetric(device, faults, 1234, System::nanoTime);
        try (TapInstance a = new TapInstance(ns, TAP_A, "10.0.0.2/24", MAC_A, Function.identity(),
            config("tap-a").listen(new ListenSpec(TransportProtocol.UDP, 5001)).build());
            TapInstance b = new TapInstance(ns, TAP_B, "10.0.0.3/24", MAC_B, impair,
                config("tap-b").connect(udp("10.0.0.2", 5001)).build()))
        {
            await(() -> roundDone(TapInstance.find(b.snapshot(), Side.CLIENT, TransportProtocol.UDP)),
                "a round over a lossy path");
            final ConnectionSnapshot c = TapInstance.find(b.snapshot(), Side.CLIENT, TransportProtocol.UDP);
            final ConnectionSnapshot s = TapInstance.find(a.snapshot(), Side.SERVER, TransportProtocol.UDP);
            assertHealthy(c);
            assertEquals(0, s.verificationErrors());
            assertTrue(c.udpRetransmitted() + s.udpRetransmitted() > 0, "losses repaired: " + c + " / " + s);
            assertTrue(c.udpDuplicate() + s.udpDuplicate() > 0, "duplicates seen: " + c + " / " + s);
            System.out.println(TapInstance.figures("tap -> tap (2% loss)", c));
        }
    }

    /** A tap instance dials a kernel instance over TCP and UDP. */
    @Test
    void tapInstanceRunsTheCycleWithAKernelServer() throws Exception
    {
        final EngineConfig kernelConfig = config("kernel").listen(new ListenSpec(TransportProtocol.TCP, KERNEL_IP, 6000))
            .listen(new ListenSpec(TransportProtocol.UDP, KERNEL_IP, 6000)).build();
        try (KernelEngineThread kernel = new KernelEngineThread(ns, kernelConfig);
            TapInstance tap = startAfter(kernel, () -> new TapInstance(ns, TAP_A, "10.0.0.2/24", MAC_A,
                Function.identity(), config("tap").connect(tcp(KERNEL_IP, 6000)).connect(udp(KERNEL_IP, 6000)).build())))
        {
            await(() -> roundDone(TapInstance.find(tap.snapshot(), Side.CLIENT, TransportProtocol.TCP)) &&
                roundDone(TapInstance.find(tap.snapshot(), Side.CLIENT, TransportProtocol.UDP)),
                "rounds tap->kernel over TCP and UDP");
            for (final TransportProtocol protocol : TransportProtocol.values())
            {
                final ConnectionSnapshot toKernel = TapInstance.find(tap.snapshot(), Side.CLIENT, protocol);
                assertHealthy(toKernel);
                assertEquals("kernel", toKernel.peerName());
                System.out.println(TapInstance.figures("tap -> kernel", toKernel));
            }
            assertTrue(tap.events(EventType.ERROR).isEmpty());
        }
    }

    /**
     * A kernel instance dials a tap instance over TCP and UDP. (Each direction has its own pair of instances: two
     * instances that dial each other over one protocol share one connection, by the engine's pair rule.)
     */
    @Test
    void kernelInstanceRunsTheCycleWithATapServer() throws Exception
    {
        final EngineConfig kernelConfig = config("kernel")
            .connect(tcp("10.0.0.2", 5002)).connect(udp("10.0.0.2", 5002)).build();
        // The kernel's first attempts may meet the tap's stack before its engine listens: refused (a RST or an ICMP
        // port unreachable from our stack), then retried.
        try (KernelEngineThread kernel = new KernelEngineThread(ns, kernelConfig);
            TapInstance tap = startAfter(kernel, () -> new TapInstance(ns, TAP_A, "10.0.0.2/24", MAC_A,
                Function.identity(), config("tap").listen(new ListenSpec(TransportProtocol.TCP, 5002))
                    .listen(new ListenSpec(TransportProtocol.UDP, 5002)).build())))
        {
            await(() -> roundDone(TapInstance.find(kernel.snapshot(), Side.CLIENT, TransportProtocol.TCP)) &&
                roundDone(TapInstance.find(kernel.snapshot(), Side.CLIENT, TransportProtocol.UDP)),
                "rounds kernel->tap over TCP and UDP");
            for (final TransportProtocol protocol : TransportProtocol.values())
            {
                final ConnectionSnapshot toTap = TapInstance.find(kernel.snapshot(), Side.CLIENT, protocol);
                assertEquals(0, toTap.verificationErrors(), toTap.toString());
                assertTrue(toTap.bandwidthUpAvgBps() > 0 && toTap.bandwidthDownAvgBps() > 0, toTap.toString());
                assertTrue(toTap.retries() == 0 || toTap.lastFailure() == FailureReason.REFUSED, toTap.toString());
                assertEquals("tap", toTap.peerName());
                System.out.println(TapInstance.figures("kernel -> tap", toTap));
                final ConnectionSnapshot tapServer = TapInstance.find(tap.snapshot(), Side.SERVER, protocol);
                assertNotNull(tapServer, "the tap instance's side of the " + protocol + " connection");
                System.out.println(TapInstance.figures("kernel -> tap (tap's side)", tapServer));
            }
            assertTrue(tap.events(EventType.ERROR).isEmpty());
        }
    }

    @Test
    void stackProberFromATapInstanceSeesKernelPorts() throws Exception
    {
        final ServerSocket listening = ns.call(() -> new ServerSocket(7000, 50, InetAddress.getByName(KERNEL_IP)));
        final DatagramSocket echo = ns.call(() -> new DatagramSocket(7002, InetAddress.getByName(KERNEL_IP)));
        final DatagramSocket silent = ns.call(() -> new DatagramSocket(7004, InetAddress.getByName(KERNEL_IP)));
        echo.setSoTimeout(200);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread echoer = new Thread(() ->
        {
            final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            for (int i = 0; i < 200 && !stop.get(); i++) // bounded: at most 200 x 200 ms
            {
                try
                {
                    packet.setLength(2048);
                    echo.receive(packet);
                    echo.send(packet);
                }
                catch (final IOException ex)
                {
                    // timeout: look at the stop flag again
                }
            }
        }, "udp-echo");
        echoer.setDaemon(true);
        echoer.start();
        final TapDevice device = ns.call(() -> TapDevice.open(TAP_C, TapDevice.Mode.ATTACH));
        final StackHost host = new StackHost(device, InterfaceConfig.builder("10.0.0.4/24").mac(MAC_C).build());
        // 1.5 s and two attempts: the first SYN waits for ARP, and a loaded 2-core machine once missed 500 ms.
        final ProbeOptions options = ProbeOptions.DEFAULTS.withTimeout(1500, TimeUnit.MILLISECONDS).withAttempts(2, 2);
        final List<ProbeResult> results = new CopyOnWriteArrayList<>();
        try (StackPortProber prober = new StackPortProber(host, true, options))
        {
            final ProbeReport report = new ProbeRunner(prober, InetAddress.getByName(KERNEL_IP),
                PortSpec.parse("T:7000,7001,U:7002,7003,7004"), options, results::add).run();
            results.forEach(r -> System.out.println("PROBE tap -> kernel " + r));
            assertEquals(5, report.probed());
        }
        finally
        {
            stop.set(true);
            echoer.join(5_000);
            listening.close();
            echo.close();
            silent.close();
        }
        assertResult(results, ProbeProtocol.TCP, 7000, PortState.OPEN, ProbeReason.SYN_ACK);
        assertResult(results, ProbeProtocol.TCP, 7001, PortState.CLOSED, ProbeReason.CONN_REFUSED);
        assertResult(results, ProbeProtocol.UDP, 7002, PortState.OPEN, ProbeReason.UDP_RESPONSE);
        assertResult(results, ProbeProtocol.UDP, 7003, PortState.CLOSED, ProbeReason.PORT_UNREACH);
        assertResult(results, ProbeProtocol.UDP, 7004, PortState.OPEN_FILTERED, ProbeReason.NO_RESPONSE);
    }

    private static void assertResult(final List<ProbeResult> results, final ProbeProtocol protocol, final int port,
        final PortState state, final ProbeReason reason)
    {
        final ProbeResult r = results.stream().filter(x -> x.protocol() == protocol && x.port() == port).findFirst()
            .orElseThrow(() -> new AssertionError("no result for " + port + "/" + protocol));
        assertEquals(state, r.state(), r.toString());
        assertEquals(reason, r.reason(), r.toString());
    }
}
