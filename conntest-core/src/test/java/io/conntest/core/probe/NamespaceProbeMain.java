package io.conntest.core.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside a test's private network namespace (started with {@code ip netns exec}): opens a TCP listener and a
 * UDP echo on 127.0.0.1, then scans each (host, port specification) pair with the kernel prober and prints one
 * {@code RESULT host port/proto state reason attempts detail} line per port and a {@code DONE host exit completion
 * probed elapsed-ms} line per host, which {@link ProbeNamespaceTest} parses.
 *
 * <p>Arguments: TCP listen port, UDP echo port, per-attempt timeout in milliseconds, then host and port
 * specification pairs. System properties {@code probe.rate} and {@code probe.inflight} override the pacing (for
 * measuring). Each scan ends within 20 s.
 */
public final class NamespaceProbeMain
{
    private NamespaceProbeMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        // -Dprobe.loopback=::1: the listeners (and so the probes) on IPv6's loopback
        final InetAddress loopback = InetAddress.getByName(System.getProperty("probe.loopback", "127.0.0.1"));
        final int tcpPort = Integer.parseInt(args[0]);
        final int udpPort = Integer.parseInt(args[1]);
        final long timeoutMs = Long.parseLong(args[2]);
        final ProbeOptions options = ProbeOptions.DEFAULTS.withTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .withMaxDuration(20, TimeUnit.SECONDS)
            .withRatePerSecond(Integer.getInteger("probe.rate", ProbeOptions.DEFAULTS.ratePerSecond()))
            .withMaxInFlight(Integer.getInteger("probe.inflight", ProbeOptions.DEFAULTS.maxInFlight()));
        final boolean quiet = Boolean.getBoolean("probe.quiet");
        try (ServerSocketChannel listener = ServerSocketChannel.open();
            DatagramSocket echo = new DatagramSocket(new InetSocketAddress(loopback, udpPort)))
        {
            listener.bind(new InetSocketAddress(loopback, tcpPort), 16);
            final Thread echoThread = new Thread(() -> serveEcho(echo), "udp-echo");
            echoThread.setDaemon(true);
            echoThread.start();
            for (int i = 3; i + 1 < args.length; i += 2)
            {
                final InetAddress host = InetAddress.getByName(args[i]);
                final ProbeReport report = ProbeRunner.probe(host, PortSpec.parse(args[i + 1]), options, result ->
                {
                    if (!quiet || result.state() != PortState.CLOSED)
                    {
                        System.out.println("RESULT " + io.conntest.core.transport.HostText.of(result.host()) + " " + result.port() + "/"
                            + result.protocol() + " " + result.state() + " " + result.reason() + " "
                            + result.attempts() + " " + result.detail());
                    }
                });
                System.out.println("DONE " + io.conntest.core.transport.HostText.of(host) + " " + report.exitCode() + " "
                    + report.completion() + " " + report.probed() + " " + report.count(PortState.CLOSED) + " "
                    + TimeUnit.NANOSECONDS.toMillis(report.elapsedNs()));
            }
        }
        System.out.flush();
    }

    private static void serveEcho(final DatagramSocket socket)
    {
        final byte[] buffer = new byte[2048];
        try
        {
            while (!socket.isClosed())
            {
                final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
            }
        }
        catch (final IOException closed)
        {
            // The socket was closed: the probe is over.
        }
    }
}
