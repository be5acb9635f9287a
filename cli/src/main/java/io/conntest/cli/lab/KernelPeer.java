package io.conntest.cli.lab;

import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Linux kernel as the peer of a stack, from inside a {@link NetworkNamespace}: {@code ping} runs there, and
 * UDP sockets are created on the namespace's thread, so their traffic crosses the TAP. Used by the lab and by the
 * interop tests.
 */
public final class KernelPeer
{
    private static final Pattern RTT = Pattern.compile("time=([0-9.]+) ms");
    private static final Pattern RECEIVED = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    private final NetworkNamespace ns;

    public KernelPeer(final NetworkNamespace ns)
    {
        this.ns = ns;
    }

    /** Whether {@code command} is on the PATH. */
    public static boolean hasCommand(final String command)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, command)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * What a run of ping saw.
     *
     * @param transmitted echo requests sent.
     * @param received    replies received.
     * @param rttsMs      the round-trip time of every reply, in ms, in order.
     * @param output      ping's output.
     */
    public record PingResult(int transmitted, int received, double[] rttsMs, String output)
    {
        public double minMs()
        {
            return Arrays.stream(rttsMs).min().orElse(Double.NaN);
        }

        public double avgMs()
        {
            return Arrays.stream(rttsMs).average().orElse(Double.NaN);
        }

        public double maxMs()
        {
            return Arrays.stream(rttsMs).max().orElse(Double.NaN);
        }
    }

    /** Runs {@code ping -c COUNT -i INTERVAL -s SIZE -W 2 ADDRESS} inside the namespace. */
    public PingResult ping(final String address, final int count, final double intervalSeconds, final int size)
    {
        final long timeoutMs = (long)(count * intervalSeconds * 1000) + 10_000;
        final CommandResult result = ns.execWithTimeout(timeoutMs, "ping", "-n", "-c", Integer.toString(count),
            "-i", Double.toString(intervalSeconds), "-s", Integer.toString(size), "-W", "2", address);
        final String output = result.output();
        final double[] rtts = RTT.matcher(output).results()
            .mapToDouble(m -> Double.parseDouble(m.group(1))).toArray();
        final Matcher totals = RECEIVED.matcher(output);
        if (!totals.find())
        {
            throw new LabException("ping gave no summary (exit " + result.exitCode() + "): " + output.strip());
        }
        return new PingResult(Integer.parseInt(totals.group(1)), Integer.parseInt(totals.group(2)), rtts, output);
    }

    /**
     * What a UDP echo exchange saw.
     *
     * @param sent        datagrams sent.
     * @param verified    datagrams that came back with the same bytes.
     * @param mismatched  datagrams that came back with other bytes or another length.
     * @param lost        datagrams not answered within the timeout.
     * @param rttsNs      round-trip time of every verified datagram, sorted.
     * @param elapsedNs   time the whole exchange took.
     */
    public record EchoResult(int sent, int verified, int mismatched, int lost, long[] rttsNs, long elapsedNs)
    {
        public double roundTripsPerSecond()
        {
            return verified * 1e9 / Math.max(1, elapsedNs);
        }

        public double percentileMs(final double p)
        {
            if (rttsNs.length == 0)
            {
                return Double.NaN;
            }
            final int index = (int)Math.min(rttsNs.length - 1, Math.floor(p / 100.0 * rttsNs.length));
            return rttsNs[index] / 1e6;
        }
    }

    /**
     * Sends {@code count} datagrams of each of {@code sizes} to {@code address:port} one at a time from a kernel
     * UDP socket in the namespace, waiting up to {@code timeoutMs} for each echo, and checks every byte.
     */
    public EchoResult udpEcho(final String address, final int port, final int[] sizes, final int count,
        final long timeoutMs, final long seed)
    {
        return ns.call(() -> exchange(address, port, sizes, count, timeoutMs, seed));
    }

    private static EchoResult exchange(final String address, final int port, final int[] sizes, final int count,
        final long timeoutMs, final long seed) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] out = new byte[65_536];
        final byte[] in = new byte[65_536];
        final DatagramPacket request = new DatagramPacket(out, 0);
        final DatagramPacket reply = new DatagramPacket(in, in.length);
        final long[] rtts = new long[sizes.length * count];
        int sent = 0;
        int verified = 0;
        int mismatched = 0;
        int lost = 0;
        final long start = System.nanoTime();
        try (DatagramSocket socket = new DatagramSocket())
        {
            socket.connect(new InetSocketAddress(address, port));
            socket.setSoTimeout((int)timeoutMs);
            socket.setReceiveBufferSize(1 << 20);
            for (final int size : sizes)
            {
                for (int i = 0; i < count; i++)
                {
                    for (int b = 0; b < size; b++)
                    {
                        out[b] = (byte)random.nextInt(256);
                    }
                    request.setData(out, 0, size);
                    final long sentAt = System.nanoTime();
                    socket.send(request);
                    sent++;
                    try
                    {
                        reply.setData(in, 0, in.length);
                        socket.receive(reply);
                        final long rtt = System.nanoTime() - sentAt;
                        if (reply.getLength() == size && Arrays.equals(in, 0, size, out, 0, size))
                        {
                            rtts[verified++] = rtt;
                        }
                        else
                        {
                            mismatched++;
                        }
                    }
                    catch (final SocketTimeoutException ex)
                    {
                        lost++;
                    }
                }
            }
        }
        final long elapsed = System.nanoTime() - start;
        final long[] sorted = Arrays.copyOf(rtts, verified);
        Arrays.sort(sorted);
        return new EchoResult(sent, verified, mismatched, lost, sorted, elapsed);
    }

    /**
     * Sends one datagram to {@code address:port} from a connected kernel socket and reports whether the kernel
     * turned the ICMP port unreachable that came back into ECONNREFUSED ({@link PortUnreachableException}).
     */
    public boolean udpRefused(final String address, final int port, final long timeoutMs)
    {
        return ns.call(() ->
        {
            try (DatagramSocket socket = new DatagramSocket())
            {
                socket.connect(new InetSocketAddress(address, port));
                socket.setSoTimeout((int)timeoutMs);
                socket.send(new DatagramPacket(new byte[] {1, 2, 3}, 3));
                socket.receive(new DatagramPacket(new byte[16], 16));
                return false;
            }
            catch (final PortUnreachableException ex)
            {
                return true;
            }
            catch (final SocketTimeoutException ex)
            {
                return false;
            }
        });
    }
}
