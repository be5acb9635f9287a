package io.conntest.tap;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.ipv6.Ipv6Counter;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.PcapWriterDevice;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpError;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpState;
import io.conntest.stack.tcp.TcpStats;
import io.conntest.stack.tcp.service.EchoService;
import io.conntest.stack.testing.Privileges;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Linux kernel's TCP over IPv6 as the peer of the stack's, across a real TAP in a private namespace
 * ({@code ct-tcp6-XXXXXXXX}: kernel fd00:c0:6::1/64, the stack fd00:c0:6::2/64 configured and through DAD, no route
 * out): seeded random bytes echoed each way and checked by SHA-256, also under nftables loss on the kernel's side and
 * the fault injector's loss, duplication and reordering on the stack's; refused connections both ways; nmap -6's SYN
 * scan; and a capture of the echo that tshark reads with no malformed packet or bad checksum of the stack's. The
 * kernel learns the stack's MAC by Neighbor Discovery and the stack the kernel's.
 */
class Ipv6TcpKernelInteropTest
{
    private static final long BYTES = 16L << 20;
    private static final String KERNEL = "fd00:c0:6::1";
    private static final String STACK = "fd00:c0:6::2";

    private NetworkNamespace ns;
    private TapDevice tap;
    private FrameDevice device;
    private Interface iface;
    private TcpProtocol tcp;

    @BeforeEach
    void setUp()
    {
        Privileges.assumeNetworkNamespaces();
        ns = NetworkNamespace.create("ct-tcp6");
        tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, offloadMode()));
        ns.linkUp("ct0");
        final CommandResult added = ns.exec("ip", "-6", "addr", "add", KERNEL + "/64", "dev", "ct0", "nodad");
        assertTrue(added.ok(), added.output());
        attach(tap);
    }

    /**
     * Plain here; {@link Ipv6TcpKernelInteropOffloadTest} runs it all on a TAP with offloads, where the kernel's
     * segments arrive with only the pseudo-header sum in their checksum (NEEDS_CSUM) and must be taken as they are.
     */
    OffloadMode offloadMode()
    {
        return OffloadMode.NONE;
    }

    /** A fresh interface on {@code frameDevice} with the stack's address; waits for DAD to pass. */
    private void attach(final FrameDevice frameDevice)
    {
        device = frameDevice;
        iface = new Interface(device, InterfaceConfig.builder("10.0.0.2/24").mac(0x02_00_00_00_00_02L).build());
        final long[] address = Ipv6Address.parse(STACK);
        iface.ipv6().addStaticAddress(address[0], address[1], 64);
        tcp = new TcpProtocol(new TcpConfig().minRtoNs(200_000_000L), 0x0A000002);
        iface.addProtocol(tcp);
        assertTrue(pumpUntil(() -> iface.ipv6().globalAddress() != null, 5_000_000_000L),
            "DAD for " + STACK + ": " + iface.ipv6().addresses());
    }

    @AfterEach
    void tearDown()
    {
        try
        {
            if (tap != null)
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

    private boolean pumpUntil(final BooleanSupplier done, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!done.getAsBoolean())
        {
            final long now = System.nanoTime();
            if (now > deadline)
            {
                return false;
            }
            if (!iface.poll(now))
            {
                final long at = iface.pollAtNs(now);
                device.awaitReceive(Math.max(0, Math.min(at - now, 1_000_000L)));
            }
        }
        return true;
    }

    /** In the namespace: connects to the stack's echo service over IPv6, sends BYTES, returns {sent, echoed} digests. */
    private static byte[][] kernelEchoClient(final long bytes, final int port) throws Exception
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(InetAddress.getByName(STACK), port), 5_000);
            assertTrue(socket.getInetAddress() instanceof Inet6Address);
            final MessageDigest sent = MessageDigest.getInstance("SHA-256");
            final MessageDigest echoed = MessageDigest.getInstance("SHA-256");
            final Thread reader = new Thread(() ->
            {
                try (InputStream in = socket.getInputStream())
                {
                    final byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) > 0)
                    {
                        echoed.update(buf, 0, n);
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            reader.start();
            final OutputStream out = socket.getOutputStream();
            final Random random = new Random(6);
            final byte[] chunk = new byte[65536];
            for (long done = 0; done < bytes; done += chunk.length)
            {
                random.nextBytes(chunk);
                sent.update(chunk);
                out.write(chunk);
            }
            socket.shutdownOutput();
            reader.join(120_000);
            return new byte[][] {sent.digest(), echoed.digest()};
        }
    }

    @Test
    void kernelClientToStackEchoServiceOverIpv6Hashed() throws Exception
    {
        final EchoService echo = new EchoService(tcp, 7, 16);
        final Future<byte[][]> client = ns.submit(() -> kernelEchoClient(BYTES, 7));
        final long t0 = System.nanoTime();
        assertTrue(pumpUntil(client::isDone, 120_000_000_000L), "kernel client finished; echoed " + echo.bytesOut());
        final double seconds = (System.nanoTime() - t0) / 1e9;
        final byte[][] digests = client.get();
        assertArrayEquals(digests[0], digests[1], "SHA-256 of sent and echoed bytes");
        assertEquals(BYTES, echo.bytesOut());
        assertEquals(0, tcp.counters().badChecksum);
        final TcpStats stats = echo.lastAccepted().stats(new TcpStats());
        // the kernel's SYN offered 1440 (1500 - 60); ours too; timestamps take 12
        assertEquals(1428, stats.mss);
        assertTrue(echo.lastAccepted().isIpv6());
        assertEquals(KERNEL, echo.lastAccepted().remoteAddressText());
        // each learned the other by Neighbor Discovery (RFC 4861 §7)
        assertTrue(iface.ipv6().neighbourState(KERNEL) != null, "the stack's neighbour cache has the kernel");
        final String neighbours = ns.exec("ip", "-6", "neigh", "show", "dev", "ct0").output();
        assertTrue(neighbours.contains(STACK + " lladdr 02:00:00:00:00:02"), neighbours);
        System.out.printf(Locale.ROOT, "ipv6 interop echo kernel->stack: %d MB each way in %.2f s (%.0f Mbit/s each "
            + "way)%n", BYTES >> 20, seconds, BYTES * 8 / seconds / 1e6);
    }

    @Test
    void stackClientToKernelEchoServerOverIpv6Hashed() throws Exception
    {
        final ServerSocket server = ns.call(() -> new ServerSocket(7007, 4, InetAddress.getByName(KERNEL)));
        final Future<Long> echoed = ns.submit(() -> kernelEcho(server));
        final TcpSocket s = tcp.openSocket();
        final long[] kernel = Ipv6Address.parse(KERNEL);
        assertTrue(s.connect6(kernel[0], kernel[1], 7007));
        final MessageDigest sent = MessageDigest.getInstance("SHA-256");
        final MessageDigest received = MessageDigest.getInstance("SHA-256");
        final Random random = new Random(4321);
        final byte[] chunk = new byte[65536];
        final UnsafeBuffer out = new UnsafeBuffer(chunk);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[65536]);
        final long[] written = {0};
        final long[] read = {0};
        final int[] pending = {0};
        final boolean[] eof = {false};
        final long t0 = System.nanoTime();
        assertTrue(pumpUntil(() ->
        {
            if (s.isEstablished() && written[0] < BYTES)
            {
                if (pending[0] == 0)
                {
                    random.nextBytes(chunk);
                    pending[0] = (int)Math.min(chunk.length, BYTES - written[0]);
                    sent.update(chunk, 0, pending[0]);
                }
                final int offset = (int)(written[0] % chunk.length);
                final int n = s.write(out, offset, pending[0] - offset);
                if (n > 0)
                {
                    written[0] += n;
                    if (written[0] % chunk.length == 0 || written[0] == BYTES)
                    {
                        pending[0] = 0;
                    }
                }
                if (written[0] == BYTES)
                {
                    s.shutdownOutput();
                }
            }
            int n;
            while ((n = s.read(in, 0, in.capacity())) > 0)
            {
                received.update(in.byteArray(), 0, n);
                read[0] += n;
            }
            eof[0] |= n < 0;
            return eof[0] || s.state() == TcpState.CLOSED;
        }, 120_000_000_000L), "read " + read[0] + " state " + s.state());
        final double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(BYTES, read[0]);
        assertArrayEquals(sent.digest(), received.digest(), "SHA-256 of sent and echoed bytes");
        assertEquals(BYTES, echoed.get().longValue());
        assertEquals(STACK, s.localAddressText());
        s.close();
        assertTrue(pumpUntil(() -> s.state() == TcpState.TIME_WAIT || s.state() == TcpState.CLOSED, 5_000_000_000L));
        assertEquals(TcpError.NONE, s.error());
        System.out.printf(Locale.ROOT, "ipv6 interop echo stack->kernel: %.2f s (%.0f Mbit/s each way), %s%n",
            seconds, BYTES * 8 / seconds / 1e6, s.stats(new TcpStats()));
        server.close();
    }

    private static long kernelEcho(final ServerSocket server) throws Exception
    {
        try (Socket socket = server.accept())
        {
            final InputStream in = socket.getInputStream();
            final OutputStream out = socket.getOutputStream();
            final byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0)
            {
                out.write(buf, 0, n);
                total += n;
            }
            socket.shutdownOutput();
            return total;
        }
    }

    @Test
    void echoOverIpv6UnderLossReorderingAndDuplicationBothWays() throws Exception
    {
        Privileges.assumeCommand("nft");
        nft("add", "table", "ip6", "ctloss");
        nft("add", "chain", "ip6", "ctloss", "in", "{ type filter hook input priority 0 ; }");
        nft("add", "chain", "ip6", "ctloss", "out", "{ type filter hook output priority 0 ; }");
        // TCP only: Neighbor Discovery is left alone, so what is measured is TCP's recovery
        nft("add", "rule", "ip6", "ctloss", "in", "ip6", "saddr", STACK, "meta", "l4proto", "tcp", "numgen", "random",
            "mod", "100", "<", "1", "drop");
        nft("add", "rule", "ip6", "ctloss", "out", "ip6", "daddr", STACK, "meta", "l4proto", "tcp", "numgen",
            "random", "mod", "100", "<", "1", "drop");
        tap.close();
        tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, offloadMode()));
        ns.linkUp("ct0");
        ns.exec("ip", "-6", "addr", "add", KERNEL + "/64", "dev", "ct0", "nodad");
        final FaultConfig faults = FaultConfig.none().drop(0.01).duplicate(0.005).reorder(0.01, 3);
        attach(FaultInjectingDevice.symmetric(tap, faults, 7, System::nanoTime));
        final EchoService echo = new EchoService(tcp, 7, 16);
        final long bytes = 4L << 20;
        final Future<byte[][]> client = ns.submit(() -> kernelEchoClient(bytes, 7));
        assertTrue(pumpUntil(client::isDone, 120_000_000_000L), "kernel client finished; echoed " + echo.bytesOut());
        final byte[][] digests = client.get();
        assertArrayEquals(digests[0], digests[1], "SHA-256 of sent and echoed bytes");
        assertEquals(bytes, echo.bytesOut());
        final TcpStats stats = echo.lastAccepted().stats(new TcpStats());
        assertTrue(stats.retransmissions > 0, stats.toString());
        System.out.println("ipv6 interop echo under 1%+1% loss, reordering, duplication: " + stats);
    }

    private void nft(final String... args)
    {
        final String[] command = new String[args.length + 1];
        command[0] = "nft";
        System.arraycopy(args, 0, command, 1, args.length);
        final CommandResult result = ns.exec(command);
        assertTrue(result.ok(), "nft " + String.join(" ", args) + ": " + result.output());
    }

    @Test
    void refusedBothWaysOverIpv6() throws Exception
    {
        final Future<Exception> kernel = ns.submit(() ->
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(InetAddress.getByName(STACK), 81), 5_000);
                return null;
            }
            catch (final Exception ex)
            {
                return ex;
            }
        });
        assertTrue(pumpUntil(kernel::isDone, 10_000_000_000L));
        assertTrue(kernel.get() instanceof ConnectException, String.valueOf(kernel.get()));
        assertEquals(1, tcp.counters().resetsForClosedPort);

        final TcpSocket s = tcp.openSocket();
        final long[] k = Ipv6Address.parse(KERNEL);
        assertTrue(s.connect6(k[0], k[1], 81));
        assertTrue(pumpUntil(() -> s.state() == TcpState.CLOSED, 10_000_000_000L));
        assertEquals(TcpError.REFUSED, s.error());
    }

    @Test
    void nmap6SynScanSeesOpenAndClosedPorts() throws Exception
    {
        Privileges.assumeCommand("nmap");
        new EchoService(tcp, 7, 16);
        final CompletableFuture<CommandResult> scan = CompletableFuture.supplyAsync(() -> ns.execWithTimeout(60_000,
            "nmap", "-6", "-n", "-Pn", "-sS", "--max-retries", "1", "-p", "7,81", STACK));
        assertTrue(pumpUntil(scan::isDone, 60_000_000_000L));
        final String out = scan.get().output();
        assertTrue(out.matches("(?s).*7/tcp\\s+open.*"), out);
        assertTrue(out.matches("(?s).*81/tcp\\s+closed.*"), out);
        assertEquals(0, iface.ipv6().counters().get(Ipv6Counter.IPV6_NO_TRANSPORT), "every probe reached TCP");
    }

    @Test
    void captureOfAnIpv6EchoHasNoMalformedPacketOrBadChecksumInTshark() throws Exception
    {
        Privileges.assumeCommand("tshark");
        final java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ct-tcp6-pcap");
        final java.nio.file.Path file = dir.resolve("tcp6.pcap");
        try
        {
            final PcapWriterDevice pcap = new PcapWriterDevice(tap, file);
            attach(pcap);
            new EchoService(tcp, 7, 16);
            final Future<byte[][]> client = ns.submit(() -> kernelEchoClient(1L << 20, 7));
            assertTrue(pumpUntil(client::isDone, 30_000_000_000L));
            final byte[][] digests = client.get();
            assertArrayEquals(digests[0], digests[1]);
            pumpUntil(() -> tcp.connectionCount() == 0, 500_000_000L);
            pcap.flush();
            final String all = tshark("-r", file.toString());
            assertTrue(all.lines().count() > 100, all);
            assertTrue(all.contains("ICMPv6") && all.contains("Neighbor"), "NDP in the capture");
            final String bad = tshark("-r", file.toString(), "-o", "tcp.check_checksum:TRUE",
                "-Y", "_ws.malformed || (ipv6.src == " + STACK + " && tcp.checksum.status == 0)");
            assertEquals("", bad.trim(), "malformed or bad checksum");
            final String tcp6 = tshark("-r", file.toString(), "-Y", "ipv6.src == " + STACK + " && tcp");
            assertTrue(tcp6.lines().count() > 50, tcp6);
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(file);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    private static String tshark(final String... args) throws Exception
    {
        final String[] command = new String[args.length + 1];
        command[0] = "tshark";
        System.arraycopy(args, 0, command, 1, args.length);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String text;
        try (InputStream in = process.getInputStream())
        {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), text);
        return text.lines().filter(line -> !line.startsWith("Running as user"))
            .reduce("", (a, b) -> a + b + "\n");
    }
}
