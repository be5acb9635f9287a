package io.conntest.stack.fuzz;

import io.conntest.stack.wire.EthernetFrame;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Writes the seed corpora of the fuzz targets from the real frames in {@code captures/frames.hex}, into the
 * directories where Jazzer looks for them ({@code <TestClass>Inputs/<method>/} next to the test class; in regression
 * mode every file there is one test run). Not a test: run it by hand when the captures change, e.g.
 *
 * <pre>
 * java -cp "$(cat cp.txt):target/test-classes:target/classes" io.conntest.stack.fuzz.SeedCorpus src/test/resources
 * </pre>
 */
public final class SeedCorpus
{
    private static final String METHOD = "parseEmitRoundTrip";

    private final Path root;

    private SeedCorpus(final Path resources)
    {
        this.root = resources.resolve("io/conntest/stack/fuzz");
    }

    public static void main(final String[] args) throws IOException
    {
        new SeedCorpus(Paths.get(args.length > 0 ? args[0] : "src/test/resources")).writeAll();
    }

    private void writeAll() throws IOException
    {
        final List<byte[]> all = FuzzSupport.capturedFrames(null);
        final List<byte[]> in = FuzzSupport.capturedFrames("in");
        // Older captures held the kernel's unfragmented UDP before checksum offload filled it in; make sure.
        all.forEach(SeedCorpus::completeUdpChecksum);
        in.forEach(SeedCorpus::completeUdpChecksum);
        for (int i = 0; i < all.size(); i++)
        {
            final byte[] frame = all.get(i);
            final String name = String.format("capture-%02d", i + 1);
            write("EthernetFuzzTest", METHOD, name, new FdpSeed().intInRange(0, 7, 0).bytes(frame).toBytes());
            final int type = ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
            final byte[] payload = slice(frame, EthernetFrame.HEADER_LENGTH, frame.length);
            if (type == EthernetFrame.ETHERTYPE_ARP)
            {
                write("ArpFuzzTest", METHOD, name, new FdpSeed().intInRange(0, 7, 0).bytes(payload).toBytes());
                final byte[] padded = new byte[payload.length + 18];
                System.arraycopy(payload, 0, padded, 0, payload.length);
                write("ArpFuzzTest", METHOD, name + "-padded",
                    new FdpSeed().intInRange(0, 7, 3).bytes(padded).toBytes());
            }
            else if (type == EthernetFrame.ETHERTYPE_IPV4)
            {
                write("Ipv4FuzzTest", METHOD, name,
                    new FdpSeed().intInRange(0, 7, 0).bool(false).bytes(payload).toBytes());
                writeTransport(name, payload);
            }
        }
        write("EthernetFuzzTest", METHOD, "short", new FdpSeed().intInRange(0, 7, 1).bytes(slice(all.get(0), 0, 13))
            .toBytes());
        // The 2,048-byte UDP datagram of captures 15 and 16 (and its echo, 17 and 18), reassembled by hand.
        writeReassembledUdp("capture-15-16", all.get(14), all.get(15));
        writeReassembledUdp("capture-17-18", all.get(16), all.get(17));
        writeInterfaceSeeds(all, in);
        writeTcpSeeds();
    }

    /** The TCP helper's hand-made segments (SYN with every option, data, SACK, FIN, RST, a bad option). */
    private void writeTcpSeeds() throws IOException
    {
        final String dir = "/io/conntest/stack/tcp/TcpFuzzTestInputs/anySegmentIsHandledNeverThrown/";
        for (final String name : new String[] {"syn-new-port", "data", "sack", "fin", "rst", "bad-option"})
        {
            try (java.io.InputStream stream = SeedCorpus.class.getResourceAsStream(dir + name))
            {
                if (stream == null)
                {
                    continue;
                }
                final byte[] input = stream.readAllBytes();
                // Their first byte says how to deliver the segment; the rest is the segment.
                final byte[] segment = slice(input, 1, input.length);
                write("TcpSegmentFuzzTest", METHOD, "tcp-" + name, new FdpSeed().intInRange(0, 7, 0).bool(true)
                    .anyInt(0x0A090001).anyInt(0x0A090002).bytes(segment).toBytes());
            }
        }
    }

    /** The ICMP or UDP message of an unfragmented capture. */
    private void writeTransport(final String name, final byte[] ip) throws IOException
    {
        final int headerLength = (ip[0] & 0x0F) * 4;
        final int protocol = ip[9] & 0xFF;
        final boolean fragment = ((ip[6] & 0x3F) | ip[7]) != 0;
        final byte[] transport = slice(ip, headerLength, ip.length);
        if (protocol == 1)
        {
            // A first fragment's checksum covers the whole message: fix it so the seed gets past parse.
            write("Icmpv4FuzzTest", METHOD, name,
                new FdpSeed().intInRange(0, 7, 0).bool(fragment).bytes(transport).toBytes());
        }
        else if (protocol == 17 && !fragment)
        {
            write("UdpFuzzTest", METHOD, name, udpSeed(ip, transport));
        }
    }

    private void writeReassembledUdp(final String name, final byte[] first, final byte[] last) throws IOException
    {
        final byte[] ip1 = slice(first, EthernetFrame.HEADER_LENGTH, first.length);
        final byte[] ip2 = slice(last, EthernetFrame.HEADER_LENGTH, last.length);
        final byte[] part1 = slice(ip1, 20, ip1.length);
        final byte[] part2 = slice(ip2, 20, ip2.length);
        final byte[] udp = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, udp, 0, part1.length);
        System.arraycopy(part2, 0, udp, part1.length, part2.length);
        write("UdpFuzzTest", METHOD, name, udpSeed(ip1, udp));
    }

    private static byte[] udpSeed(final byte[] ip, final byte[] udp)
    {
        final ByteBuffer addresses = ByteBuffer.wrap(ip).order(ByteOrder.BIG_ENDIAN);
        return new FdpSeed().intInRange(0, 7, 0).intInRange(0, 2, 0).anyInt(addresses.getInt(12))
            .anyInt(addresses.getInt(16)).bytes(udp).toBytes();
    }

    private void writeInterfaceSeeds(final List<byte[]> all, final List<byte[]> in) throws IOException
    {
        final String cls = "NetworkStackFuzzTest";
        final String method = "arbitraryFramesNeverBreakTheInterface";
        write(cls, method, "replay-in-small", replay(in, false).toBytes());
        write(cls, method, "replay-in-default-gateway", replay(in, true).toBytes());
        write(cls, method, "replay-all-small", replay(all, false).toBytes());

        // A 4,000-byte ping in nine fragments, last first, the third one twice; then read the replies, wait.
        final FdpSeed ping = new FdpSeed().bool(false).bool(false)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_FRAGMENTS)
            .bool(true).intInRange(0, 3, 1).intInRange(0, 2, 0).intInRange(0, 2, 1).intInRange(8, 9_000, 4_000)
            .intInRange(0, 255, 7).bool(false).intInRange(1, 180, 60).intInRange(0, 3, 1)
            .bool(true).intInRange(0, 8, 2).bool(false).bool(false).bool(false)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_DRAIN).bool(true)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_CLOCK).intInRange(0, 6, 3);
        write(cls, method, "fragmented-ping", ping.toBytes());

        // A client socket bound to 40001 sends 100 bytes to the peer's echo port; the harness answers ARP.
        final FdpSeed client = new FdpSeed().bool(false).bool(false)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_SOCKET).intInRange(0, 3, 0).intInRange(0, 4, 0)
            .intInRange(0, 2, 1)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_SOCKET).intInRange(0, 3, 0).intInRange(0, 4, 1)
            .intInRange(0, StackHarness.ADDRESSES.length, 0).intInRange(0, 5, 0).intInRange(0, 3_000, 100)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_POLL).intInRange(1, 4, 1).bool(false)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_DRAIN).bool(true)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_POLL).intInRange(1, 4, 2).bool(false).bool(false)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_DRAIN).bool(true);
        write(cls, method, "client-socket", client.toBytes());

        // A TCP handshake with the echo service on port 7 and 14 bytes of data (RFC 9293 §3.5, RFC 7323 options).
        final FdpSeed tcp = new FdpSeed().bool(false).bool(false);
        tcpDatagramPrefix(tcp).bool(false).intInRange(0, 5, 4).intInRange(0, 3, 0).bool(false).anyInt(1000)
            .bool(false).anyInt(0).intInRange(0, 7, 0).intInRange(0, 0xFFFF, 64_240).bool(true)
            .intInRange(0, 1_440, 0).intInRange(0, 3, 1).bool(false).bool(false).intInRange(0, 24, 0);
        tcp.intInRange(0, 9, NetworkStackFuzzTest.OP_DRAIN).bool(true)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_POLL).intInRange(1, 4, 1).bool(false)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_DRAIN).bool(true);
        final byte[] hello = "hello tcp echo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        tcpDatagramPrefix(tcp).bool(true).intInRange(0, 3, 1).bool(true).intInRange(-8, 8, 0)
            .bool(true).intInRange(-8, 8, 0).intInRange(0, 7, 2).intInRange(0, 0xFFFF, 64_240).bool(false)
            .intInRange(0, 10, 3).bytes(new byte[] {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 0})
            .intInRange(0, 1_448, hello.length).bytes(hello)
            .intInRange(0, 3, 1).bool(false).bool(false).intInRange(0, 24, 0);
        tcp.intInRange(0, 9, NetworkStackFuzzTest.OP_POLL).intInRange(1, 4, 2).bool(false).bool(false)
            .intInRange(0, 9, NetworkStackFuzzTest.OP_DRAIN).bool(true);
        write(cls, method, "tcp-echo", tcp.toBytes());

        // Minimal reproducer of a bug found by fuzzing (see KnownBugs): capture 13 (UDP 10.9.0.1:40000 to our echo
        // port) with source port 0.
        final byte[] portZero = all.get(12).clone();
        portZero[EthernetFrame.HEADER_LENGTH + 20] = 0;
        portZero[EthernetFrame.HEADER_LENGTH + 21] = 0;
        completeUdpChecksum(portZero);
        Files.write(root.resolve(cls + "Inputs").resolve(method).resolve("crash-udp-echo-source-port-0"),
            replay(List.of(portZero), false).toBytes());

        // Reproducer of a bug found by reading the code the fuzzer drives (see KnownBugs): socket churn between two
        // polls, open, send, close, seven times over (the stack allows 6 sockets here).
        final FdpSeed churn = new FdpSeed().bool(false).bool(false);
        for (int i = 0; i < 7; i++)
        {
            churn.intInRange(0, 9, NetworkStackFuzzTest.OP_SOCKET).intInRange(0, 3, 0).intInRange(0, 4, 0)
                .intInRange(0, 2, 0)
                .intInRange(0, 9, NetworkStackFuzzTest.OP_SOCKET).intInRange(0, 3, 0).intInRange(0, 4, 4)
                .intInRange(0, 1_400, 10)
                .intInRange(0, 9, NetworkStackFuzzTest.OP_SOCKET).intInRange(0, 3, 0).intInRange(0, 4, 2);
        }
        churn.intInRange(0, 9, NetworkStackFuzzTest.OP_POLL).intInRange(1, 4, 1).bool(false);
        Files.write(root.resolve(cls + "Inputs").resolve(method).resolve("crash-udp-send-list-overflow"),
            churn.toBytes());
    }

    /** A datagram step from the peer to us, no IP options, TTL 64, DF, of protocol kind 2 (TCP). */
    private static FdpSeed tcpDatagramPrefix(final FdpSeed seed)
    {
        return seed.intInRange(0, 9, NetworkStackFuzzTest.OP_DATAGRAM).intInRange(0, StackHarness.ADDRESSES.length, 0)
            .intInRange(0, 5, 3).intInRange(0, 3, 2).intInRange(0, 10, 0).intInRange(0, 255, 64)
            .intInRange(0, 0xFFFF, 1).bool(false).bool(true);
    }

    /** Every frame of {@code frames} as a raw frame step, then the stack's output read. */
    private static FdpSeed replay(final List<byte[]> frames, final boolean defaultsAndGateway)
    {
        final FdpSeed seed = new FdpSeed().bool(defaultsAndGateway).bool(defaultsAndGateway);
        for (final byte[] frame : frames)
        {
            seed.intInRange(0, 9, NetworkStackFuzzTest.OP_RAW).intInRange(0, StackHarness.MAX_FRAME, frame.length)
                .bytes(frame);
        }
        return seed.intInRange(0, 9, NetworkStackFuzzTest.OP_DRAIN).bool(true);
    }

    /** Computes the UDP checksum of an unfragmented UDP/IPv4 frame (RFC 768). */
    private static void completeUdpChecksum(final byte[] frame)
    {
        final int ip = EthernetFrame.HEADER_LENGTH;
        if (frame.length < ip + 28 || frame[12] != 8 || frame[13] != 0 || frame[ip + 9] != 17
            || ((frame[ip + 6] & 0x3F) | frame[ip + 7]) != 0)
        {
            return;
        }
        final int headerLength = (frame[ip] & 0x0F) * 4;
        final int totalLength = ((frame[ip + 2] & 0xFF) << 8) | (frame[ip + 3] & 0xFF);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        FuzzSupport.fixUdpChecksum(buffer, ip + headerLength, totalLength - headerLength,
            buffer.getInt(ip + 12, ByteOrder.BIG_ENDIAN), buffer.getInt(ip + 16, ByteOrder.BIG_ENDIAN));
    }

    private void write(final String cls, final String method, final String name, final byte[] bytes)
        throws IOException
    {
        final Path dir = root.resolve(cls + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve("seed-" + name), bytes);
    }

    private static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        final byte[] out = new byte[to - from];
        System.arraycopy(bytes, from, out, 0, out.length);
        return out;
    }
}
