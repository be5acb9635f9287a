package io.conntest.cli.stacktransport;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.conntest.core.engine.Engine;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.stack.StackTransport;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;

/** A {@code tap} instance for the tests: a TAP opened inside the namespace, the stack transport, an Engine. */
final class TapInstance implements AutoCloseable, EngineListener
{
    final String name;
    final Engine engine;
    final ConcurrentLinkedQueue<EngineEvent> events = new ConcurrentLinkedQueue<>();

    TapInstance(final NetworkNamespace ns, final String tap, final String cidr, final long mac,
        final Function<FrameDevice, FrameDevice> decorate, final EngineConfig config)
    {
        this.name = config.instanceName();
        final TapDevice device = ns.call(() -> TapDevice.open(tap, TapDevice.Mode.ATTACH));
        final StackTransport transport = new StackTransport(decorate.apply(device),
            InterfaceConfig.builder(cidr).mac(mac).build());
        this.engine = Engine.start(config, transport, this);
    }

    @Override
    public void onEvent(final EngineEvent event)
    {
        events.add(event);
        if (event.type() == EventType.CONNECT_FAILED || event.type() == EventType.ERROR ||
            event.type() == EventType.CLOSED)
        {
            System.out.println("TAP " + name + " " + event);
        }
    }

    List<EngineEvent> events(final EventType type)
    {
        return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
    }

    EngineSnapshot snapshot()
    {
        return engine.snapshot();
    }

    @Override
    public void close()
    {
        engine.stop();
    }

    static ConnectionSnapshot find(final EngineSnapshot snapshot, final Side side, final TransportProtocol protocol)
    {
        if (snapshot == null)
        {
            return null;
        }
        return snapshot.connections().stream().filter(c -> c.side() == side && c.protocol() == protocol)
            .findFirst().orElse(null);
    }

    static String figures(final String path, final ConnectionSnapshot c)
    {
        return String.format(Locale.ROOT, "FIGURES %-28s %s: latency p50 %.3f ms p99 %.3f ms (%d samples), " +
            "up %.1f Mbit/s, down %.1f Mbit/s, packet %d B, tcp retrans %d srtt %.3f ms cwnd %d, " +
            "udp retrans %d lost %d dup %d ooo %d", path, c.protocol().lowerName(), c.latencyP50Ns() / 1e6,
            c.latencyP99Ns() / 1e6, c.latencySamples(), c.bandwidthUpAvgBps() / 1e6, c.bandwidthDownAvgBps() / 1e6,
            c.packetSize(), c.tcpRetransmissions(), c.tcpSrttNs() / 1e6, c.tcpCwndBytes(), c.udpRetransmitted(),
            c.udpLost(), c.udpDuplicate(), c.udpOutOfOrder());
    }
}
