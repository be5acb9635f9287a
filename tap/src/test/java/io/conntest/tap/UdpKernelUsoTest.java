package io.conntest.tap;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.Offloads;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.socket.UdpSockets;
import io.conntest.stack.testing.Privileges;
import io.conntest.stack.wire.MacAddress;
import io.conntest.tap.netns.NetworkNamespace;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel UDP into the stack over a TAP with offloads (issue 9): a kernel socket sends with {@code UDP_SEGMENT}
 * (30 datagrams of 1,000 bytes per write). Where the TAP negotiated USO4 the kernel hands it each write as one
 * super-datagram ({@code GSO_UDP_L4}), which the stack's interface splits; without USO the kernel cuts them itself.
 * Either way the stack's socket receives every datagram, 1,000 bytes each, byte-exact and in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpKernelUsoTest
{
    /** The few socket calls the kernel's side needs; addresses of direct memory passed as {@code long}. */
    public interface SocketCalls
    {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int optname, long optval, int optlen);

        int connect(int fd, long sockaddr, int length);

        long write(int fd, long buffer, long count);

        int close(int fd);
    }

    private static final int SEGMENT = 1_000;
    private static final int PER_WRITE = 30;
    private static final int WRITES = 10;
    private static final int PORT = 9_000;
    private static final long MAC = 0x02_00_00_00_00_02L;

    private static byte pattern(final long position)
    {
        final long x = position * 0x9E3779B97F4A7C15L;
        return (byte)(x >>> 56 ^ x >>> 29);
    }

    @Test
    void everyDatagramOfAGsoSenderArrivesWhole() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-uso");
        TapDevice tap = null;
        try
        {
            tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, OffloadMode.AUTO));
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            // The kernel sends at once (no ARP round first), so the super-datagrams are not held in its queue.
            ns.ip("neigh", "replace", "10.0.0.2", "lladdr", MacAddress.toString(MAC), "dev", "ct0", "nud",
                "permanent");
            final Interface stack = new Interface(tap, InterfaceConfig.builder("10.0.0.2/24").mac(MAC).build());
            final UdpSockets udp = new UdpSockets();
            stack.addProtocol(udp);
            final UdpSocket socket = udp.open(new UdpSocketListener()
            {
            }, 1 << 22, 1 << 22);
            assertEquals(PORT, socket.bind(PORT));

            final boolean gso = ns.call(UdpKernelUsoTest::send);
            assertTrue(gso, "the kernel takes UDP_SEGMENT");

            final int expected = PER_WRITE * WRITES;
            final long[] received = {0};
            final long[] wrong = {0};
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (received[0] < expected && System.nanoTime() < deadline)
            {
                final long now = System.nanoTime();
                if (!stack.poll(now))
                {
                    tap.awaitReceive(10_000_000L);
                }
                socket.receive((srcAddr, srcPort, buffer, offset, length) ->
                {
                    final long start = received[0] * SEGMENT;
                    boolean same = length == SEGMENT;
                    for (int i = 0; same && i < length; i++)
                    {
                        same = buffer.getByte(offset + i) == pattern(start + i);
                    }
                    if (!same)
                    {
                        wrong[0]++;
                    }
                    received[0]++;
                }, 1_000);
            }
            final long superFrames = stack.counters().get(InterfaceCounter.RX_UDP_SUPER_FRAMES);
            System.out.println("uso: offloads " + Offloads.describe(tap.offloads()) + ", " + received[0]
                + " datagrams from " + superFrames + " super-datagrams");
            assertEquals(expected, received[0], "every datagram received");
            assertEquals(0, wrong[0], "datagrams of 1,000 bytes, in order, byte-exact");
            assertEquals(0, stack.counters().get(InterfaceCounter.RX_UDP_SUPER_FRAME_MALFORMED));
            assertEquals(0, udp.badChecksum());
            if ((tap.offloads() & Offloads.USO4) != 0)
            {
                assertTrue(superFrames > 0, "with USO4 the kernel hands up super-datagrams");
            }
            else
            {
                System.out.println("uso: this kernel refused USO4; it cut the datagrams itself");
            }
        }
        finally
        {
            if (tap != null)
            {
                tap.close();
            }
            ns.close();
        }
    }

    /**
     * The other way (USO on send): the stack's socket sends WRITES super-datagrams of PER_WRITE datagrams each
     * ({@code sendSegmented}); a kernel socket receives every datagram, 1,000 bytes each, byte-exact and in order.
     * The run is recorded (pcap, super-frames whole) and tshark finds no malformed packet in it. Where the TAP did
     * not negotiate USO4 the test says so and sends nothing segmented.
     */
    @Test
    void aKernelSocketReceivesEveryDatagramOfASegmentedSend() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-uso");
        TapDevice tap = null;
        java.nio.channels.DatagramChannel kernel = null;
        final java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ct-uso-pcap");
        final java.nio.file.Path file = dir.resolve("uso.pcap");
        io.conntest.stack.phy.PcapWriterDevice pcap = null;
        try
        {
            tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, OffloadMode.AUTO));
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            kernel = ns.call(() ->
            {
                final java.nio.channels.DatagramChannel c = java.nio.channels.DatagramChannel.open(
                    java.net.StandardProtocolFamily.INET);
                c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
                c.bind(new java.net.InetSocketAddress("10.0.0.1", PORT));
                c.configureBlocking(false);
                return c;
            });
            pcap = new io.conntest.stack.phy.PcapWriterDevice(tap, file);
            final Interface stack = new Interface(pcap, InterfaceConfig.builder("10.0.0.2/24").mac(MAC).build());
            final UdpSockets udp = new UdpSockets();
            stack.addProtocol(udp);
            final UdpSocket socket = udp.open(new UdpSocketListener()
            {
            }, 1 << 22, 1 << 22);
            final int kernelAddress = 0x0A00_0001;
            final UnsafeBuffer data = new UnsafeBuffer(new byte[SEGMENT * PER_WRITE]);
            // one plain datagram first: the stack resolves the kernel's MAC (ARP) and sends it
            socket.sendTo(kernelAddress, PORT, data, 0, 0);
            final java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(65_536);
            final long resolveBy = System.nanoTime() + 10_000_000_000L;
            java.net.SocketAddress first = null;
            while (first == null && System.nanoTime() < resolveBy)
            {
                if (!stack.poll(System.nanoTime()))
                {
                    tap.awaitReceive(1_000_000L);
                }
                first = kernel.receive(in);
            }
            assertTrue(first != null, "the resolving datagram arrived");
            if (!socket.canSendSegmented())
            {
                System.out.println("uso send: this kernel refused USO4 (" + Offloads.describe(tap.offloads())
                    + "); nothing to test");
                return;
            }
            for (int w = 0; w < WRITES; w++)
            {
                final long base = (long)w * PER_WRITE * SEGMENT;
                for (int i = 0; i < PER_WRITE * SEGMENT; i++)
                {
                    data.putByte(i, pattern(base + i));
                }
                assertTrue(socket.sendSegmented(kernelAddress, PORT, data, 0, PER_WRITE * SEGMENT, SEGMENT),
                    "super-datagram " + w + " went to the device");
                stack.poll(System.nanoTime());
            }
            final int expected = PER_WRITE * WRITES;
            long received = 0;
            long wrong = 0;
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (received < expected && System.nanoTime() < deadline)
            {
                stack.poll(System.nanoTime());
                in.clear();
                if (kernel.receive(in) == null)
                {
                    Thread.onSpinWait();
                    continue;
                }
                in.flip();
                final long start = received * SEGMENT;
                boolean same = in.remaining() == SEGMENT;
                for (int i = 0; same && i < SEGMENT; i++)
                {
                    same = in.get(i) == pattern(start + i);
                }
                if (!same)
                {
                    wrong++;
                }
                received++;
            }
            System.out.println("uso send: " + received + " datagrams from " + udp.segmentedSends()
                + " super-datagrams, offloads " + Offloads.describe(tap.offloads()));
            assertEquals(expected, received, "every datagram received by the kernel");
            assertEquals(0, wrong, "datagrams of 1,000 bytes, in order, byte-exact");
            assertEquals(WRITES, udp.segmentedSends());
            pcap.flush();
            Privileges.assumeCommand("tshark");
            final io.conntest.tap.netns.CommandResult big = ns.exec("tshark", "-r", file.toString(), "-Y",
                "udp && frame.len > 1514");
            final io.conntest.tap.netns.CommandResult bad = ns.exec("tshark", "-r", file.toString(), "-Y",
                "_ws.malformed || ip.checksum.status == 0");
            final long superFrames = big.output().lines().filter(l -> l.contains("UDP")).count();
            System.out.println("uso send: tshark read " + superFrames + " UDP super-frames");
            assertEquals(WRITES, superFrames, big.output());
            assertTrue(bad.output().lines().noneMatch(l -> l.contains("UDP") || l.contains("Malformed")),
                bad.output());
        }
        finally
        {
            if (pcap != null)
            {
                pcap.close();
            }
            java.nio.file.Files.deleteIfExists(file);
            java.nio.file.Files.deleteIfExists(dir);
            if (kernel != null)
            {
                kernel.close();
            }
            if (tap != null)
            {
                tap.close();
            }
            ns.close();
        }
    }

    /** In the namespace: WRITES writes of PER_WRITE datagrams through UDP_SEGMENT; whether the kernel took it. */
    private static boolean send()
    {
        final SocketCalls c = LibraryLoader.create(SocketCalls.class)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
        final UnsafeBuffer scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        final UnsafeBuffer data = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SEGMENT * PER_WRITE, 64));
        final int s = c.socket(2, 2, 0);
        assertTrue(s >= 0, "socket");
        try
        {
            scratch.putInt(0, SEGMENT, ByteOrder.nativeOrder());
            final boolean gso = c.setsockopt(s, 17, 103, scratch.addressOffset(), 4) == 0;
            scratch.setMemory(16, 16, (byte)0);
            scratch.putShort(16, (short)2, ByteOrder.nativeOrder());
            scratch.putShort(18, (short)PORT, ByteOrder.BIG_ENDIAN);
            scratch.putInt(20, 0x0A00_0002, ByteOrder.BIG_ENDIAN);
            assertEquals(0, c.connect(s, scratch.addressOffset() + 16, 16), "connect");
            for (int w = 0; w < WRITES; w++)
            {
                final long base = (long)w * PER_WRITE * SEGMENT;
                for (int i = 0; i < PER_WRITE * SEGMENT; i++)
                {
                    data.putByte(i, pattern(base + i));
                }
                assertEquals(PER_WRITE * SEGMENT, c.write(s, data.addressOffset(), PER_WRITE * SEGMENT), "write");
            }
            return gso;
        }
        finally
        {
            c.close(s);
        }
    }
}
