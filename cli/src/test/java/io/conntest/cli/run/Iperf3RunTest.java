package io.conntest.cli.run;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.core.iperf3.Iperf3Json;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's stock {@code iperf3} client against {@code --listen 'tcp:5201?service=iperf3'} (issue 16), in a private
 * namespace: on the own stack over a TAP (10.0.0.2, the kernel 10.0.0.1 on the TAP) and on the kernel's sockets
 * (the same instance without {@code --tap}, reached on 127.0.0.1). Each run must exit 0 with JSON that parses, and
 * the bytes the client reports must match the server's own count in its iperf3 event; a second client during a
 * test is told the server is busy; clients that lie or leave are cut off and the next test still runs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class Iperf3RunTest
{
    private static final int PORT = 5201;
    /** What a test may have in flight when it ends (the receiver stops counting at TEST_END). */
    private static final double SLACK = 0.05;

    @ParameterizedTest
    @ValueSource(strings = {"tap", "kernel"})
    void stockIperf3ClientMeasuresTheInstance(final String stack) throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("iperf3");
        final NetworkNamespace ns = NetworkNamespace.create("ct-ip3");
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.linkUp("lo");
            ns.addAddress("ct0", "10.0.0.1/24");
            final boolean tap = stack.equals("tap");
            final String server = tap ? "10.0.0.2" : "127.0.0.1";
            final List<String> args = new ArrayList<>(List.of("--name", "ip3", "--listen",
                "tcp:" + PORT + "?service=iperf3", "--duration", "60s", "--ui", "json"));
            if (tap)
            {
                args.addAll(List.of("--tap", "ct0", "--ipv4", "10.0.0.2/24"));
            }
            final CliRun instance = new CliRun(args.toArray(String[]::new));
            final Thread t = ns.newThread("ip3", instance::run);
            t.start();
            instance.awaitLine(l -> l.contains("\"event\":\"listening\""), 10_000);

            int test = 0;
            for (final String options : new String[] {"-t 2", "-t 2 -R", "-t 2 --bidir", "-t 2 -P 4", "-n 100M",
                "-t 2 -O 1 -R -i 0.5 --get-server-output",
                "-t 2 -u -b 500M", "-t 2 -u -b 100M -R"})
            {
                test++;
                CommandResult result = iperf3(ns, server, options);
                if (result.exitCode() != 0 && options.contains("-u"))
                {
                    // iperf3 3.12 sends its UDP connect message once and never again (later versions retry): one
                    // lost datagram there costs a whole run. Say so loudly and run it once more; the second run
                    // must pass. The server's own account of the failed run goes into the output for the record.
                    System.out.println("RETRY " + stack + " iperf3 " + options + " after exit " + result.exitCode()
                        + ":\n" + result.output() + "\nthe instance said:\n" + tail(instance));
                    test++;
                    result = iperf3(ns, server, options);
                }
                assertEquals(0, result.exitCode(), options + ":\n" + result.output() + "\nthe instance said:\n"
                    + tail(instance));
                final Map<String, Object> end = end(result, options);
                final long serverBytes = serverCount(instance, test);
                final long reported;
                final long ownCount;
                if (options.contains("--bidir"))
                {
                    reported = bytes(end, "sum_received") + bytes(end, "sum_sent_bidir_reverse");
                    ownCount = bytes(end, "sum_sent") + bytes(end, "sum_received_bidir_reverse");
                }
                else if (options.contains("-R"))
                {
                    reported = bytes(end, "sum_sent");
                    ownCount = bytes(end, "sum_received");
                }
                else
                {
                    reported = bytes(end, "sum_received");
                    ownCount = bytes(end, "sum_sent");
                }
                final String what = stack + " iperf3 " + options + ": server " + serverBytes + ", client reports "
                    + reported + ", client counted " + ownCount;
                System.out.println(what);
                assertTrue(serverBytes > 0, what);
                assertEquals(serverBytes, reported, "what the client reports for the server is its count: " + what);
                if (options.contains("-u"))
                {
                    // UDP loses what the receiver could not take: never more arrives than was sent.
                    assertTrue(options.contains("-R") ? ownCount <= serverBytes : ownCount >= serverBytes, what);
                    final Map<String, Object> sum = sum(end);
                    System.out.println(stack + " iperf3 " + options + ": lost " + sum.get("lost_packets") + " of "
                        + sum.get("packets") + ", jitter " + sum.get("jitter_ms") + " ms");
                    assertTrue(((Number)sum.get("packets")).longValue() > 0, what);
                    continue;
                }
                assertTrue(Math.abs(ownCount - serverBytes) <= SLACK * Math.max(ownCount, serverBytes), what);
                if (options.startsWith("-n"))
                {
                    // iperf3 stops after the block that reaches -n (it may be one more 128 KiB block)
                    assertTrue(ownCount >= 100L << 20 && ownCount <= (100L << 20) + (256L << 10), what);
                }
            }

            // Liars and leavers: a garbage cookie, a huge JSON length, a close in the middle of the parameters.
            ns.call(() ->
            {
                send(server, new byte[37], false);
                send(server, cookieThen(new byte[] {0x7f, (byte)0xff, (byte)0xff, (byte)0xff}), false);
                send(server, cookieThen(new byte[] {0, 0}), true);
                return null;
            });
            instance.awaitLine(l -> l.contains("malformed cookie"), 5_000);
            instance.awaitLine(l -> l.contains("announced a JSON of 2147483647 bytes"), 5_000);
            instance.awaitLine(l -> l.contains("closed the control connection"), 5_000);
            // The two with a well-formed cookie opened tests (as iperf3 would) before they were cut off.
            test += 2;

            // A second client while a test runs is refused politely (iperf3's ACCESS_DENIED).
            final Future<CommandResult> first = ns.submit(() -> ns.execWithTimeout(20_000, "iperf3", "-c", server,
                "-p", String.valueOf(PORT), "-t", "3"));
            test++;
            final int running = test;
            instance.awaitLine(l -> l.contains("test #" + running + " begins"), 10_000);
            final CommandResult second = ns.execWithTimeout(20_000, "iperf3", "-c", server, "-p",
                String.valueOf(PORT), "-t", "1");
            assertEquals(1, second.exitCode(), second.output());
            assertTrue(second.output().contains("the server is busy"), second.output());
            final CommandResult firstResult = first.get(20, TimeUnit.SECONDS);
            assertEquals(0, firstResult.exitCode(), firstResult.output());
            instance.awaitLine(l -> l.contains("the server is busy with test"), 5_000);

            t.join(70_000);
            assertEquals(0, instance.exitCode(), instance.err());
            final long iperf3Events = instance.lines().stream().filter(l -> l.contains("\"event\":\"iperf3\""))
                .count();
            assertTrue(iperf3Events >= 2 * running, instance.out());
        }
        finally
        {
            ns.close();
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    /**
     * Runs {@code iperf3 -c -J} with {@code options}. The bound is longer than iperf3's own 30 s wait for a UDP
     * connect reply, so a lost handshake ends with iperf3's error message rather than our kill.
     */
    private static CommandResult iperf3(final NetworkNamespace ns, final String server, final String options)
    {
        final List<String> command = new ArrayList<>(List.of("iperf3", "-c", server, "-p", String.valueOf(PORT),
            "-J"));
        command.addAll(List.of(options.split(" ")));
        return ns.execWithTimeout(45_000, command.toArray(String[]::new));
    }

    /** The last lines the instance printed. */
    private static String tail(final CliRun instance)
    {
        final List<String> lines = instance.lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    /** The {@code end} object of a successful run's JSON. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> end(final CommandResult result, final String options)
    {
        // iperf3 3.12 repeats keys in --bidir output (start.sock_bufsize): the strict test parser refuses that, the
        // iperf3 codec keeps the last, as cJSON's readers do.
        final Map<String, Object> json = Iperf3Json.parseObject(result.output().strip());
        assertFalse(json.containsKey("error"), result.output());
        if (options.contains("--get-server-output"))
        {
            assertTrue(String.valueOf(json.get("server_output_text")).contains("conntest iperf3 server"),
                result.output());
        }
        return (Map<String, Object>)json.get("end");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sum(final Map<String, Object> end)
    {
        return (Map<String, Object>)end.get("sum");
    }

    @SuppressWarnings("unchecked")
    private static long bytes(final Map<String, Object> end, final String sum)
    {
        return ((Number)((Map<String, Object>)end.get(sum)).get("bytes")).longValue();
    }

    /** The bytes in the instance's "test #N done" event. */
    private static long serverCount(final CliRun instance, final int test)
    {
        instance.awaitLine(l -> l.contains("test #" + test + " done"), 10_000);
        for (final String line : instance.lines())
        {
            if (line.contains("test #" + test + " done"))
            {
                @SuppressWarnings("unchecked")
                final Map<String, Object> data = (Map<String, Object>)JsonParser.object(line).get("data");
                return ((Number)data.get("bytes")).longValue();
            }
        }
        throw new AssertionError("no event for test #" + test);
    }

    private static byte[] cookieThen(final byte[] tail)
    {
        final byte[] bytes = new byte[37 + tail.length];
        java.util.Arrays.fill(bytes, 0, 36, (byte)'c');
        System.arraycopy(tail, 0, bytes, 37, tail.length);
        return bytes;
    }

    /** Connects, sends {@code bytes}, reads until the server closes (or only its first byte when leaving early). */
    private static void send(final String server, final byte[] bytes, final boolean leaveEarly) throws Exception
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress(server, PORT), 3_000);
            s.setSoTimeout(3_000);
            final OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            final InputStream in = s.getInputStream();
            final long deadline = System.nanoTime() + 3_000_000_000L;
            if (leaveEarly)
            {
                // wait for PARAM_EXCHANGE, then close in the middle of the length
                in.read();
                return;
            }
            while (System.nanoTime() < deadline && in.read() >= 0)
            {
                // drain what the server says until it closes
            }
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            throw new AssertionError("the server did not close a lying connection", ex);
        }
    }
}
