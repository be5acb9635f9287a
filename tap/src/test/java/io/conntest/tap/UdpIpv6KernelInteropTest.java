package io.conntest.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.ipv6.Ipv6Counter;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.PcapWriterDevice;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.Errno;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.testing.Privileges;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * The stack's UDP over IPv6 against the kernel's UDP sockets, a peer we did not write (issue 13): in a private
 * namespace ({@code ct-udp6-XXXXXXXX}, no route out) the kernel holds {@code fd00:c0:6::1/64} on the TAP
 * ({@code nodad}) and the stack {@code fd00:c0:6::2/64} (static, through its own DAD). Datagrams of 8 to 65,000 bytes
 * (those above the 1,500-byte MTU in fragments, cut by the kernel one way and by the stack the other) go from a kernel
 * socket to the stack's echo service and back, and from a stack socket to a kernel echo and back, every byte
 * compared; again under nftables dropping 5 % of the stack's packets each way (datagrams of up to 4,000 bytes, each
 * resent until echoed, a bounded number of times); a kernel socket connected to a closed stack port gets
 * ECONNREFUSED from the stack's ICMPv6 port unreachable, and a stack socket the same from the kernel's. The echo
 * run is recorded and tshark finds no malformed packet and no bad UDP checksum in it. The namespace goes in the end.
 */
class UdpIpv6KernelInteropTest
{
    private static final String KERNEL = "fd00:c0:6::1";
    private static final String STACK = "fd00:c0:6::2";
    private static final long MAC = 0x02_00_00_00_06_02L;
    private static final int[] SIZES = {8, 100, 1232, 1452, 1453, 4000, 9000, 65_000};
    /** Under loss: up to three fragments each way (a 65,000-byte one in 45 would rarely cross whole). */
    private static final int[] LOSSY_SIZES = {8, 100, 1232, 1452, 1453, 4000};

    private NetworkNamespace ns;
    private TapDevice tap;
    private FrameDevice device;
    private NetworkStack stack;

    @BeforeEach
    void setUp()
    {
        Privileges.assumeNetworkNamespaces();
        ns = NetworkNamespace.create("ct-udp6");
        tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, offloadMode()));
        ns.linkUp("ct0");
        ns.ip("addr", "add", KERNEL + "/64", "dev", "ct0", "nodad");
    }

    /** Plain here; {@link UdpIpv6KernelInteropOffloadTest} runs it all with offloads. */
    OffloadMode offloadMode()
    {
        return OffloadMode.NONE;
    }

    /** The TAP under test. */
    TapDevice tap()
    {
        return tap;
    }

    /** The stack under test, null before a test started it. */
    NetworkStack stack()
    {
        return stack;
    }

    /** The stack on {@code frames} (the TAP, or a recorder of it), its static address through DAD. */
    private void startStack(final FrameDevice frames)
    {
        device = frames;
        stack = new NetworkStack(frames, InterfaceConfig.builder("10.0.0.2/24").mac(MAC).seed(6).build());
        final long[] own = Ipv6Address.parse(STACK);
        stack.iface().ipv6().addStaticAddress(own[0], own[1], 64);
        assertTrue(pumpUntil(() -> stack.iface().ipv6().isOwnAddress(own[0], own[1]), 10_000_000_000L),
            "the static address passed DAD: " + stack.iface().ipv6().counters());
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

    /** Polls the stack until {@code done} or the timeout; idles in poll(2) on the TAP. */
    private boolean pumpUntil(final BooleanSupplier done, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!done.getAsBoolean())
        {
            final long now = System.nanoTime();
            if (now - deadline > 0)
            {
                return false;
            }
            if (!stack.poll(now))
            {
                device.awaitReceive(Math.max(1_000L, Math.min(stack.pollAtNs(now) - now, 1_000_000L)));
            }
        }
        return true;
    }

    /** Datagram {@code seq}: its number in the first four bytes, then seeded random bytes. */
    private static byte[] payload(final int seq, final int size)
    {
        final byte[] data = new byte[size];
        new Random(0x6_0000L + seq).nextBytes(data);
        data[0] = (byte)(seq >>> 24);
        data[1] = (byte)(seq >>> 16);
        data[2] = (byte)(seq >>> 8);
        data[3] = (byte)seq;
        return data;
    }

    private static int seqOf(final byte[] data, final int length)
    {
        return length < 4 ? -1 : (data[0] & 0xFF) << 24 | (data[1] & 0xFF) << 16 | (data[2] & 0xFF) << 8
            | (data[3] & 0xFF);
    }

    /**
     * A kernel socket sends {@code count} datagrams to the stack's echo port, each resent after {@code waitMs}
     * until its echo comes (at most {@code attempts} times), and compares every echo with what it sent; echoes of
     * earlier attempts arriving late are told apart by number and skipped.
     *
     * @return {sent datagrams (attempts), echoes matched, stale echoes skipped}
     */
    private static long[] kernelEchoClient(final DatagramSocket socket, final int[] sizes, final int count,
        final int waitMs, final int attempts) throws Exception
    {
        long sends = 0;
        long stale = 0;
        final byte[] in = new byte[65_535];
        socket.setSoTimeout(waitMs);
        for (int seq = 0; seq < count; seq++)
        {
            final byte[] out = payload(seq, sizes[seq % sizes.length]);
            boolean echoed = false;
            for (int attempt = 0; attempt < attempts && !echoed; attempt++)
            {
                sends++;
                try
                {
                    socket.send(new DatagramPacket(out, out.length));
                }
                catch (final java.io.IOException ex)
                {
                    // EPERM: nftables dropped it on output (a locally made packet's drop is told to its sender)
                    assertTrue(String.valueOf(ex.getMessage()).contains("not permitted"), ex.toString());
                }
                final long until = System.nanoTime() + waitMs * 1_000_000L;
                while (!echoed && System.nanoTime() - until < 0)
                {
                    final DatagramPacket p = new DatagramPacket(in, in.length);
                    try
                    {
                        socket.receive(p);
                    }
                    catch (final SocketTimeoutException ex)
                    {
                        break;
                    }
                    if (seqOf(in, p.getLength()) != seq)
                    {
                        stale++;
                        continue;
                    }
                    assertArrayEquals(out, Arrays.copyOf(in, p.getLength()), "echo of datagram " + seq);
                    echoed = true;
                }
            }
            assertTrue(echoed, "datagram " + seq + " (" + out.length + " bytes) echoed within " + attempts
                + " attempts");
        }
        return new long[] {sends, count, stale};
    }

    private DatagramSocket kernelSocket(final int port, final InetSocketAddress connectTo)
    {
        return ns.call(() ->
        {
            final DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(KERNEL), port));
            s.setReceiveBufferSize(1 << 20);
            if (connectTo != null)
            {
                s.connect(connectTo);
            }
            return s;
        });
    }

    private static InetSocketAddress stackAddress(final int port) throws Exception
    {
        return new InetSocketAddress(InetAddress.getByName(STACK), port);
    }

    @Test
    void rfc8200_8_kernelSocketAndStackEchoServiceExchangeEveryByteAndTsharkFindsNoBadChecksum() throws Exception
    {
        final Path dir = Files.createTempDirectory("ct-udp6");
        final Path pcap = dir.resolve("udp6.pcap");
        final PcapWriterDevice recorded = new PcapWriterDevice(tap, pcap);
        startStack(recorded);
        final UdpEchoService echo = new UdpEchoService(stack.udp(), 7);
        final int count = 4 * SIZES.length;
        final long[] result;
        try (DatagramSocket kernel = kernelSocket(0, stackAddress(7)))
        {
            final CompletableFuture<long[]> client =
                CompletableFuture.supplyAsync(() -> uncheck(() -> kernelEchoClient(kernel, SIZES, count, 2_000, 1)));
            assertTrue(pumpUntil(client::isDone, 60_000_000_000L), "the kernel client finished");
            result = client.get(5, TimeUnit.SECONDS);
        }
        assertEquals(count, result[0], "no datagram needed a second try on a clean link");
        assertEquals(count, echo.echoed());
        assertEquals(0, stack.udp().badChecksum() + stack.udp().zeroChecksumIpv6() + stack.udp().malformed());
        assertTrue(stack.iface().ipv6().counters().get(Ipv6Counter.IPV6_FRAGMENTS_SENT) > 0,
            "the large echoes left the stack in fragments");
        recorded.close();
        Privileges.assumeCommand("tshark");
        // with checksum offload the kernel's frames carry partial checksums on the TAP: only the stack's are whole
        final String errors = "udp.checksum.status == \"Bad\" || _ws.expert.severity == error";
        final CommandResult bad = ns.exec("tshark", "-r", pcap.toString(), "-o", "udp.check_checksum:TRUE", "-Y",
            "_ws.malformed || " + (offloadMode() == OffloadMode.NONE ? errors
            : "((" + errors + ") && ipv6.src == " + STACK + ")"));
        assertTrue(bad.ok(), bad.output());
        assertEquals("", withoutRootWarning(bad.output()), "tshark finds nothing malformed or badly summed");
        final CommandResult udp = ns.exec("tshark", "-r", pcap.toString(), "-Y", "udp && ipv6", "-T", "fields", "-e",
            "udp.length");
        assertTrue(udp.output().lines().filter(l -> !l.startsWith("Running as user")).count() >= 2L * count,
            "every datagram both ways in the capture");
    }

    @Test
    void aStackSocketExchangesEveryByteWithAKernelEcho() throws Exception
    {
        startStack(tap);
        final AtomicBoolean stop = new AtomicBoolean();
        try (DatagramSocket kernel = kernelSocket(5007, null))
        {
            final CompletableFuture<Long> kernelEcho = CompletableFuture.supplyAsync(() -> uncheck(() ->
            {
                long echoed = 0;
                final byte[] in = new byte[65_535];
                kernel.setSoTimeout(100);
                while (!stop.get())
                {
                    final DatagramPacket p = new DatagramPacket(in, in.length);
                    try
                    {
                        kernel.receive(p);
                    }
                    catch (final SocketTimeoutException ex)
                    {
                        continue;
                    }
                    kernel.send(new DatagramPacket(in, p.getLength(), p.getSocketAddress()));
                    echoed++;
                }
                return echoed;
            }));
            final Collector collector = new Collector();
            final UdpSocket socket = stack.udp().open(collector);
            socket.bind(6000);
            final long[] kernelAddr = Ipv6Address.parse(KERNEL);
            final int count = 4 * SIZES.length;
            for (int seq = 0; seq < count; seq++)
            {
                final byte[] out = payload(seq, SIZES[seq % SIZES.length]);
                collector.expect(seq);
                assertTrue(socket.sendTo6(kernelAddr[0], kernelAddr[1], 5007, new UnsafeBuffer(out), 0, out.length));
                assertTrue(pumpUntil(() -> collector.got != null, 5_000_000_000L), "echo of datagram " + seq + ": "
                    + Errno.name(socket.takeError()) + " " + stack.iface().ipv6().counters());
                assertArrayEquals(out, collector.got, "echo of datagram " + seq);
                assertEquals("fd00:c0:6::1 5007", collector.from);
            }
            stop.set(true);
            assertEquals(count, kernelEcho.get(5, TimeUnit.SECONDS));
            assertEquals(0, stack.udp().badChecksum() + stack.udp().zeroChecksumIpv6());
        }
        finally
        {
            stop.set(true);
        }
    }

    @Test
    void underFivePercentLossEachWayEveryDatagramIsEchoedIntactWithinBoundedResends() throws Exception
    {
        Privileges.assumeCommand("nft");
        startStack(tap);
        nft("add", "table", "inet", "ctloss");
        nft("add", "chain", "inet", "ctloss", "in", "{ type filter hook input priority 0 ; }");
        nft("add", "chain", "inet", "ctloss", "out", "{ type filter hook output priority 0 ; }");
        nft("add", "rule", "inet", "ctloss", "in", "ip6", "saddr", STACK, "numgen", "random", "mod", "100", "<", "5",
            "counter", "drop");
        nft("add", "rule", "inet", "ctloss", "out", "ip6", "daddr", STACK, "numgen", "random", "mod", "100", "<", "5",
            "counter", "drop");
        final UdpEchoService echo = new UdpEchoService(stack.udp(), 7);
        final int count = 300;
        final long[] result;
        try (DatagramSocket kernel = kernelSocket(0, stackAddress(7)))
        {
            final CompletableFuture<long[]> client =
                CompletableFuture.supplyAsync(() -> uncheck(() ->
                    kernelEchoClient(kernel, LOSSY_SIZES, count, 300, 30)));
            assertTrue(pumpUntil(client::isDone, 120_000_000_000L), "the kernel client finished");
            result = client.get(5, TimeUnit.SECONDS);
        }
        final CommandResult rules = ns.exec("nft", "list", "table", "inet", "ctloss");
        System.out.println("udp6 under loss: " + count + " datagrams, " + result[0] + " sends, " + result[2]
            + " stale echoes, stack echoed " + echo.echoed() + "; " + stack.iface().ipv6().counters() + "\n"
            + rules.output());
        assertTrue(result[0] > count, "some datagrams were lost and resent: " + result[0]);
        assertTrue(result[0] < 3L * count, "but not most: " + result[0]);
        assertEquals(0, stack.udp().badChecksum() + stack.udp().zeroChecksumIpv6() + stack.udp().malformed());
    }

    @Test
    void rfc4443_3_1_aClosedPortOnEitherSideAnswersPortUnreachable() throws Exception
    {
        startStack(tap);
        // the kernel, connected to a port no stack socket has: ECONNREFUSED from the stack's ICMPv6 error
        try (DatagramSocket kernel = kernelSocket(0, stackAddress(4444)))
        {
            final CompletableFuture<Throwable> client = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    kernel.setSoTimeout(500);
                    final byte[] in = new byte[100];
                    for (int i = 0; i < 10; i++)
                    {
                        kernel.send(new DatagramPacket(new byte[20], 20));
                        try
                        {
                            kernel.receive(new DatagramPacket(in, in.length));
                            return new AssertionError("a datagram came back from a closed port");
                        }
                        catch (final SocketTimeoutException ex)
                        {
                            // the neighbour was being resolved, or the error was rate limited: again
                        }
                    }
                    return new AssertionError("no ICMPv6 error in 10 tries");
                }
                catch (final Exception ex)
                {
                    return ex;
                }
            });
            assertTrue(pumpUntil(client::isDone, 20_000_000_000L));
            assertInstanceOf(PortUnreachableException.class, client.get(), "ECONNREFUSED on the kernel socket");
        }
        assertTrue(stack.udp().noSocket() >= 1);
        assertTrue(stack.iface().ipv6().counters().get(Ipv6Counter.ICMPV6_ERRORS_SENT) >= 1,
            stack.iface().ipv6().counters().toString());

        // the stack, sending to a port no kernel socket has: the kernel's ICMPv6 error is the socket's ECONNREFUSED
        final Collector collector = new Collector();
        final UdpSocket socket = stack.udp().open(collector);
        final long[] kernelAddr = Ipv6Address.parse(KERNEL);
        assertTrue(socket.sendTo6(kernelAddr[0], kernelAddr[1], 4445, new UnsafeBuffer(new byte[20]), 0, 20));
        assertTrue(pumpUntil(() -> collector.error != null, 5_000_000_000L), "an ICMPv6 error from the kernel");
        assertEquals("ECONNREFUSED 1/4 fd00:c0:6::1 4445", collector.error);
        assertTrue(socket.icmpErrorFromIpv6());
        assertEquals(KERNEL, Ipv6Address.format(socket.icmpErrorFromHi(), socket.icmpErrorFromLo()));
    }

    /** tshark's output without its warning about running as root. */
    private static String withoutRootWarning(final String output)
    {
        return output.lines().filter(l -> !l.startsWith("Running as user")).reduce("", (a, b) -> a + b + "\n")
            .trim();
    }

    private void nft(final String... args)
    {
        final String[] command = new String[args.length + 1];
        command[0] = "nft";
        System.arraycopy(args, 0, command, 1, args.length);
        final CommandResult result = ns.exec(command);
        assertTrue(result.ok(), "nft " + String.join(" ", args) + ": " + result.output());
    }

    /** A stack socket's listener: the echo of the datagram awaited, and the last ICMPv6 error. */
    private static final class Collector implements UdpSocketListener, UdpDatagramHandler
    {
        private int expected;
        private byte[] got;
        private String from;
        private String error;

        void expect(final int seq)
        {
            expected = seq;
            got = null;
        }

        @Override
        public void onReadable(final UdpSocket socket)
        {
            socket.receive(this, Integer.MAX_VALUE);
        }

        @Override
        public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            throw new AssertionError("an IPv4 datagram");
        }

        @Override
        public void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
            final int offset, final int length)
        {
            final byte[] data = new byte[length];
            buffer.getBytes(offset, data);
            if (seqOf(data, length) == expected)
            {
                got = data;
                from = Ipv6Address.format(srcHi, srcLo) + " " + srcPort;
            }
        }

        @Override
        public void onIcmpv6Error(final UdpSocket socket, final int errno, final int icmpType, final int icmpCode,
            final long remoteHi, final long remoteLo, final int remotePort)
        {
            error = Errno.name(errno) + " " + icmpType + "/" + icmpCode + " " + Ipv6Address.format(remoteHi,
                remoteLo) + " " + remotePort;
        }
    }

    private interface Body<T>
    {
        T run() throws Exception;
    }

    private static <T> T uncheck(final Body<T> body)
    {
        try
        {
            return body.run();
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
