package io.conntest.tap;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpState;
import io.conntest.stack.tcp.TcpStats;
import io.conntest.stack.tcp.service.EchoService;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stacks on two TAPs joined by a Linux bridge in a private namespace (issue 9: tap ↔ tap): 16 MB echoed and
 * checked by SHA-256, in both offload modes. With offloads on both ends the bridge forwards 64 KB super-frames from
 * one TAP to the other unsegmented, with their partial checksums: the receiving stack sees segments larger than its
 * MSS.
 */
class TapBridgeOffloadTest
{
    private static final long BYTES = 16L << 20;

    @ParameterizedTest
    @EnumSource(OffloadMode.class)
    void echoAcrossABridgeIsByteExact(final OffloadMode mode) throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-br");
        TapDevice tapA = null;
        TapDevice tapB = null;
        try
        {
            ns.addBridge("br0");
            tapA = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, mode));
            tapB = ns.call(() -> TapDevice.open("ct1", TapDevice.Mode.CREATE, mode));
            ns.setMaster("ct0", "br0");
            ns.setMaster("ct1", "br0");
            ns.linkUp("ct0");
            ns.linkUp("ct1");
            ns.linkUp("br0");
            final Interface a = new Interface(tapA, InterfaceConfig.builder("10.0.0.2/24").mac(0x02_00_00_00_00_02L)
                .build());
            final Interface b = new Interface(tapB, InterfaceConfig.builder("10.0.0.3/24").mac(0x02_00_00_00_00_03L)
                .build());
            final TcpConfig config = new TcpConfig().sendBufferBytes(1 << 20).receiveBufferBytes(1 << 20);
            final TcpProtocol tcpA = new TcpProtocol(config, 0x0A000002);
            final TcpProtocol tcpB = new TcpProtocol(config, 0x0A000003);
            a.addProtocol(tcpA);
            b.addProtocol(tcpB);
            final EchoService echo = new EchoService(tcpB, 7, 4);
            final TcpSocket s = tcpA.openSocket();
            assertTrue(s.connect(0x0A000003, 7));
            final MessageDigest sent = MessageDigest.getInstance("SHA-256");
            final MessageDigest received = MessageDigest.getInstance("SHA-256");
            final Random random = new Random(99);
            final byte[] chunk = new byte[65536];
            final UnsafeBuffer out = new UnsafeBuffer(chunk);
            final UnsafeBuffer in = new UnsafeBuffer(new byte[65536]);
            long written = 0;
            long read = 0;
            int pending = 0;
            int offset = 0;
            final long t0 = System.nanoTime();
            final long deadline = t0 + 60_000_000_000L;
            while (read < BYTES && System.nanoTime() < deadline && s.state() != TcpState.CLOSED)
            {
                if (s.isEstablished() && written < BYTES)
                {
                    if (pending == 0)
                    {
                        random.nextBytes(chunk);
                        pending = (int)Math.min(chunk.length, BYTES - written);
                        offset = 0;
                        sent.update(chunk, 0, pending);
                    }
                    final int n = s.write(out, offset, pending - offset);
                    if (n > 0)
                    {
                        written += n;
                        offset += n;
                        if (offset == pending)
                        {
                            pending = 0;
                        }
                    }
                }
                int n;
                while ((n = s.read(in, 0, in.capacity())) > 0)
                {
                    received.update(in.byteArray(), 0, n);
                    read += n;
                }
                final long now = System.nanoTime();
                final boolean busy = a.poll(now) | b.poll(now);
                if (!busy)
                {
                    tapA.awaitReceive(Math.max(0, Math.min(a.pollAtNs(now) - now, 200_000L)));
                }
            }
            final double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(BYTES, read, "echoed; state " + s.state());
            assertArrayEquals(sent.digest(), received.digest(), "SHA-256 of sent and echoed bytes");
            assertEquals(BYTES, echo.bytesIn());
            assertEquals(0, tcpA.counters().badChecksum);
            assertEquals(0, tcpB.counters().badChecksum);
            final TcpStats stats = s.stats(new TcpStats());
            System.out.printf(Locale.ROOT, "tap <-> tap over a bridge, offload %s: %.0f Mbit/s each way, %s%n", mode,
                BYTES * 8 / seconds / 1e6, stats);
            if (mode == OffloadMode.AUTO)
            {
                assertTrue(a.counters().get(InterfaceCounter.TX_SUPER_FRAMES) > 0);
                assertTrue(stats.superSegmentsIn > 0, "the echo crossed the bridge in super-frames: " + stats);
                assertEquals(0, tapA.rxDropsBadHeader() + tapB.rxDropsBadHeader());
                assertEquals(0, tapA.txDropsInvalid() + tapB.txDropsInvalid());
            }
            else
            {
                assertEquals(0, stats.superSegmentsIn);
            }
        }
        finally
        {
            if (tapA != null)
            {
                tapA.close();
            }
            if (tapB != null)
            {
                tapB.close();
            }
            ns.close();
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }
}
