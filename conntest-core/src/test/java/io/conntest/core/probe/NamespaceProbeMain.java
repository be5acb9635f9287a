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
 * UDP echo on 127.0.0.1, probes 127.0.0.1 with the kernel prober and prints one {@code RESULT} line per port and a
 * final {@code DONE} line, which {@link ProbeNamespaceTest} parses. Arguments: TCP listen port, UDP echo port, port
 * specification, per-attempt timeout in milliseconds. Ends by itself within a bounded time.
 */
public final class NamespaceProbeMain
{
    private NamespaceProbeMain()
    {
    }

    public static void main(final String[] args) throws IOException, InterruptedException
    {
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        final int tcpPort = Integer.parseInt(args[0]);
        final int udpPort = Integer.parseInt(args[1]);
        final PortSpec spec = PortSpec.parse(args[2]);
        final long timeoutMs = Long.parseLong(args[3]);
        try (ServerSocketChannel listener = ServerSocketChannel.open();
            DatagramSocket echo = new DatagramSocket(new InetSocketAddress(loopback, udpPort)))
        {
            listener.bind(new InetSocketAddress(loopback, tcpPort), 16);
            final Thread echoThread = new Thread(() -> serveEcho(echo), "udp-echo");
            echoThread.setDaemon(true);
            echoThread.start();
            final ProbeOptions options = ProbeOptions.DEFAULTS.withTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .withMaxDuration(20, TimeUnit.SECONDS);
            final ProbeReport report = ProbeRunner.probe(loopback, spec, options, result ->
                System.out.println("RESULT " + result.port() + "/" + result.protocol() + " " + result.state() + " "
                    + result.reason() + " " + result.attempts() + " " + result.detail()));
            System.out.println("DONE " + report.exitCode() + " " + report.completion() + " " + report.probed());
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
