package io.conntest.cli.lab;

import io.conntest.cli.Main;
import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.options.ListenSpec;
import io.conntest.cli.run.EventLog;
import io.conntest.cli.run.InstanceSettings;
import io.conntest.cli.run.StackInstance;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code conntest lab}: the one-command demo. In a private network namespace it makes a TAP, runs an instance
 * with its own stack on it (10.0.0.2/24, UDP echo on port 7, discard on 9), gives the kernel side 10.0.0.1/24,
 * then lets the kernel ping the stack and exchange UDP echo with it, prints the round-trip times, and removes
 * everything. Needs root; says what is missing otherwise.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
    description = "Demo (as root): own stack on a TAP in a private network namespace, pinged and UDP-echoed by "
        + "the kernel there. Removes everything afterwards.")
public final class LabCommand implements Callable<Integer>
{
    static final String TAP = "ctlab0";
    static final String KERNEL_ADDRESS = "10.0.0.1";
    static final String STACK_ADDRESS = "10.0.0.2";

    @ParentCommand
    private Main parent;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s",
        converter = Main.DurationConverter.class,
        description = "How long the lab runs in total (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Record the stack's frames in this pcap file.")
    private Path pcap;

    @Override
    public Integer call() throws Exception
    {
        final PrintStream out = parent == null ? System.out : parent.out();
        final String missing = missingPrivileges();
        if (missing != null)
        {
            throw new LabException("lab " + missing);
        }
        final long endNs = System.nanoTime() + duration.toNanos();
        final EventLog log = new EventLog(out, "lab");
        try (NetworkNamespace ns = NetworkNamespace.create("ct-lab"))
        {
            out.println("conntest lab: namespace " + ns.name() + ", TAP " + TAP + "; kernel " + KERNEL_ADDRESS
                + "/24, own stack " + STACK_ADDRESS + "/24");
            final TapDevice tap = ns.call(() -> TapDevice.open(TAP, TapDevice.Mode.CREATE));
            final StackInstance instance;
            try
            {
                ns.linkUp(TAP);
                ns.addAddress(TAP, KERNEL_ADDRESS + "/24");
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

    /** What the lab lacks to run here, or null. */
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
