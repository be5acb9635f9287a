package io.conntest.tap;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpStats;
import io.conntest.stack.tcp.service.EchoService;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Linux kernel's TCP as the peer of the userspace stack over a real TAP, inside a private network namespace:
 * a kernel client sends 32 MB of seeded random bytes to the stack's echo service (RFC 862) and checks the SHA-256
 * of what comes back; both sides close in order.
 */
class TcpKernelInteropTest
{
    private static final long BYTES = 32L << 20;

    @Test
    void kernelClientToStackEchoServiceThirtyTwoMegabytesHashed() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-tcp");
        try
        {
            final TapDevice tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE));
            try
            {
                ns.linkUp("ct0");
                ns.addAddress("ct0", "10.0.0.1/24");
                final Interface iface = new Interface(tap,
                    InterfaceConfig.builder("10.0.0.2/24").mac(0x02_00_00_00_00_02L).build());
                final TcpProtocol tcp = new TcpProtocol(new TcpConfig().minRtoNs(200_000_000L), 0x0A000002);
                iface.addProtocol(tcp);
                final EchoService echo = new EchoService(tcp, 7, 16);

                final Future<byte[][]> client = ns.submit(() -> runKernelClient());
                final long deadline = System.nanoTime() + 120_000_000_000L;
                while (!client.isDone() && System.nanoTime() < deadline)
                {
                    final long now = System.nanoTime();
                    if (!iface.poll(now))
                    {
                        final long at = iface.pollAtNs(now);
                        tap.awaitReceive(Math.max(0, Math.min(at - now, 1_000_000L)));
                    }
                }
                // Let the stack finish its side of the close (the FIN after the echo).
                final long closeDeadline = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < closeDeadline && tcp.connectionCount() > 0 &&
                    echo.bytesOut() == BYTES)
                {
                    iface.poll(System.nanoTime());
                    tap.awaitReceive(1_000_000L);
                }
                assertTrue(client.isDone(), "kernel client finished in time; echoed " + echo.bytesOut());
                final byte[][] digests = client.get();
                assertArrayEquals(digests[0], digests[1], "SHA-256 of sent and echoed bytes");
                assertEquals(BYTES, echo.bytesIn());
                assertEquals(BYTES, echo.bytesOut());
                assertEquals(0, tcp.counters().badChecksum);
                assertEquals(0, tcp.counters().malformed);
                System.out.println("interop: " + tcp.counters());
            }
            finally
            {
                tap.close();
            }
        }
        finally
        {
            ns.close();
            assertFalse(ns.exists());
        }
    }

    /** Runs in the namespace: kernel socket to 10.0.0.2:7, writer thread, reader hashing the echo. */
    private static byte[][] runKernelClient() throws Exception
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("10.0.0.2", 7), 5_000);
            socket.setSoTimeout(60_000);
            final MessageDigest sent = MessageDigest.getInstance("SHA-256");
            final Throwable[] writerError = new Throwable[1];
            final Thread writer = new Thread(() ->
            {
                try
                {
                    final OutputStream out = socket.getOutputStream();
                    final Random random = new Random(1234);
                    final byte[] chunk = new byte[65536];
                    long left = BYTES;
                    while (left > 0)
                    {
                        random.nextBytes(chunk);
                        final int n = (int)Math.min(chunk.length, left);
                        sent.update(chunk, 0, n);
                        out.write(chunk, 0, n);
                        left -= n;
                    }
                    socket.shutdownOutput();
                }
                catch (final Throwable t)
                {
                    writerError[0] = t;
                }
            }, "interop-writer");
            writer.start();
            final MessageDigest received = MessageDigest.getInstance("SHA-256");
            final InputStream in = socket.getInputStream();
            final byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0)
            {
                received.update(buf, 0, n);
                total += n;
            }
            writer.join(10_000);
            if (writerError[0] != null)
            {
                throw new AssertionError("writer failed", writerError[0]);
            }
            if (total != BYTES)
            {
                throw new AssertionError("echoed " + total + " of " + BYTES + " bytes");
            }
            return new byte[][] {sent.digest(), received.digest()};
        }
    }

    static String hex(final byte[] b)
    {
        return Arrays.toString(b);
    }
}
