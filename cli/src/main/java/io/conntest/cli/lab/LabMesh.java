package io.conntest.cli.lab;

import io.conntest.cli.run.EngineRun;
import io.conntest.cli.run.KernelTransports;
import io.conntest.cli.ui.InstanceInfo;
import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.Engine;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.stats.ListenerSnapshot;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.Offloads;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;
import io.conntest.stack.wire.MacAddress;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.core.transport.stack.StackTransport;
import io.conntest.stack.iface.InterfaceConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The lab's mesh of N instances, each on its own stack on a TAP on a bridge in a private namespace (10.0.0.11,
 * .12, ...; the bridge has the kernel's 10.0.0.1), or on kernel sockets: instance {@code j} connects to every {@code i < j} (one
 * connection per pair, as conntest instances in production), pairs alternating TCP and UDP, two of every three
 * pairs with bandwidth monitoring (tests bounded to a few MB so the lab stays light). Inside a private namespace
 * each instance has its own loopback address (127.0.0.11, .12, ...) and port 7000; without one, all share
 * 127.0.0.1 on ports the kernel picks. The TAPs are opened with the {@code --offload} mode when they are made
 * ({@link #createTaps}), so the start event names what each one negotiated; a device no instance took is closed
 * by {@link #close}.
 *
 * <p>Dual-stack ({@code --ipv6}, TAP stack on the bridge): every instance also has a configured address
 * {@code fd00:10::11/64}, {@code ::12}, ... (through Duplicate Address Detection, RFC 4862 §5.4), the bridge has the
 * kernel's {@code fd00:10::1/64}, the listeners take both families (bound to the unspecified address), and the pairs
 * whose index is 1 or 2 modulo 4 dial their peer's IPv6 address: with 3 instances TCP over IPv4, UDP and TCP over
 * IPv6; from 4 on every protocol over both families. One connection per pair still, so the mesh view's cell for a
 * pair is that one connection (a cell is per pair and protocol).
 */
final class LabMesh implements AutoCloseable
{
    static final String[] NAMES = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
        "india", "juliett"};
    static final int MAX_INSTANCES = 10;
    static final int NAMESPACE_PORT = 7000;

    static final String BRIDGE = "ctlabbr";
    static final String BRIDGE_ADDRESS = "10.0.0.1/24";
    /** The lab's IPv6 prefix (unique local, RFC 4193) and the kernel's address on the bridge in it. */
    static final String IPV6_PREFIX = "fd00:10::";
    static final String BRIDGE_ADDRESS6 = IPV6_PREFIX + "1/64";

    private final int count;
    private final NetworkNamespace ns;
    private final boolean tap;
    private final OffloadMode offload;
    /** The TAPs opened by {@link #createTaps}, until an instance takes its own (then null). */
    private final TapDevice[] devices;
    private final String[] hosts;
    /** Each instance's IPv6 address with {@code ipv6}, else null. */
    private final String[] hosts6;
    private final boolean ipv6;
    /** Bound ports per instance: [i][0] tcp, [i][1] udp. */
    private final int[][] ports;
    private final boolean nat;
    /** The MTU of the NAT router's outside link, 0 for the default. */
    private final int routerMtu;
    /** The nftables table of {@link #block}. */
    static final String BLOCK_TABLE = "conntest_lab";
    private boolean blockTableMade;
    /**
     * With {@code --ipv6}: every instance's stack, built when the first instance starts and run through Duplicate
     * Address Detection together (about 2 s for all, not per instance), so no IPv6 pair's first attempt fails for
     * want of a source address; each instance takes its own when it starts.
     */
    private StackHost[] prepared;

    /**
     * @param ns  the namespace the instances run in, or null for the host's loopback.
     * @param tap whether each instance runs on its own stack on a TAP on a bridge (needs {@code ns})
     */
    LabMesh(final int count, final NetworkNamespace ns, final boolean tap)
    {
        this(count, ns, tap, OffloadMode.AUTO);
    }

    /**
     * @param ns      the namespace the instances run in, or null for the host's loopback.
     * @param tap     whether each instance runs on its own stack on a TAP on a bridge (needs {@code ns})
     * @param offload whether the TAPs negotiate offloads ({@code --offload})
     */
    LabMesh(final int count, final NetworkNamespace ns, final boolean tap, final OffloadMode offload)
    {
        this(count, ns, tap, offload, false);
    }

    /**
     * @param nat the {@code nat} topology: the first half of the instances (rounded up) outside, on a second bridge
     *            (10.1.0.11, ...), the rest inside (10.0.0.x) behind the namespace's kernel as a masquerading router
     *            ({@link NatRouter}); every instance dials the ones before it, so inside instances reach outside ones
     *            through the NAT. Needs {@code tap}.
     */
    LabMesh(final int count, final NetworkNamespace ns, final boolean tap, final OffloadMode offload,
        final boolean nat)
    {
        this(count, ns, tap, offload, nat, 0);
    }

    /**
     * @param routerMtu with {@code nat}: the MTU of the router's outside link ({@code --router-mtu}), 0 for 1500
     */
    LabMesh(final int count, final NetworkNamespace ns, final boolean tap, final OffloadMode offload,
        final boolean nat, final int routerMtu)
    {
        this(count, ns, tap, offload, nat, routerMtu, false);
    }

    /**
     * @param ipv6 dual-stack: an IPv6 address per instance and some pairs over IPv6 (see the class comment); needs
     *             {@code tap} without {@code nat}
     */
    LabMesh(final int count, final NetworkNamespace ns, final boolean tap, final OffloadMode offload,
        final boolean nat, final int routerMtu, final boolean ipv6)
    {
        if (ipv6 && (!tap || nat))
        {
            throw new IllegalArgumentException("a dual-stack lab runs on the TAP stack in the bridge topology");
        }
        this.ipv6 = ipv6;
        this.hosts6 = new String[count];
        this.routerMtu = routerMtu;
        this.count = count;
        this.nat = nat;
        this.ns = ns;
        this.tap = tap;
        this.offload = offload;
        this.devices = new TapDevice[count];
        this.hosts = new String[count];
        this.ports = new int[count][2];
        for (int i = 0; i < count; i++)
        {
            hosts[i] = tap ? (outside(i) ? NatRouter.OUTSIDE_PREFIX : NatRouter.INSIDE_PREFIX) + (11 + i)
                : ns != null ? "127.0.0." + (11 + i) : "127.0.0.1";
            hosts6[i] = ipv6 ? IPV6_PREFIX + (11 + i) : null;
            final int port = ns != null ? NAMESPACE_PORT : 0;
            ports[i][0] = port;
            ports[i][1] = port;
        }
    }

    /** The protocol of the pair with index {@code k} (in the order connections are made). */
    static TransportProtocol protocolOfPair(final int k)
    {
        return k % 2 == 0 ? TransportProtocol.TCP : TransportProtocol.UDP;
    }

    static boolean bandwidthOnPair(final int k)
    {
        return k % 3 != 2;
    }

    private static int pairIndex(final int i, final int j)
    {
        // Pairs in the order (0,1), (0,2), (1,2), (0,3), (1,3), (2,3), ...: those of j come after all of j-1.
        return j * (j - 1) / 2 + i;
    }

    /** Whether the pair with index {@code k} dials over IPv6 (dual-stack labs only): 1 and 2 modulo 4. */
    boolean ipv6Pair(final int k)
    {
        return ipv6 && (k % 4 == 1 || k % 4 == 2);
    }

    /** The pairs that dial over IPv6, for the lab's notes: {@code bravo->alpha udp, charlie->alpha tcp}. */
    String ipv6Pairs()
    {
        final List<String> pairs = new ArrayList<>();
        for (int j = 0; j < count; j++)
        {
            for (int i = 0; i < j; i++)
            {
                if (ipv6Pair(pairIndex(i, j)))
                {
                    pairs.add(NAMES[j] + "->" + NAMES[i] + " " + protocolOf(i, j).lowerName());
                }
            }
        }
        return String.join(", ", pairs);
    }

    /** The address instance {@code j} dials instance {@code i} at. */
    String dialHost(final int i, final int j)
    {
        return ipv6Pair(pairIndex(i, j)) ? hosts6[i] : hosts[i];
    }

    /** The instances to run, in start order. */
    List<EngineRun.Instance> instances()
    {
        final List<EngineRun.Instance> list = new ArrayList<>();
        for (int j = 0; j < count; j++)
        {
            final int self = j;
            final List<String> connects = new ArrayList<>();
            for (int i = 0; i < j; i++)
            {
                final int k = pairIndex(i, j);
                connects.add(protocolOf(i, j).lowerName() + " to " + NAMES[i]
                    + (ipv6Pair(k) ? " over ipv6" : "") + (bandwidthOnPair(k) ? " with bandwidth" : ""));
            }
            final List<String> addresses = new ArrayList<>();
            if (tap)
            {
                addresses.add(hosts[j] + "/24");
                if (ipv6)
                {
                    addresses.add("ipv6 " + hosts6[j] + "/64");
                }
                addresses.add("mac " + MacAddress.toString(mac(j)));
                addresses.add("on " + tapName(j) + " in " + ns.name());
                addresses.add("offloads " + offloadsOf(j));
            }
            else
            {
                addresses.add(hosts[j] + (ns != null ? " in " + ns.name() : ""));
            }
            final String listenHost = ipv6 ? "[::]" : hosts[j];
            final InstanceInfo info = new InstanceInfo(NAMES[j], tap ? "tap" : "kernel", addresses,
                List.of("tcp:" + listenHost + ":" + (ports[j][0] == 0 ? "auto" : ports[j][0]),
                    "udp:" + listenHost + ":" + (ports[j][1] == 0 ? "auto" : ports[j][1])), connects);
            list.add(new EngineRun.Instance(info, listener ->
            {
                final EngineConfig config = config(self);
                if (tap)
                {
                    final StackHost host = ipv6 ? takePrepared(self) : buildHost(self);
                    return Engine.start(config, new StackTransport(host, true, ReliableUdpConfig.defaults()),
                        listener);
                }
                return ns == null ? Engine.start(config, KernelTransports.open(offload), listener)
                    : ns.call(() -> Engine.start(config, KernelTransports.open(offload), listener));
            }));
        }
        return list;
    }

    /** The NAT test's longest idle gap in the lab: its binding lifetime verdict is "longer than 3 s" or a range. */
    static final long NAT_TEST_MAX_NS = 3_000_000_000L;

    /** Whether the pair of instance {@code j} dialling {@code i} crosses the NAT (the inside one dials out). */
    boolean crossesNat(final int i, final int j)
    {
        return nat && outside(i) && !outside(j);
    }

    /**
     * The pair's protocol: TCP and UDP alternately; in the {@code nat} topology every pair that crosses the NAT is
     * UDP, so the NAT's type can be measured on each (and the router's UDP rule blocks those to the first one).
     */
    TransportProtocol protocolOf(final int i, final int j)
    {
        return crossesNat(i, j) ? TransportProtocol.UDP : protocolOfPair(pairIndex(i, j));
    }

    /** In the {@code nat} topology: whether instance {@code i} is outside the NAT (the first half, rounded up). */
    boolean outside(final int i)
    {
        return nat && i < (count + 1) / 2;
    }

    /** The router's rules, for the lab's notes; null in the bridge topology. */
    String natDescription()
    {
        return nat ? NatRouter.describe(hosts[0], routerMtu) : null;
    }

    static String tapName(final int i)
    {
        return "ctlab" + i;
    }

    static long mac(final int i)
    {
        return 0x02_00_0A_00_00_0BL + i;
    }

    /**
     * Makes the bridge (with the kernel's 10.0.0.1/24) and one TAP per instance on it, all up, and opens each with
     * the offload mode (negotiated here, so the start event can name what each TAP accepted).
     */
    void createTaps()
    {
        ns.addBridge(BRIDGE);
        ns.addAddress(BRIDGE, BRIDGE_ADDRESS);
        if (ipv6)
        {
            // in use at once (no DAD of its own); the instances' addresses each go through the stack's DAD
            ns.ip("-6", "addr", "add", BRIDGE_ADDRESS6, "dev", BRIDGE, "nodad").check();
        }
        if (nat)
        {
            NatRouter.build(ns, hosts[0], routerMtu);
        }
        for (int i = 0; i < count; i++)
        {
            ns.addTap(tapName(i));
            ns.setMaster(tapName(i), outside(i) ? NatRouter.OUTSIDE_BRIDGE : BRIDGE);
            ns.linkUp(tapName(i));
        }
        for (int i = 0; i < count; i++)
        {
            final String name = tapName(i);
            devices[i] = ns.call(() -> TapDevice.open(name, TapDevice.Mode.ATTACH, offload));
        }
    }

    /**
     * Drops every IPv4 packet (and in a dual-stack lab every IPv6 one) between instances {@code i} and {@code j} on
     * the lab's bridge (an nftables rule of the
     * bridge family in the lab's namespace, both directions; ARP still passes), so the pair cannot connect: the
     * mesh view shows that cell failing with the reason. After {@link #createTaps}.
     */
    void block(final int i, final int j)
    {
        if (!blockTableMade)
        {
            ns.exec("nft", "add", "table", "bridge", BLOCK_TABLE).check();
            ns.exec("nft", "add", "chain", "bridge", BLOCK_TABLE, "forward",
                "{ type filter hook forward priority 0 ; }").check();
            blockTableMade = true;
        }
        ns.exec("nft", "add", "rule", "bridge", BLOCK_TABLE, "forward", "ip", "saddr", hosts[i], "ip", "daddr",
            hosts[j], "drop").check();
        ns.exec("nft", "add", "rule", "bridge", BLOCK_TABLE, "forward", "ip", "saddr", hosts[j], "ip", "daddr",
            hosts[i], "drop").check();
        if (ipv6)
        {
            // and IPv6 between their addresses (neighbour discovery to the solicited-node groups still passes)
            ns.exec("nft", "add", "rule", "bridge", BLOCK_TABLE, "forward", "ip6", "saddr", hosts6[i], "ip6", "daddr",
                hosts6[j], "drop").check();
            ns.exec("nft", "add", "rule", "bridge", BLOCK_TABLE, "forward", "ip6", "saddr", hosts6[j], "ip6", "daddr",
                hosts6[i], "drop").check();
        }
    }

    /** What instance {@code i}'s TAP negotiated ({@code csum tso4 tso6}, {@code none}). */
    private String offloadsOf(final int i)
    {
        return devices[i] == null ? "none" : Offloads.describe(devices[i].offloads());
    }

    /** Hands instance {@code i} its TAP (its stack then owns it), opening it if it was not opened before. */
    private TapDevice take(final int i)
    {
        final TapDevice device = devices[i];
        devices[i] = null;
        return device != null ? device : ns.call(() -> TapDevice.open(tapName(i), TapDevice.Mode.ATTACH, offload));
    }

    /** Instance {@code self}'s stack on its TAP, with its IPv6 address when dual-stack (tentative until DAD). */
    private StackHost buildHost(final int self)
    {
        final TapDevice device = take(self);
        final InterfaceConfig.Builder iface = InterfaceConfig.builder(hosts[self] + "/24").mac(mac(self));
        if (nat)
        {
            iface.gateway(io.conntest.stack.wire.Ipv4Address.parse(outside(self)
                ? NatRouter.OUTSIDE_GATEWAY : NatRouter.INSIDE_GATEWAY));
        }
        final StackHost.Builder builder = StackHost.builder(device, iface.build());
        if (ipv6)
        {
            final long[] a = io.conntest.stack.wire.Ipv6Address.parse(hosts6[self]);
            builder.ipv6Address(a[0], a[1], 64);
        }
        return builder.build();
    }

    /**
     * Dual-stack: at the first call builds every instance's stack and polls them all until each configured address
     * passed DAD (or 5 s went by: an instance whose address is still tentative then retries its IPv6 pairs as any
     * failed attempt); returns instance {@code self}'s. Called on the starting thread, before the engine takes it.
     */
    private StackHost takePrepared(final int self)
    {
        if (prepared == null)
        {
            prepared = new StackHost[count];
            for (int j = 0; j < count; j++)
            {
                prepared[j] = buildHost(j);
            }
            final long end = System.nanoTime() + 5_000_000_000L;
            while (!allAddressed() && System.nanoTime() - end < 0)
            {
                long at = end;
                for (final StackHost host : prepared)
                {
                    final long now = System.nanoTime();
                    host.poll(now);
                    at = Math.min(at, host.pollAtNs(now));
                }
                final long now = System.nanoTime();
                prepared[0].idle(now, Math.min(at, now + 1_000_000L)); // 1 ms at most: the others have timers too
            }
        }
        final StackHost host = prepared[self];
        prepared[self] = null;
        return host;
    }

    private boolean allAddressed()
    {
        for (final StackHost host : prepared)
        {
            if (host.stack().iface().ipv6().globalAddress() == null)
            {
                return false;
            }
        }
        return true;
    }

    /** Closes the TAPs and prepared stacks no instance took (a run that failed before starting them all). */
    @Override
    public void close()
    {
        if (prepared != null)
        {
            for (int i = 0; i < count; i++)
            {
                if (prepared[i] != null)
                {
                    prepared[i].close();
                    prepared[i] = null;
                }
            }
        }
        for (int i = 0; i < count; i++)
        {
            if (devices[i] != null)
            {
                devices[i].close();
                devices[i] = null;
            }
        }
    }

    private EngineConfig config(final int j)
    {
        // dual-stack: the unspecified address, which the own stack serves for both families
        final String listenHost = ipv6 ? ListenSpec.ANY_HOST : hosts[j];
        final EngineConfig.Builder b = EngineConfig.builder(NAMES[j])
            .listen(new ListenSpec(TransportProtocol.TCP, listenHost, ports[j][0]))
            .listen(new ListenSpec(TransportProtocol.UDP, listenHost, ports[j][1]))
            .publishIntervalNs(250_000_000L);
        for (int i = 0; i < j; i++)
        {
            final int k = pairIndex(i, j);
            final TransportProtocol protocol = protocolOf(i, j);
            ConnectSpec spec = ConnectSpec.of(protocol, dialHost(i, j),
                ports[i][protocol == TransportProtocol.TCP ? 0 : 1]);
            if (crossesNat(i, j) && i != 0)
            {
                // what kind of NAT it is and the path's MTU, told once beside the connection (short gaps: the lab
                // runs for seconds)
                spec = spec.withNatTest(NAT_TEST_MAX_NS).withPmtuTest();
            }
            if (bandwidthOnPair(k))
            {
                spec = protocol == TransportProtocol.TCP
                    ? spec.withBandwidth(64 * 1024, 8L << 20, 1_000_000_000L)
                    : spec.withBandwidth(ConnectSpec.defaultPacketSize(protocol, spec.host()), 2L << 20,
                        1_000_000_000L);
            }
            b.connect(spec.withVerify(true));
        }
        return b.build();
    }

    /** After instance {@code i} started: learn the ports its listeners bound (waits up to 5 s). */
    void onStarted(final int i, final Engine engine)
    {
        if (ports[i][0] != 0 && ports[i][1] != 0)
        {
            return;
        }
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final List<ListenerSnapshot> ls = engine.snapshot().listeners();
            if (ls.size() == 2 && ls.get(0).listening() && ls.get(1).listening())
            {
                ports[i][0] = ls.get(0).port();
                ports[i][1] = ls.get(1).port();
                return;
            }
            LockSupport.parkNanos(5_000_000L);
        }
        throw new LabException("lab instance " + NAMES[i] + " could not bind its listeners on " + hosts[i]);
    }
}
