package io.conntest.tap;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpListener;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SYN flood from the Linux kernel's side (hping3, bounded: 3 s and at most 2 million SYNs) at a listener of the
 * userspace stack over a real TAP in a private namespace ({@code ct-flood-XXXXXXXX}, kernel 10.0.0.1, stack
 * 10.0.0.2, no route out). A kernel client connects during the flood and another right after it; both must be
 * accepted (through SYN cookies once the SYN queue is full, RFC 4987 §3.6). The times are printed, not asserted
 * beyond a generous deadline: docs/reliability.md records them.
 */
class SynFloodInteropTest
{
    private static final int PORT = 7300;
    private static final long DEADLINE_NS = 30_000_000_000L;

    private NetworkNamespace ns;
    private TapDevice tap;
    private Interface iface;
    private TcpProtocol tcp;
    private TcpListener listener;
    private int accepted;
    private final java.util.ArrayList<TcpSocket> sockets = new java.util.ArrayList<>();

    @BeforeEach
    void setUp()
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("hping3");
        ns = NetworkNamespace.create("ct-flood");
        tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE));
        ns.linkUp("ct0");
        ns.addAddress("ct0", "10.0.0.1/24");
        iface = new Interface(tap, InterfaceConfig.builder("10.0.0.2/24").mac(0x02_00_00_00_00_02L).build());
        tcp = new TcpProtocol(new TcpConfig().minRtoNs(200_000_000L), 0x0A000002);
        iface.addProtocol(tcp);
        listener = tcp.listen(PORT, 128);
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

    /** Runs the stack (and accepts whatever is ready) until {@code done} or the timeout. */
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
                tap.awaitReceive(Math.max(0, Math.min(at - now, 1_000_000L)));
            }
            TcpSocket s;
            while ((s = listener.accept()) != null)
            {
                accepted++;
                sockets.add(s);
            }
        }
        return true;
    }

    /** A kernel client: the nanoTime at which its connect returned, or -1 when it failed. */
    private Future<Long> kernelConnect()
    {
        return ns.submit(() ->
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("10.0.0.2", PORT), (int)(DEADLINE_NS / 1_000_000L));
                final long at = System.nanoTime();
                socket.getOutputStream().write(1);
                return at;
            }
        });
    }

    @Test
    void rfc4987_kernelClientsConnectDuringAndRightAfterAThreeSecondHping3SynFlood() throws Exception
    {
        floodThenConnect("kernel resets the SYN,ACKs");
    }

    /**
     * As a flood from spoofed sources: nobody answers the stack's SYN,ACKs (nft drops the kernel's RSTs), so the
     * half-open connections stay until their retransmissions give up and only SYN cookies let the clients in.
     */
    @Test
    void rfc4987_unansweredFloodFillsTheSynQueueAndClientsConnectThroughCookies() throws Exception
    {
        Privileges.assumeCommand("nft");
        nft("add", "table", "inet", "ctflood");
        nft("add", "chain", "inet", "ctflood", "out", "{ type filter hook output priority 0 ; }");
        nft("add", "rule", "inet", "ctflood", "out", "tcp", "flags", "&", "rst", "!=", "0", "drop");
        floodThenConnect("SYN,ACKs unanswered");
        assertEquals(listener.synBacklog(), listener.halfOpen(), "the flood filled the SYN queue");
        assertEquals(2, tcp.counters().synCookiesAccepted, "both clients came in through a cookie");
    }

    private void nft(final String... args)
    {
        final String[] command = new String[args.length + 1];
        command[0] = "nft";
        System.arraycopy(args, 0, command, 1, args.length);
        final CommandResult result = ns.exec(command);
        assertTrue(result.ok(), "nft " + String.join(" ", args) + ": " + result.output());
    }

    private void floodThenConnect(final String label) throws Exception
    {
        final long floodStart = System.nanoTime();
        // Bounded in time (timeout 3) and count (-c); hping3's own source address, source ports counting up. The
        // kernel answers each SYN,ACK of the stack with a RST (no socket on hping3's ports).
        final CompletableFuture<CommandResult> flood = CompletableFuture.supplyAsync(() -> ns.execWithTimeout(10_000,
            "timeout", "3", "hping3", "-q", "-S", "--flood", "-c", "2000000", "-p", Integer.toString(PORT),
            "10.0.0.2"));
        assertTrue(pumpUntil(() -> System.nanoTime() - floodStart > 1_000_000_000L || flood.isDone(), 5_000_000_000L));
        final long duringStart = System.nanoTime();
        final Future<Long> during = kernelConnect();
        assertTrue(pumpUntil(() -> flood.isDone() && during.isDone(), DEADLINE_NS), "flood and first client done");
        final long floodEnd = System.nanoTime();
        final long afterStart = System.nanoTime();
        final Future<Long> after = kernelConnect();
        final int acceptedBefore = accepted;
        assertTrue(pumpUntil(() -> after.isDone() && accepted > acceptedBefore, DEADLINE_NS),
            "the client after the flood is accepted within " + DEADLINE_NS / 1_000_000_000L + " s");
        final long afterAccepted = System.nanoTime();
        final long duringConnected = during.get();
        final long afterConnected = after.get();
        System.out.printf(Locale.ROOT,
            "syn flood interop (%s): flood %.2f s (%s); connect during the flood %.3f s; after the flood:" +
                " connect %.3f s," +
                " accept %.3f s; %s; halfOpen=%d%n",
            label, (floodEnd - floodStart) / 1e9, flood.get().output().lines().filter(l -> l.contains("packets"))
                .findFirst().orElse("hping3 gave no statistics").trim(),
            (duringConnected - duringStart) / 1e9, (afterConnected - afterStart) / 1e9,
            (afterAccepted - afterStart) / 1e9, tcp.counters(), listener.halfOpen());
        assertEquals(2, accepted, "exactly the two real clients were accepted");
        assertTrue(tcp.counters().synCookiesSent > 0, "the flood overflowed the SYN queue: " + tcp.counters());
    }
}
