package io.conntest.tap;

import io.conntest.stack.testing.Privileges;
import io.conntest.tap.libc.Errno;
import io.conntest.tap.netns.NetworkNamespace;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TAP binding against the Linux kernel, inside a private network namespace made by each test. */
class TapDeviceTest
{
    private static final int KERNEL_IP = 0x0A000001; // 10.0.0.1 on the kernel side of the TAP
    private static final int OUR_IP = 0x0A000002;    // 10.0.0.2 is "us", the frames we write
    private static final long OUR_MAC = 0x02_00_00_00_00_02L;

    private NetworkNamespace ns;

    @BeforeEach
    void createNamespace()
    {
        Privileges.assumeNetworkNamespaces();
        ns = NetworkNamespace.create("ct-device");
    }

    @AfterEach
    void removeNamespace()
    {
        if (ns != null)
        {
            ns.close();
            assertFalse(ns.exists(), "namespace removed");
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    private TapDevice openUp(final String ifname)
    {
        final TapDevice tap = ns.call(() -> TapDevice.open(ifname, TapDevice.Mode.CREATE));
        ns.linkUp(ifname);
        ns.addAddress(ifname, "10.0.0.1/24");
        return tap;
    }

    /** Receives until a frame matches or 5 s passed, sleeping in awaitReceive in between. */
    private static boolean awaitFrame(final TapDevice tap, final Predicate<DirectBuffer> match)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[TapDevice.MAX_FRAME]);
        final boolean[] found = new boolean[1];
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (!found[0] && System.nanoTime() < deadline)
        {
            tap.receive((buffer, offset, length) ->
            {
                copy.wrap(new byte[length]);
                copy.putBytes(0, buffer, offset, length);
                if (match.test(copy))
                {
                    found[0] = true;
                }
            }, 64);
            if (!found[0])
            {
                tap.awaitReceive(100_000_000L);
            }
        }
        return found[0];
    }

    private static boolean isArpRequestFor(final DirectBuffer frame, final int targetIp)
    {
        return frame.capacity() >= 42
            && (frame.getShort(12, ByteOrder.BIG_ENDIAN) & 0xFFFF) == 0x0806
            && frame.getShort(20, ByteOrder.BIG_ENDIAN) == 1
            && frame.getInt(38, ByteOrder.BIG_ENDIAN) == targetIp;
    }

    private static long mac(final DirectBuffer frame, final int offset)
    {
        return ((long)(frame.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF) << 32)
            | (frame.getInt(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFFFFFFL);
    }

    private static void putMac(final MutableDirectBuffer b, final int offset, final long mac)
    {
        b.putShort(offset, (short)(mac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(offset + 2, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Has the kernel send {@code text} in a UDP datagram to 10.0.0.2 ("us"), which it resolves first: returns the
     * kernel's MAC from the ARP request that comes out of the TAP (the datagram stays held until we answer).
     */
    private long kernelMacFromItsArpRequest(final TapDevice tap, final String text, final String what)
    {
        ns.call(() ->
        {
            try (DatagramSocket socket = new DatagramSocket())
            {
                final byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName("10.0.0.2"), 9));
            }
            return null;
        });
        final long[] found = new long[1];
        assertTrue(awaitFrame(tap, frame ->
        {
            if (isArpRequestFor(frame, OUR_IP))
            {
                found[0] = mac(frame, 6);
                return true;
            }
            return false;
        }), what);
        return found[0];
    }

    /** An ARP reply "10.0.0.2 is at OUR_MAC" to {@code kernelMac}; returns its length. */
    private static int writeArpReply(final MutableDirectBuffer b, final long kernelMac)
    {
        putMac(b, 0, kernelMac);
        putMac(b, 6, OUR_MAC);
        b.putShort(12, (short)0x0806, ByteOrder.BIG_ENDIAN);
        b.putShort(14, (short)1, ByteOrder.BIG_ENDIAN);
        b.putShort(16, (short)0x0800, ByteOrder.BIG_ENDIAN);
        b.putByte(18, (byte)6);
        b.putByte(19, (byte)4);
        b.putShort(20, (short)2, ByteOrder.BIG_ENDIAN);
        putMac(b, 22, OUR_MAC);
        b.putInt(28, OUR_IP, ByteOrder.BIG_ENDIAN);
        putMac(b, 32, kernelMac);
        b.putInt(38, KERNEL_IP, ByteOrder.BIG_ENDIAN);
        return 42;
    }

    @Test
    void kernelArpRequestArrivesAndOurReplyFillsItsNeighbourTable() throws Exception
    {
        try (TapDevice tap = openUp("ct0"))
        {
            assertTrue(tap.created());
            // The kernel resolves 10.0.0.2 before it sends the datagram: its ARP request comes out of the TAP.
            final long kernelMac = kernelMacFromItsArpRequest(tap, "hello tap", "ARP request for 10.0.0.2 received");
            assertTrue(tap.rxFrames() >= 1);

            final MutableDirectBuffer out = tap.claim(64);
            assertNotNull(out);
            tap.commit(writeArpReply(out, kernelMac));
            assertEquals(1, tap.txFrames());

            // The kernel learnt our MAC and sends the datagram it held: UDP to port 9 with our payload.
            assertTrue(awaitFrame(tap, frame -> frame.capacity() >= 51
                && mac(frame, 0) == OUR_MAC
                && (frame.getShort(12, ByteOrder.BIG_ENDIAN) & 0xFFFF) == 0x0800
                && frame.getByte(23) == 17
                && frame.getStringWithoutLengthAscii(42, 9).equals("hello tap")), "held UDP datagram received");
            final String neigh = ns.ip("neigh", "show", "10.0.0.2", "dev", "ct0").output();
            assertTrue(neigh.contains("02:00:00:00:00:02"), neigh);
        }
    }

    @Test
    void withOffloadsTheKernelAcceptsChecksumAndTsoAndFramesCarryTheirMetadata() throws Exception
    {
        final TapDevice tap = ns.call(() -> TapDevice.open("ct1", TapDevice.Mode.CREATE, OffloadMode.AUTO));
        try (tap)
        {
            ns.linkUp("ct1");
            ns.addAddress("ct1", "10.0.0.1/24");
            assertEquals(io.conntest.stack.wire.VirtioNetHeader.LEGACY_LENGTH, tap.vnetHeaderLength());
            assertEquals(io.conntest.stack.phy.Offloads.CSUM | io.conntest.stack.phy.Offloads.TSO4,
                tap.offloads() & (io.conntest.stack.phy.Offloads.CSUM | io.conntest.stack.phy.Offloads.TSO4),
                "this kernel takes CSUM and TSO4: " + tap);
            final long kernelMac = kernelMacFromItsArpRequest(tap, "hello vnet",
                "ARP request for 10.0.0.2 received behind a virtio-net header");
            final MutableDirectBuffer out = tap.claim(64);
            tap.commit(writeArpReply(out, kernelMac));
            assertEquals(1, tap.txFrames());
            // The kernel's UDP leaves its checksum for the device to fill (CHECKSUM_PARTIAL): NEEDS_CSUM here.
            final io.conntest.stack.phy.FrameMetadata[] seen = {null};
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (seen[0] == null && System.nanoTime() < deadline)
            {
                tap.receive(new io.conntest.stack.phy.FrameHandler()
                {
                    @Override
                    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
                    {
                    }

                    @Override
                    public void onFrame(final DirectBuffer buffer, final int offset, final int length,
                        final io.conntest.stack.phy.FrameMetadata metadata)
                    {
                        if (length >= 52 && buffer.getByte(offset + 23) == 17 &&
                            buffer.getStringWithoutLengthAscii(offset + 42, 10).equals("hello vnet"))
                        {
                            seen[0] = new io.conntest.stack.phy.FrameMetadata().copyFrom(metadata);
                        }
                    }
                }, 64);
                if (seen[0] == null)
                {
                    tap.awaitReceive(100_000_000L);
                }
            }
            assertNotNull(seen[0], "UDP datagram received");
            assertTrue(seen[0].checksumTrusted(), seen[0].toString());
            assertEquals(0, tap.rxDropsBadHeader());
        }
    }

    @Test
    void mtuAndLinkStateReadBack()
    {
        try (TapDevice tap = ns.call(() -> TapDevice.open("ct0")))
        {
            assertEquals(1500, tap.mtu());
            assertFalse(tap.isLinkUp(), "a new TAP is down");
            assertNotNull(tap.linkWarning());
            tap.bringUp();
            assertTrue(tap.isLinkUp());
            assertNull(tap.linkWarning());
            tap.setMtu(1400);
            assertEquals(1400, tap.mtu());
            assertTrue(ns.ip("link", "show", "ct0").output().contains("mtu 1400"));
            ns.ip("link", "set", "ct0", "down");
            assertFalse(tap.isLinkUp());
            // Writing while down is counted, not thrown.
            tap.claim(60).setMemory(0, 60, (byte)0xFF);
            tap.commit(60);
            assertEquals(1, tap.txDropsLinkDown());
        }
    }

    /**
     * Offloads belong to the device: a persistent TAP opened with them, closed, then opened plain must not keep
     * them, or the kernel hands the plain reader partial checksums (found by the bench: a plain stack after an
     * offloaded one on the same TAP could not connect). The kernel's UDP datagram arrives with a full checksum.
     */
    @Test
    void aPlainOpenClearsTheOffloadsAnEarlierOpenLeftOnAPersistentTap() throws Exception
    {
        ns.addTap("ct6");
        ns.call(() -> TapDevice.open("ct6", TapDevice.Mode.ATTACH, OffloadMode.AUTO)).close();
        try (TapDevice tap = ns.call(() -> TapDevice.open("ct6", TapDevice.Mode.ATTACH, OffloadMode.NONE)))
        {
            ns.linkUp("ct6");
            ns.addAddress("ct6", "10.0.0.1/24");
            ns.ip("neigh", "replace", "10.0.0.2", "lladdr", io.conntest.stack.wire.MacAddress.toString(OUR_MAC),
                "dev", "ct6", "nud", "permanent");
            ns.call(() ->
            {
                try (DatagramSocket socket = new DatagramSocket())
                {
                    final byte[] payload = "plain again".getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName("10.0.0.2"), 9));
                }
                return null;
            });
            final boolean[] valid = {false};
            assertTrue(awaitFrame(tap, frame ->
            {
                if (frame.capacity() < 53 || frame.getByte(23) != 17
                    || !frame.getStringWithoutLengthAscii(42, 11).equals("plain again"))
                {
                    return false;
                }
                final int udpLength = 8 + 11;
                final long sum = io.conntest.stack.wire.Checksum.add(io.conntest.stack.wire.Checksum
                    .addPseudoHeader(0, KERNEL_IP, OUR_IP, 17, udpLength), frame, 34, udpLength);
                valid[0] = io.conntest.stack.wire.Checksum.verifies(sum);
                return true;
            }), "UDP datagram received");
            assertEquals(io.conntest.stack.phy.Offloads.NONE, tap.offloads());
            assertTrue(valid[0], "a full UDP checksum: the earlier open's checksum offload was cleared");
        }
    }

    @Test
    void attachesToAPersistentTapMadeByIp()
    {
        ns.addTap("ct5");
        try (TapDevice tap = ns.call(() -> TapDevice.open("ct5", TapDevice.Mode.ATTACH)))
        {
            assertFalse(tap.created());
            assertEquals("ct5", tap.name());
            // A TAP has one reader: a second open finds it busy.
            final TapException busy = assertThrows(TapException.class,
                () -> ns.call(() -> TapDevice.open("ct5")));
            assertEquals(Errno.EBUSY, busy.errno());
            assertEquals("ioctl(TUNSETIFF)", busy.syscall());
            assertTrue(busy.getMessage().contains("held by another process"), busy.getMessage());
        }
        // Closed: free again.
        ns.call(() -> TapDevice.open("ct5", TapDevice.Mode.ATTACH)).close();
    }

    @Test
    void errorsAreTypedWithErrnoAndHint()
    {
        final TapException missing = assertThrows(TapException.class,
            () -> ns.call(() -> TapDevice.open("ct-missing", TapDevice.Mode.ATTACH)));
        assertEquals(Errno.ENODEV, missing.errno());
        assertTrue(missing.getMessage().contains("no such device"), missing.getMessage());

        ns.addTap("ct6");
        final TapException exists = assertThrows(TapException.class,
            () -> ns.call(() -> TapDevice.open("ct6", TapDevice.Mode.CREATE)));
        assertEquals(Errno.EBUSY, exists.errno());

        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("a-name-that-is-too-long"));

        // A device in the namespace is not visible from the root namespace.
        assertThrows(TapException.class, () -> TapDevice.open("ct6", TapDevice.Mode.ATTACH));
    }

    @Test
    void awaitReceiveSleepsWhenIdle()
    {
        try (TapDevice tap = openUp("ct0"))
        {
            // Drain what the kernel sends on link-up (IPv6 router solicitations and the like) first.
            while (tap.receive((b, o, l) -> { }, 64) > 0)
            {
                tap.awaitReceive(50_000_000L);
            }
            ns.ip("link", "set", "ct0", "arp", "off");
            final long start = System.nanoTime();
            tap.awaitReceive(200_000_000L);
            final long elapsed = System.nanoTime() - start;
            assertTrue(elapsed < 5_000_000_000L, "returns after its timeout at the latest: " + elapsed);
            assertEquals(0, tap.receive((b, o, l) -> { }, 0), "maxFrames 0 reads nothing");
        }
    }

    @Test
    void wakeupEndsAWaitFromAnotherThreadAndIsNotLost() throws Exception
    {
        try (TapDevice tap = ns.call(() -> TapDevice.open("ct7", TapDevice.Mode.CREATE)))
        {
            // the link stays down: nothing can arrive on the TAP, only the eventfd can end the wait
            assertTrue(tap.canWakeUp());

            // a wake-up before the wait is kept (the eventfd stays readable) and ends the next wait at once
            tap.wakeup();
            long start = System.nanoTime();
            tap.awaitReceive(30_000_000_000L);
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "a pending wake-up ended the wait");

            // from another thread while waiting
            final Thread waker = new Thread(() ->
            {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                tap.wakeup();
            });
            start = System.nanoTime();
            waker.start();
            tap.awaitReceive(30_000_000_000L);
            final long elapsed = System.nanoTime() - start;
            waker.join();
            assertTrue(elapsed < 10_000_000_000L, "woken long before the 30 s timeout: " + elapsed);

            // drained: with no wake-up pending, a short wait runs to its timeout
            start = System.nanoTime();
            tap.awaitReceive(50_000_000L);
            assertTrue(System.nanoTime() - start >= 40_000_000L, "the eventfd was drained by the wait that it ended");
        }
    }

    @Test
    void writingAndReadingAllocatesNothingPerFrame()
    {
        try (TapDevice tap = openUp("ct0"))
        {
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().getId();
            long before = 0;
            final int[] received = new int[1];
            final io.conntest.stack.phy.FrameHandler counter = (b, o, l) -> received[0]++;
            for (int round = 0; round < 2; round++)
            {
                if (round == 1)
                {
                    before = threads.getThreadAllocatedBytes(thread);
                }
                for (int i = 0; i < 5_000; i++)
                {
                    // Gratuitous ARP replies: the kernel takes them in; it answers nothing.
                    tap.commit(writeArpReply(tap.claim(64), 0xFFFF_FFFF_FFFFL));
                    tap.receive(counter, 16);
                    tap.awaitReceive(1);
                }
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 16_384, "allocated " + allocated + " bytes over 5000 frames");
            assertEquals(10_000, tap.txFrames());
        }
    }
    @Test
    void withAVirtioNetHeaderWritingAndReadingAllocatesNothingPerFrame()
    {
        final TapDevice tap = ns.call(() -> TapDevice.open("ct2", TapDevice.Mode.CREATE, OffloadMode.AUTO));
        try (tap)
        {
            ns.linkUp("ct2");
            ns.addAddress("ct2", "10.0.0.1/24");
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().getId();
            final io.conntest.stack.phy.FrameMetadata plain = new io.conntest.stack.phy.FrameMetadata();
            long before = 0;
            final io.conntest.stack.phy.FrameHandler counter = (b, o, l) -> { };
            for (int round = 0; round < 2; round++)
            {
                if (round == 1)
                {
                    before = threads.getThreadAllocatedBytes(thread);
                }
                for (int i = 0; i < 5_000; i++)
                {
                    tap.commit(writeArpReply(tap.claim(64), 0xFFFF_FFFF_FFFFL), plain);
                    tap.commit(writeArpReply(tap.claim(64), 0xFFFF_FFFF_FFFFL));
                    tap.receive(counter, 16);
                    tap.awaitReceive(1);
                }
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 16_384, "allocated " + allocated + " bytes over 10000 frames");
            assertEquals(20_000, tap.txFrames());
            assertEquals(0, tap.txDropsInvalid());
        }
    }

    /**
     * A gathered frame (head from the claim, tail from two runs of other native memory, as a send ring that wraps)
     * reaches the kernel whole: the ARP reply it carries fills the kernel's neighbour table and the held datagram
     * follows. Bad arguments end the claim (the next claim works), and gathering allocates nothing per frame.
     */
    @Test
    void aGatheredFrameReachesTheKernelWholeAndBadArgumentsEndTheClaim() throws Exception
    {
        final TapDevice tap = ns.call(() -> TapDevice.open("ct3", TapDevice.Mode.CREATE, OffloadMode.AUTO));
        try (tap)
        {
            ns.linkUp("ct3");
            ns.addAddress("ct3", "10.0.0.1/24");
            assertTrue(tap.gathers(), "a TAP with a virtio-net header and CSUM gathers: " + tap);
            final long kernelMac = kernelMacFromItsArpRequest(tap, "hello gather", "ARP request for 10.0.0.2 received");
            // The reply built whole, then cut: 20 bytes in the claim, 12 at the end of a 64-byte "ring", the rest at
            // its start.
            final org.agrona.concurrent.UnsafeBuffer whole =
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(64));
            final int length = writeArpReply(whole, kernelMac);
            final org.agrona.concurrent.UnsafeBuffer ring =
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(64));
            ring.putBytes(52, whole, 20, 12);
            ring.putBytes(0, whole, 32, length - 32);
            final io.conntest.stack.phy.FrameMetadata plain = new io.conntest.stack.phy.FrameMetadata();
            tap.claim(64).putBytes(0, whole, 0, 20);
            tap.commitGather(20, plain, ring, 52, 12, 0, length - 32);
            assertEquals(1, tap.txGathered());
            assertTrue(awaitFrame(tap, frame -> frame.capacity() >= 54
                && mac(frame, 0) == OUR_MAC
                && frame.getByte(23) == 17
                && frame.getStringWithoutLengthAscii(42, 12).equals("hello gather")), "held UDP datagram received");
            final String neigh = ns.ip("neigh", "show", "10.0.0.2", "dev", "ct3").output();
            assertTrue(neigh.contains("02:00:00:00:00:02"), neigh);

            // A heap tail cannot be handed to writev; a run outside the tail is a caller's bug. Both end the claim.
            tap.claim(64);
            assertThrows(IllegalStateException.class, () -> tap.commitGather(20, plain,
                new org.agrona.concurrent.UnsafeBuffer(new byte[64]), 0, 8, 0, 0));
            tap.claim(64);
            assertThrows(IndexOutOfBoundsException.class, () -> tap.commitGather(20, plain, ring, 60, 8, 0, 0));
            assertNotNull(tap.claim(64), "the claim ended with the refused frame");
            tap.abort();
            assertEquals(1, tap.txGathered());

            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().getId();
            long before = 0;
            for (int round = 0; round < 2; round++)
            {
                if (round == 1)
                {
                    before = threads.getThreadAllocatedBytes(thread);
                }
                for (int i = 0; i < 5_000; i++)
                {
                    tap.claim(64).putBytes(0, whole, 0, 20);
                    tap.commitGather(20, plain, ring, 52, 12, 0, length - 32);
                }
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 16_384, "allocated " + allocated + " bytes over 5000 gathered frames");
            assertEquals(10_001, tap.txGathered());
        }
    }
}
