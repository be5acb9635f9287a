package io.conntest.bench.e2e;

import io.conntest.bench.report.Metric;
import io.conntest.cli.run.KernelTransports;
import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.Engine;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.rudp.ReliableUdpChannel;
import io.conntest.core.event.EngineListener;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.stack.StackTransport;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * conntest itself: a client engine with bandwidth monitoring on ({@code kernel} in the lab namespace, or
 * {@code tap} on the userspace stack) against a server engine on kernel sockets ({@code kernel} ↔ {@code kernel}
 * over the veth pair, {@code tap} → {@code kernel} over the TAP), until one bandwidth test has run each way.
 * Goodput is the client → server test as the server measured it. (An engine's threads are started from a
 * thread inside the namespace, so they and their sockets belong to it.) {@code tap} ↔ {@code tap}: the server engine
 * on a second stack on tap1 (the pump's address and MAC), over the bridge; a TAP is opened plain or with offloads.
 */
final class ConntestScenarios
{
    private static final int PORT = 7_700;
    private static final EngineListener QUIET = event ->
    {
    };

    private ConntestScenarios()
    {
    }

    /**
     * The conntest payload per packet of the reliable-UDP scenarios: with conntest's frame header and the reliable
     * layer's header, a datagram of {@link FramePump#PAYLOAD} (1,472) bytes, the largest that crosses a 1,500-byte
     * MTU unfragmented and the size of the plain UDP scenarios it is compared with. (Until 2026-12-05 these
     * scenarios sent 1,472 bytes of payload, so 1,540-byte datagrams that the kernel fragmented in two.)
     */
    static final int UDP_MESSAGE = FramePump.PAYLOAD - ReliableUdpChannel.headerLength() - FrameHeader.LENGTH;

    /** Where an engine runs: kernel sockets, or a stack on a TAP. */
    private enum Side
    {
        KERNEL, TAP
    }

    static Map<Metric, Double> kernelUdp(final Lab lab, final BenchMode mode) throws InterruptedException
    {
        return kernelUdp(lab, mode, OffloadMode.NONE);
    }

    /** With {@link OffloadMode#AUTO} both kernel sockets send with UDP_SEGMENT and receive with UDP_GRO. */
    static Map<Metric, Double> kernelUdp(final Lab lab, final BenchMode mode, final OffloadMode offload)
        throws InterruptedException
    {
        return run(lab, mode, TransportProtocol.UDP, UDP_MESSAGE, Side.KERNEL, Side.KERNEL, offload);
    }

    static Map<Metric, Double> kernelTcp(final Lab lab, final BenchMode mode) throws InterruptedException
    {
        return run(lab, mode, TransportProtocol.TCP, ConnectSpec.DEFAULT_TCP_PACKET_SIZE, Side.KERNEL, Side.KERNEL,
            OffloadMode.NONE);
    }

    static Map<Metric, Double> tapUdp(final Lab lab, final BenchMode mode) throws InterruptedException
    {
        return tapUdp(lab, mode, OffloadMode.NONE);
    }

    static Map<Metric, Double> tapTcp(final Lab lab, final BenchMode mode) throws InterruptedException
    {
        return tapTcp(lab, mode, OffloadMode.NONE);
    }

    static Map<Metric, Double> tapUdp(final Lab lab, final BenchMode mode, final OffloadMode offload)
        throws InterruptedException
    {
        return run(lab, mode, TransportProtocol.UDP, UDP_MESSAGE, Side.TAP, Side.KERNEL, offload);
    }

    static Map<Metric, Double> tapTcp(final Lab lab, final BenchMode mode, final OffloadMode offload)
        throws InterruptedException
    {
        return run(lab, mode, TransportProtocol.TCP, ConnectSpec.DEFAULT_TCP_PACKET_SIZE, Side.TAP, Side.KERNEL,
            offload);
    }

    static Map<Metric, Double> tapTapUdp(final Lab lab, final BenchMode mode, final OffloadMode offload)
        throws InterruptedException
    {
        return run(lab, mode, TransportProtocol.UDP, UDP_MESSAGE, Side.TAP, Side.TAP, offload);
    }

    static Map<Metric, Double> tapTapTcp(final Lab lab, final BenchMode mode, final OffloadMode offload)
        throws InterruptedException
    {
        return run(lab, mode, TransportProtocol.TCP, ConnectSpec.DEFAULT_TCP_PACKET_SIZE, Side.TAP, Side.TAP,
            offload);
    }

    /**
     * A client engine (kernel sockets in the lab namespace, or {@code tap}: the userspace stack on tap0) against a
     * server engine on kernel sockets (in the peer namespace over the veth, or on the bridge for {@code tap}).
     */
    private static Map<Metric, Double> run(final Lab lab, final BenchMode mode, final TransportProtocol protocol,
        final int packetSize, final Side clientSide, final Side serverSide, final OffloadMode offload)
        throws InterruptedException
    {
        final boolean tap = clientSide == Side.TAP;
        final long testNs = mode.measureMs() * 1_000_000L;
        final String serverHost = serverSide == Side.TAP ? Ipv4Address.toString(Lab.PUMP_ADDRESS)
            : tap ? Ipv4Address.toString(Lab.KERNEL_ADDRESS) : Lab.VETH_PEER_ADDRESS;
        final NetworkNamespace serverNamespace = tap ? lab.lab() : lab.peer();
        final EngineConfig serverConfig = EngineConfig.builder("bench-server")
            .listen(new ListenSpec(protocol, serverHost, PORT)).build();
        final EngineConfig clientConfig = EngineConfig.builder("bench-client")
            .connect(ConnectSpec.of(protocol, serverHost, PORT).withBandwidth(packetSize, 0, testNs))
            .build();
        Engine server = null;
        Engine client = null;
        KernelTransport clientKernel = null;
        TapDevice device = null;
        TapDevice serverDevice = null;
        try
        {
            if (serverSide == Side.TAP)
            {
                serverDevice = openTap(lab, Lab.PUMP_TAP, offload);
                server = Engine.start(serverConfig, new StackTransport(serverDevice, InterfaceConfig.builder(
                    Lab.PUMP_ADDRESS, Lab.PREFIX).mac(Lab.PUMP_MAC).seed(8).build()), QUIET);
            }
            else
            {
                server = serverNamespace.call(() -> Engine.start(serverConfig, KernelTransports.open(offload), QUIET));
            }
            if (tap)
            {
                device = openTap(lab, Lab.STACK_TAP, offload);
                client = Engine.start(clientConfig, new StackTransport(device, StackLoadThread.interfaceConfig()), QUIET);
            }
            else
            {
                // the engine's thread is made in the lab namespace, so its sockets are there too
                final KernelTransport kernel = KernelTransports.open(offload);
                clientKernel = kernel;
                client = lab.lab().call(() -> Engine.start(clientConfig, kernel, QUIET));
            }
            final long deadline = System.nanoTime() + 2 * testNs + mode.warmupMs() * 1_000_000L + 15_000_000_000L;
            ConnectionSnapshot c = null;
            while (System.nanoTime() < deadline)
            {
                final List<ConnectionSnapshot> connections = client.snapshot().connections();
                c = connections.isEmpty() ? null : connections.get(0);
                if (c != null && c.bandwidthTests() >= 2 && c.bandwidthUpAvgBps() > 0 && c.bandwidthDownAvgBps() > 0)
                {
                    break;
                }
                Thread.sleep(50);
            }
            if (c == null || c.bandwidthUpAvgBps() <= 0)
            {
                throw new IllegalStateException("no bandwidth test completed: " + c);
            }
            if (clientKernel != null && protocol == TransportProtocol.UDP && offload == OffloadMode.AUTO
                && clientKernel.segmentedSendCalls() == 0)
            {
                throw new IllegalStateException("UDP segmentation is not in use (the JVM needs --add-exports "
                    + "java.base/sun.nio.ch=ALL-UNNAMED, the kernel UDP_SEGMENT and UDP_GRO)");
            }
            final Map<Metric, Double> m = new EnumMap<>(Metric.class);
            m.put(Metric.GOODPUT_BPS, (double)c.bandwidthUpAvgBps());
            if (c.latencyP50Ns() > 0)
            {
                m.put(Metric.LATENCY_P50_NS, (double)c.latencyP50Ns());
                m.put(Metric.LATENCY_P99_NS, (double)c.latencyP99Ns());
            }
            if (protocol == TransportProtocol.UDP)
            {
                m.put(Metric.LOST, (double)Math.max(0, c.udpLost()));
                m.put(Metric.RETRANSMISSIONS, (double)Math.max(0, c.udpRetransmitted()));
            }
            return m;
        }
        finally
        {
            if (client != null)
            {
                client.close();
            }
            if (server != null)
            {
                server.close();
            }
            if (device != null)
            {
                device.close();
            }
            if (serverDevice != null)
            {
                serverDevice.close();
            }
        }
    }

    private static TapDevice openTap(final Lab lab, final String name, final OffloadMode offload)
    {
        final TapDevice device = lab.openTap(name, offload);
        if (offload == OffloadMode.AUTO)
        {
            Scenarios.requireTso(device);
        }
        return device;
    }
}
