package io.conntest.cli.lab;

import io.conntest.cli.options.Converters;
import io.conntest.cli.run.CommandContext;
import io.conntest.cli.options.OutputOptions;
import io.conntest.cli.run.EngineRun;
import io.conntest.cli.run.RunControl;
import io.conntest.cli.ui.Output;
import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.core.engine.ListenSpec;
import io.conntest.cli.run.EventLog;
import io.conntest.cli.run.InstanceSettings;
import io.conntest.cli.run.StackInstance;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code conntest lab}: the one-command demo, a mesh of instances ({@link LabMesh}) in a private network namespace
 * (as root) or on the host's loopback, shown by the chosen output and removed at the end. {@code --stack-demo}
 * keeps the earlier demo: a TAP in a namespace with the own stack on it (10.0.0.2/24, UDP echo on port 7, discard
 * on 9), pinged and UDP-echoed by the kernel (10.0.0.1/24).
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = io.conntest.cli.options.VersionProvider.class,
    description = {
        "The one-command demo: N conntest instances connected to each other over TCP and UDP (one connection per "
            + "pair, bandwidth monitoring on two of every three pairs), with the live UI. As root each runs on its own "
            + "TCP/IP stack on a TAP on a bridge in a private network namespace (--stack kernel: kernel sockets on "
            + "loopback addresses there), so nothing touches the host; without root on the host's 127.0.0.1. "
            + "Ctrl-C (or q) stops and removes everything.",
        "--stack-demo instead shows the own TCP/IP stack on a TAP in a namespace, pinged and UDP-echoed by the kernel."
    },
    footer = {"", "Examples:", "  conntest lab", "  conntest lab --instances 4 --duration 1m --ui text",
        "  conntest lab --instances 4 --block alpha:charlie", "  conntest lab --instances 4 --ipv6"})
public final class LabCommand implements Callable<Integer>
{
    static final String TAP = "ctlab0";
    static final String KERNEL_ADDRESS = "10.0.0.1";
    static final String STACK_ADDRESS = "10.0.0.2";

    @ParentCommand
    private CommandContext parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "3",
        description = "Instances in the mesh, 2.." + LabMesh.MAX_INSTANCES + " (default: ${DEFAULT-VALUE}).")
    private int instances;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "How long the lab runs (default: 30s; 0 = until Ctrl-C or q).")
    private Duration duration;

    @ArgGroup(validate = false, heading = "%nOutput:%n")
    private OutputOptions output = new OutputOptions();

    @Option(names = "--stack", paramLabel = "tap|kernel",
        description = "tap: every instance on its own stack on a TAP on a bridge (root, /dev/net/tun); kernel: "
            + "kernel sockets on loopback. Default: tap when possible.")
    private String stack;

    @Option(names = "--offload", paramLabel = "auto|none", description = "auto (default): the TAPs negotiate "
        + "checksum and TCP/UDP segmentation offload with the kernel (64 KB per system call), kernel sockets send "
        + "reliable UDP with UDP_SEGMENT/UDP_GRO; none: one MTU-sized frame (or datagram) per system call, "
        + "checksums in Java.")
    private String offload;

    @Option(names = "--block", paramLabel = "A:B", split = ",",
        description = "Drop all traffic between two instances of the mesh (e.g. alpha:charlie; repeatable) with an "
            + "nftables rule on the lab's bridge, to see a broken pair in the mesh view. Needs the TAP stack and nft.")
    private List<String> blocks = new ArrayList<>();

    @Option(names = "--topology", paramLabel = "bridge|nat", description = "bridge (default): every instance on one "
        + "bridge; nat: the first half of the instances outside on a second bridge, the rest inside behind a "
        + "masquerading router (the namespace's kernel, nftables) that lets no connection in and drops UDP to the "
        + "first outside instance. Needs the TAP stack and nft.")
    private String topology;

    @Option(names = "--router-mtu", paramLabel = "BYTES", description = "With --topology nat: the MTU of the "
        + "router's outside link (576 to 9000; default 1500, the links' own), so the path from the inside is narrower "
        + "than the inside links: the inside instances' path MTU tests (?pmtu) find it.")
    private Integer routerMtu;

    @Option(names = "--ipv6", description = "Dual-stack: every instance also gets an IPv6 address on the bridge "
        + "(fd00:10::11/64, ::12, ...; duplicate address detection first; the kernel has fd00:10::1) and about half "
        + "of the pairs, TCP and UDP, dial over IPv6 (tcp://[fd00:10::11]:7000). Needs the TAP stack and the bridge "
        + "topology.")
    private boolean ipv6;

    @Option(names = "--stack-demo", description = "Run the own-stack demo (root: TAP, ping, UDP echo) instead.")
    private boolean stackDemo;

    @Option(names = "--pcap", paramLabel = "FILE", description = "With --stack-demo: record the stack's frames.")
    private Path pcap;

    @Override
    public Integer call() throws Exception
    {
        if (instances < 2 || instances > LabMesh.MAX_INSTANCES)
        {
            throw new ParameterException(spec.commandLine(), "--instances " + instances + " is not in 2.."
                + LabMesh.MAX_INSTANCES);
        }
        final OffloadMode offloadMode;
        try
        {
            offloadMode = offload == null ? OffloadMode.AUTO : OffloadMode.parse(offload);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--" + ex.getMessage());
        }
        if (stackDemo)
        {
            return stackDemo(offloadMode, duration == null ? Duration.ofSeconds(10) : duration);
        }
        if (pcap != null)
        {
            // the mesh has one stack per instance and no single capture point: say so rather than ignore it
            throw new ParameterException(spec.commandLine(), "--pcap needs --stack-demo (the mesh records no "
                + "frames; capture on its bridge with tcpdump -i " + LabMesh.BRIDGE + " inside the lab's namespace)");
        }
        final CommandContext main = parent != null ? parent : CommandContext.system();
        final long durationNs = duration == null ? 30_000_000_000L : duration.toNanos();
        if (stack != null && !stack.equals("tap") && !stack.equals("kernel"))
        {
            throw new ParameterException(spec.commandLine(), "--stack " + stack + " is not tap or kernel");
        }
        final String missing = missingNamespaceRights();
        final String missingTap = missingPrivileges();
        if ("tap".equals(stack) && missingTap != null)
        {
            throw new LabException("lab --stack tap " + missingTap);
        }
        final boolean tap = missingTap == null && !"kernel".equals(stack);
        final List<int[]> blocked = blockedPairs(tap);
        final boolean nat = natTopology(tap);
        if (routerMtu != null && (!nat || routerMtu < 576 || routerMtu > 9000))
        {
            throw new ParameterException(spec.commandLine(), nat ? "--router-mtu " + routerMtu + " is not in 576..9000"
                : "--router-mtu needs --topology nat (it is the NAT router's outside link)");
        }
        if (ipv6 && (!tap || nat))
        {
            throw new ParameterException(spec.commandLine(), nat ? "--ipv6 goes with the bridge topology (the NAT "
                + "router translates IPv4 only)" : "--ipv6 needs the TAP stack (instances on a bridge; root and "
                + "/dev/net/tun)");
        }
        try (RunControl control = main.control(); Output out = main.openOutput(output, control))
        {
            // a lab is a mesh: its live view opens on the matrix (m switches to the connection tables)
            out.showMesh(true);
            if (missing != null)
            {
                out.note("lab: no private namespace (" + missing + "); running the mesh on kernel sockets on this "
                    + "host's 127.0.0.1");
                final LabMesh mesh = new LabMesh(instances, null, false);
                EngineRun.run(mesh.instances(), out, control, durationNs, mesh::onStarted);
                return 0;
            }
            if (!tap && missingTap != null)
            {
                out.note("lab: no TAP devices here (" + missingTap + "); running the mesh on kernel sockets");
            }
            final NetworkNamespace ns = NetworkNamespace.create("ct-lab");
            try (LabMesh mesh = new LabMesh(instances, ns, tap, offloadMode, nat, routerMtu == null ? 0 : routerMtu,
                ipv6))
            {
                if (tap)
                {
                    mesh.createTaps();
                    if (nat)
                    {
                        out.note("lab: topology nat: " + mesh.natDescription() + "; outside 10.1.0.11.., inside "
                            + "10.0.0.x");
                    }
                    for (final int[] pair : blocked)
                    {
                        mesh.block(pair[0], pair[1]);
                        out.note("lab: traffic between " + LabMesh.NAMES[pair[0]] + " and " + LabMesh.NAMES[pair[1]]
                            + " is dropped on the bridge (nftables)");
                    }
                    out.note("lab: " + instances + " instances, each on its own stack on a TAP (ctlab0..) on bridge "
                        + LabMesh.BRIDGE + " in namespace " + ns.name() + " (10.0.0.11.."
                        + (ipv6 ? ", " + LabMesh.IPV6_PREFIX + "11.." : "") + "), offload "
                        + offloadMode.name().toLowerCase(Locale.ROOT) + "; removed at the end");
                    if (ipv6)
                    {
                        out.note("lab: dual-stack: the kernel has " + LabMesh.BRIDGE_ADDRESS6 + " on " + LabMesh.BRIDGE
                            + "; pairs over IPv6: " + mesh.ipv6Pairs());
                    }
                }
                else
                {
                    out.note("lab: " + instances + " instances on kernel sockets in namespace " + ns.name()
                        + " (own loopback addresses 127.0.0.11..); removed at the end");
                }
                EngineRun.run(mesh.instances(), out, control, durationNs, mesh::onStarted);
            }
            finally
            {
                ns.close();
                out.note("lab: namespace " + ns.name() + " removed");
            }
        }
        return 0;
    }

    /** Whether {@code --topology nat} was asked for (checked: a known topology, on the TAP stack, with nft). */
    private boolean natTopology(final boolean tap)
    {
        if (topology == null || topology.equals("bridge"))
        {
            return false;
        }
        if (!topology.equals("nat"))
        {
            throw new ParameterException(spec.commandLine(), "--topology " + topology + " is not bridge or nat");
        }
        if (!tap)
        {
            throw new ParameterException(spec.commandLine(), "--topology nat needs the TAP stack (instances on "
                + "bridges; root and /dev/net/tun)");
        }
        if (!KernelPeer.hasCommand("nft"))
        {
            throw new ParameterException(spec.commandLine(), "--topology nat needs nft (apt-get install nftables)");
        }
        return true;
    }

    /** The {@code --block} pairs as instance indexes, checked: two different instances of this lab, on the bridge. */
    private List<int[]> blockedPairs(final boolean tap)
    {
        final List<int[]> pairs = new ArrayList<>();
        if (blocks.isEmpty())
        {
            return pairs;
        }
        if (!tap)
        {
            throw new ParameterException(spec.commandLine(), "--block needs the TAP stack (instances on a bridge; "
                + "root and /dev/net/tun)");
        }
        if (!KernelPeer.hasCommand("nft"))
        {
            throw new ParameterException(spec.commandLine(), "--block needs nft (apt-get install nftables)");
        }
        final List<String> names = Arrays.asList(LabMesh.NAMES).subList(0, instances);
        for (final String block : blocks)
        {
            final String[] ab = block.split(":", -1);
            if (ab.length != 2 || !names.contains(ab[0]) || !names.contains(ab[1]) || ab[0].equals(ab[1]))
            {
                throw new ParameterException(spec.commandLine(), "--block " + block + ": expected two different "
                    + "instances of this lab as A:B, from " + String.join(", ", names));
            }
            pairs.add(new int[] {names.indexOf(ab[0]), names.indexOf(ab[1])});
        }
        return pairs;
    }

    /** The single-instance demo of the own stack on a TAP (root only). */
    private int stackDemo(final OffloadMode offloadMode, final Duration demoDuration) throws Exception
    {
        final PrintStream out = parent == null ? System.out : parent.out();
        final String missing = missingPrivileges();
        if (missing != null)
        {
            throw new LabException("lab " + missing);
        }
        final long endNs = System.nanoTime() + demoDuration.toNanos();
        final EventLog log = new EventLog(out, "lab");
        try (NetworkNamespace ns = NetworkNamespace.create("ct-lab"))
        {
            out.println("conntest lab: namespace " + ns.name() + ", TAP " + TAP + "; kernel " + KERNEL_ADDRESS
                + "/24, own stack " + STACK_ADDRESS + "/24");
            final TapDevice tap = ns.call(() -> TapDevice.open(TAP, TapDevice.Mode.CREATE, offloadMode));
            final StackInstance instance;
            try
            {
                ns.linkUp(TAP);
                ns.addAddress(TAP, KERNEL_ADDRESS + "/24");
                out.println("offloads " + io.conntest.stack.phy.Offloads.describe(tap.offloads()));
                instance = new StackInstance(settings(), tap, tap::linkWarning, log);
            }
            catch (final RuntimeException ex)
            {
                tap.close();
                throw ex;
            }
            final Thread loop = new Thread(() -> instance.run(Long.MAX_VALUE), "conntest-lab-stack");
            loop.setDaemon(true);
            loop.start();
            try
            {
                demo(ns, out, endNs);
            }
            finally
            {
                instance.stop();
                loop.join(5000);
                instance.close();
                log.log("stopped: " + instance.stats());
            }
            out.println("removing namespace " + ns.name());
        }
        return 0;
    }

    private void demo(final NetworkNamespace ns, final PrintStream out, final long endNs)
    {
        final KernelPeer kernel = new KernelPeer(ns);
        if (KernelPeer.hasCommand("ping"))
        {
            out.println("-- kernel pings the stack (ping -c 5 " + STACK_ADDRESS + ")");
            final KernelPeer.PingResult ping = kernel.ping(STACK_ADDRESS, 5, 0.2, 56);
            ping.output().lines().filter(line -> line.contains("bytes from") || line.contains("transmitted")
                || line.contains("rtt")).forEach(line -> out.println("   " + line));
        }
        else
        {
            out.println("-- ping is not installed (apt-get install iputils-ping); skipping the ping demo");
        }

        out.println("-- kernel UDP socket <-> stack echo service (udp:7), every byte checked");
        final KernelPeer.EchoResult small = kernel.udpEcho(STACK_ADDRESS, 7, new int[] {64}, 2000, 1000, 1);
        out.println(String.format(Locale.ROOT,
            "   64 B x %d: %d echoed, %d lost, rtt min %.3f / p50 %.3f / p99 %.3f ms, %.0f round trips/s",
            small.sent(), small.verified(), small.lost(), small.percentileMs(0), small.percentileMs(50),
            small.percentileMs(99), small.roundTripsPerSecond()));
        final int[] sizes = {1, 548, 1472, 1473, 9000, 32768, 65507};
        final KernelPeer.EchoResult big = kernel.udpEcho(STACK_ADDRESS, 7, sizes, 3, 2000, 2);
        out.println(String.format(Locale.ROOT,
            "   sizes 1..65507 B (fragmented above 1472): %d of %d echoed intact, %d lost, %d corrupted",
            big.verified(), big.sent(), big.lost(), big.mismatched()));

        out.println("-- kernel UDP socket -> closed port 9999 on the stack");
        out.println("   " + (kernel.udpRefused(STACK_ADDRESS, 9999, 2000)
            ? "refused: ICMP port unreachable came back (ECONNREFUSED)" : "no refusal seen"));

        if (KernelPeer.hasCommand("ping"))
        {
            while (endNs - System.nanoTime() > 1_500_000_000L)
            {
                final KernelPeer.PingResult ping = kernel.ping(STACK_ADDRESS, 1, 1, 56);
                out.println(String.format(Locale.ROOT, "   ping %s: %s", STACK_ADDRESS,
                    ping.received() == 1 ? String.format(Locale.ROOT, "%.3f ms", ping.minMs()) : "no reply"));
                final long pauseUntil = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < pauseUntil && endNs - System.nanoTime() > 0)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(pauseUntil - System.nanoTime());
                }
            }
        }
    }

    private InstanceSettings settings()
    {
        return new InstanceSettings("lab-stack", TAP, Ipv4Cidr.parse(STACK_ADDRESS + "/24"), 0, -1, 0, pcap,
            List.of(ListenSpec.parse("udp:7?service=echo"), ListenSpec.parse("udp:9?service=discard")), false, false);
    }

    /** What the lab lacks for a private namespace (root and the ip command), or null. */
    static String missingNamespaceRights()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "needs root";
        }
        if (!NetworkNamespace.ipCommand().startsWith("/"))
        {
            return "needs the ip command (apt-get install iproute2)";
        }
        return null;
    }

    /** What the stack demo lacks to run here, or null. */
    static String missingPrivileges()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create a network namespace and a TAP device: "
                + "run it with sudo";
        }
        if (!Files.exists(Path.of("/dev/net/tun")))
        {
            return "needs /dev/net/tun (modprobe tun)";
        }
        if (!NetworkNamespace.ipCommand().startsWith("/"))
        {
            return "needs the ip command (apt-get install iproute2)";
        }
        return null;
    }
}
