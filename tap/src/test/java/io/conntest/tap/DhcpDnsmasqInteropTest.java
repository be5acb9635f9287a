package io.conntest.tap;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.dhcp.DhcpConfig;
import io.conntest.stack.dhcp.DhcpCounter;
import io.conntest.stack.dhcp.DhcpLease;
import io.conntest.stack.dhcp.DhcpListener;
import io.conntest.stack.dhcp.DhcpState;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.testing.Privileges;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.MacAddress;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack's DHCP client (RFC 2131) against dnsmasq, a server we did not write, in a private namespace
 * ({@code ct-dhcp-XXXXXXXX}: a bridge {@code br0} holding 10.77.0.1/24 with the stacks' TAPs on it, no route out).
 * dnsmasq serves 10.77.0.100–110 with router 10.77.0.1, DNS 10.77.0.53, MTU 1400 (applied: the replies to a
 * 1428-byte ping leave in fragments), a 2-minute lease (its minimum)
 * and T1 = 4 s, T2 = 100 s through {@code dhcp-option=option:T1/T2} (dnsmasq ≥ 2.80 sends them as given), so the
 * renewal happens within the test without any override in the client. A third stack's MAC is pinned by
 * {@code dhcp-host} to 10.77.0.105, which the kernel's bridge also holds: the ARP probe (RFC 5227) finds it in use
 * and the client declines it. dnsmasq runs in the foreground with its own pid file and lease file under a temp
 * directory, no DNS ({@code --port=0}), bound to br0 only; it is killed by its PID and the namespace removed after.
 */
class DhcpDnsmasqInteropTest
{
    private static final long CONFLICT_MAC = 0x02_00_00_00_00_0CL;
    private static final int CONFLICT = Ipv4Address.parse("10.77.0.105");

    private NetworkNamespace ns;
    private Path dir;
    private Process dnsmasq;
    private final List<NetworkStack> stacks = new ArrayList<>();
    private final List<TapDevice> taps = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("dnsmasq");
        Privileges.assumeCommand("ping");
        ns = NetworkNamespace.create("ct-dhcp");
        ns.addBridge("br0");
        ns.addAddress("br0", "10.77.0.1/24");
        dir = Files.createTempDirectory("ct-dhcp");
    }

    @AfterEach
    void tearDown() throws Exception
    {
        try
        {
            stopDnsmasq();
            for (final TapDevice tap : taps)
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
            if (dir != null)
            {
                try (Stream<Path> files = Files.walk(dir))
                {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void leaseRenewalSecondInstanceConflictDeclineAndKernelPing() throws Exception
    {
        startDnsmasq();
        final Recorder first = new Recorder();
        final Recorder second = new Recorder();
        final Recorder third = new Recorder();
        final NetworkStack a = stack("ct0", 0x02_00_00_00_00_0AL, first, 1);
        final NetworkStack b = stack("ct1", 0x02_00_00_00_00_0BL, second, 2);

        assertTrue(runUntil(() -> a.dhcp().state() == DhcpState.BOUND && b.dhcp().state() == DhcpState.BOUND,
            40_000), "both bound: " + first.events + " / " + second.events + "\n" + log());
        final DhcpLease lease = a.dhcp().lease();
        final DhcpLease other = b.dhcp().lease();
        System.out.println("dnsmasq leases: " + lease + " / " + other);
        for (final DhcpLease l : List.of(lease, other))
        {
            assertTrue(l.address() >= Ipv4Address.parse("10.77.0.100") && l.address() <= Ipv4Address.parse(
                "10.77.0.110"), "in dnsmasq's range: " + l);
            assertEquals(24, l.prefixLength());
            assertEquals(Ipv4Address.parse("10.77.0.1"), l.gateway());
            assertArrayEquals(new int[] {Ipv4Address.parse("10.77.0.53")}, l.dns());
            assertEquals(1400, l.mtu());
            assertEquals(120, l.leaseSecs());
            assertEquals(4, l.t1Secs());
            assertEquals(100, l.t2Secs());
            assertEquals(Ipv4Address.parse("10.77.0.1"), l.server());
        }
        assertNotEquals(lease.address(), other.address(), "the second instance gets another address");
        assertEquals(lease.address(), a.iface().ipv4().address());

        // the kernel reaches the leased address: ICMP echo from the kernel to the stack
        final CommandResult ping = whileRunning(() -> ns.execWithTimeout(15_000, "ping", "-n", "-c", "3", "-i",
            "0.2", "-W", "2", Ipv4Address.toString(lease.address())), 20_000);
        assertTrue(ping.output().contains("3 packets transmitted, 3 received"), ping.output());
        // the lease's MTU (1400, below the TAP's 1500) applies: a 1428-byte echo goes back in two fragments
        assertEquals(1400, a.iface().mtu());
        final CommandResult big = whileRunning(() -> ns.execWithTimeout(15_000, "ping", "-n", "-c", "2", "-i",
            "0.2", "-W", "2", "-s", "1400", Ipv4Address.toString(lease.address())), 20_000);
        assertTrue(big.output().contains("2 packets transmitted, 2 received"), big.output());
        assertEquals(4, a.iface().counters().get(InterfaceCounter.FRAGMENTS_SENT));

        // T1 = 4 s: a renewal by unicast to dnsmasq, acknowledged
        assertTrue(runUntil(() -> first.events.stream().anyMatch(e -> e.startsWith("renewed")), 20_000),
            first.events + "\n" + log());
        assertEquals(lease.address(), a.iface().ipv4().address());
        assertEquals(DhcpState.BOUND, a.dhcp().state());

        // the pinned address is held by the kernel: the probe finds it, DECLINE, no use of it
        final NetworkStack c = stack("ct2", CONFLICT_MAC, third, 3);
        assertTrue(runUntil(() -> third.events.stream().anyMatch(e -> e.startsWith("declined")), 30_000),
            third.events + "\n" + log());
        assertFalse(c.iface().ipv4().isAssigned());
        assertEquals(1, c.dhcp().counters().get(DhcpCounter.DECLINES_SENT));
        assertTrue(third.events.get(third.events.size() - 1).startsWith("declined 10.77.0.105 held by "),
            third.events.toString());
        assertTrue(runUntil(() -> log().contains("DHCPDECLINE"), 5_000), "dnsmasq saw the DECLINE:\n" + log());
        // dnsmasq's broadcast replies to the other stacks are seen and dropped as other transactions; nothing else
        assertEquals(0, a.dhcp().counters().totalDrops() - a.dhcp().counters().get(DhcpCounter.NOT_OUR_TRANSACTION),
            a.dhcp().counters().toString());
        System.out.println("dnsmasq events: " + first.events + " / " + second.events + " / " + third.events);
    }

    private NetworkStack stack(final String tapName, final long mac, final Recorder recorder, final long seed)
    {
        final TapDevice tap = ns.call(() -> TapDevice.open(tapName, TapDevice.Mode.CREATE));
        taps.add(tap);
        ns.setMaster(tapName, "br0");
        ns.linkUp(tapName);
        final NetworkStack stack = new NetworkStack(tap, InterfaceConfig.unassigned().mac(mac).seed(seed).build());
        stack.startDhcp(DhcpConfig.builder().seed(seed).build(), recorder);
        stacks.add(stack);
        return stack;
    }

    private void startDnsmasq() throws IOException
    {
        // the kernel holds the address dnsmasq pins for the third stack: the conflict its ARP probe must find
        ns.addAddress("br0", "10.77.0.105/24");
        final List<String> command = new ArrayList<>(List.of(NetworkNamespace.ipCommand(), "netns", "exec",
            ns.name(), "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
            "--interface=br0", "--bind-interfaces", "--except-interface=lo", "--no-ping", "--dhcp-authoritative",
            "--pid-file=" + dir.resolve("dnsmasq.pid"), "--dhcp-leasefile=" + dir.resolve("leases"),
            "--log-dhcp", "--log-facility=" + dir.resolve("dnsmasq.log"),
            "--dhcp-range=10.77.0.100,10.77.0.110,255.255.255.0,2m",
            "--dhcp-option=option:router,10.77.0.1", "--dhcp-option=option:dns-server,10.77.0.53",
            "--dhcp-option=option:mtu,1400", "--dhcp-option=option:T1,4", "--dhcp-option=option:T2,100",
            "--dhcp-host=" + MacAddress.toString(CONFLICT_MAC) + ",10.77.0.105"));
        dnsmasq = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(dir.resolve("dnsmasq.pid")) && System.nanoTime() < deadline && dnsmasq.isAlive())
        {
            Thread.onSpinWait();
        }
        assertTrue(dnsmasq.isAlive(), "dnsmasq did not start: " + log());
    }

    private void stopDnsmasq() throws Exception
    {
        if (dnsmasq == null)
        {
            return;
        }
        // ip netns exec execs dnsmasq in place: the process we started is dnsmasq, killed by its PID
        dnsmasq.destroy();
        if (!dnsmasq.waitFor(5, TimeUnit.SECONDS))
        {
            dnsmasq.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String log()
    {
        try
        {
            final Path log = dir.resolve("dnsmasq.log");
            final Path out = dir.resolve("dnsmasq.out");
            return (Files.exists(log) ? Files.readString(log) : "") + (Files.exists(out) ? Files.readString(out) : "");
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    /** Polls every stack until {@code done} or {@code timeoutMs}. */
    private boolean runUntil(final BooleanSupplier done, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            pollOnce();
        }
        return true;
    }

    private CommandResult whileRunning(final java.util.function.Supplier<CommandResult> command, final long timeoutMs)
        throws Exception
    {
        final CompletableFuture<CommandResult> done = CompletableFuture.supplyAsync(command);
        runUntil(done::isDone, timeoutMs);
        return done.get();
    }

    private void pollOnce()
    {
        boolean busy = false;
        for (final NetworkStack stack : stacks)
        {
            busy |= stack.poll(System.nanoTime());
        }
        if (!busy)
        {
            taps.get(0).awaitReceive(1_000_000L);
        }
    }

    /** The client's events as text lines. */
    private static final class Recorder implements DhcpListener
    {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onOffer(final int address, final int server, final long nowNs)
        {
            events.add("offer " + Ipv4Address.toString(address));
        }

        @Override
        public void onBound(final DhcpLease lease, final long nowNs)
        {
            events.add("bound " + lease);
        }

        @Override
        public void onRenewed(final DhcpLease lease, final long nowNs)
        {
            events.add("renewed " + lease);
        }

        @Override
        public void onNak(final int server, final long nowNs)
        {
            events.add("nak");
        }

        @Override
        public void onDeclined(final int address, final long conflictMac, final long nowNs)
        {
            events.add("declined " + Ipv4Address.toString(address) + " held by " + MacAddress.toString(conflictMac));
        }
    }
}
