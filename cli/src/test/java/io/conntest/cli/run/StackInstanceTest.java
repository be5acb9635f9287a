package io.conntest.cli.run;

import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.core.engine.ListenSpec;
import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An instance over the in-memory device, with a second stack as its peer: no root, no TAP. */
class StackInstanceTest
{
    @TempDir
    Path dir;

    @Test
    void echoesUdpDiscardsAndRecordsAPcap() throws Exception
    {
        final Path pcap = dir.resolve("instance.pcap");
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        final ByteArrayOutputStream logged = new ByteArrayOutputStream();
        final InstanceSettings settings = new InstanceSettings("a", "mem0", Ipv4Cidr.parse("10.0.0.2/24"), 0,
            0x02_00_00_00_00_02L, 0, pcap, List.of(ListenSpec.parse("udp:7"), ListenSpec.parse("udp:9?service=discard")),
            false, false);
        final StackInstance instance = new StackInstance(settings, pair.a(), null,
            new EventLog(new PrintStream(logged, true, StandardCharsets.UTF_8), "a"));
        final NetworkStack peer = new NetworkStack(pair.b(),
            InterfaceConfig.builder(Ipv4Cidr.parseAddress("10.0.0.1"), 24).seed(1).build());
        final List<String> replies = new ArrayList<>();
        final UdpSocket socket = peer.udp().open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s)
            {
                s.receive((srcAddr, srcPort, buffer, offset, length) ->
                    replies.add(srcPort + ":" + buffer.getStringWithoutLengthAscii(offset, length)), 100);
            }
        });
        socket.bind(40000);
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        for (int i = 0; i < 5; i++)
        {
            final int length = payload.putStringWithoutLengthAscii(0, "hello " + i);
            assertTrue(socket.sendTo(0x0A000002, 7, payload, 0, length));
            assertTrue(socket.sendTo(0x0A000002, 9, payload, 0, length));
        }
        assertTrue(socket.sendTo(0x0A000002, 7, payload, 0, 0), "an empty datagram is echoed too");
        long nowNs = 1_000_000_000L;
        for (int turn = 0; turn < 100 && replies.size() < 6; turn++)
        {
            peer.poll(nowNs);
            instance.pollOnce(nowNs);
            nowNs += 1_000_000L;
        }
        assertEquals(List.of("7:hello 0", "7:hello 1", "7:hello 2", "7:hello 3", "7:hello 4", "7:"), replies);
        assertEquals(6, instance.echoed());
        final String stats = instance.stats();
        assertTrue(stats.contains("udp:7 echo 6 datagrams"), stats);
        assertTrue(stats.contains("udp:9 discard 5 datagrams"), stats);
        instance.close();

        // Every frame in the pcap: ARP both ways, 10 datagrams in, 5 echoes out.
        final ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b23c4d, file.getInt(0));
        int records = 0;
        for (int at = 24; at < file.limit(); at += 16 + file.getInt(at + 8))
        {
            records++;
        }
        assertTrue(records >= 15, "records " + records);
    }

    /**
     * Issue 13: the stack alone takes {@code --ipv6} too (auto, configured addresses, the gateway): the configured
     * address goes through DAD and is used, the configured router is the default one.
     */
    @Test
    void theStackAloneTakesItsIpv6Settings()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        final io.conntest.cli.options.Ipv6Settings ipv6 = io.conntest.cli.options.Ipv6Settings.of(List.of(
            io.conntest.cli.options.Ipv6Choice.parse("fd00:c0::2/64"), io.conntest.cli.options.Ipv6Choice.AUTO),
            io.conntest.cli.options.Ipv6Gateway.parse("fd00:c0::1"));
        final InstanceSettings settings = new InstanceSettings("v6", "mem0", Ipv4Cidr.parse("10.0.0.2/24"), 0,
            0x02_00_00_00_00_02L, 0, null, List.of(ListenSpec.parse("udp:7?service=echo")), false, false, ipv6);
        final StackInstance instance = new StackInstance(settings, pair.a(), null,
            new EventLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "v6"));
        final io.conntest.stack.ipv6.Ipv6Host host = instance.stack().iface().ipv6();
        assertTrue(host.autoconfigures());
        assertTrue(host.addressesChange());
        long nowNs = 1_000_000_000L;
        for (int turn = 0; turn < 1000 && !host.addresses().contains("fd00:c0::2 preferred"); turn++)
        {
            instance.pollOnce(nowNs);
            nowNs += 10_000_000L; // DAD: a random delay of up to 1 s, one probe, 1 s of silence
        }
        assertTrue(host.addresses().contains("fd00:c0::2 preferred"), host.addresses().toString());
        assertEquals("fd00:c0::1", host.defaultRouter());
        instance.close();
    }

    /** Issue 3: {@code --listen 'tcp:7?service=echo'} (and discard, source) on the own stack, tried by a TCP peer. */
    @Test
    void tcpEchoDiscardAndSourceServices()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        final ByteArrayOutputStream logged = new ByteArrayOutputStream();
        final InstanceSettings settings = new InstanceSettings("t", "mem0", Ipv4Cidr.parse("10.0.0.2/24"), 0,
            0x02_00_00_00_00_02L, 0, null, List.of(ListenSpec.parse("tcp:7?service=echo"),
            ListenSpec.parse("tcp:9?service=discard"), ListenSpec.parse("tcp:19?service=source")), false, false);
        final StackInstance instance = new StackInstance(settings, pair.a(), null,
            new EventLog(new PrintStream(logged, true, StandardCharsets.UTF_8), "t"));
        final NetworkStack peer = new NetworkStack(pair.b(),
            InterfaceConfig.builder(Ipv4Cidr.parseAddress("10.0.0.1"), 24).seed(1).build());
        final TcpProtocol tcp = new TcpProtocol(new TcpConfig(), 0x0A000001);
        tcp.mtu(1500);
        peer.addProtocol(tcp);
        final TcpSocket echo = tcp.openSocket();
        final TcpSocket discard = tcp.openSocket();
        final TcpSocket source = tcp.openSocket();
        assertTrue(echo.connect(0x0A000002, 7) && discard.connect(0x0A000002, 9) && source.connect(0x0A000002, 19));
        final byte[] sent = new byte[100_000];
        new java.util.SplittableRandom(3).nextBytes(sent);
        final UnsafeBuffer out = new UnsafeBuffer(sent);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[sent.length]);
        final UnsafeBuffer sink = new UnsafeBuffer(new byte[65536]);
        int written = 0;
        int writtenDiscard = 0;
        int echoed = 0;
        long fromSource = 0;
        long nowNs = 1_000_000_000L;
        for (int turn = 0; turn < 20_000 && (echoed < sent.length || fromSource < 1_000_000); turn++)
        {
            written += Math.max(0, echo.write(out, written, sent.length - written));
            writtenDiscard += Math.max(0, discard.write(out, writtenDiscard, sent.length - writtenDiscard));
            echoed += Math.max(0, echo.read(in, echoed, sent.length - echoed));
            fromSource += Math.max(0, source.read(sink, 0, sink.capacity()));
            peer.poll(nowNs);
            instance.pollOnce(nowNs);
            nowNs += 100_000L;
        }
        assertEquals(sent.length, echoed, "everything echoed");
        assertTrue(java.util.Arrays.equals(sent, in.byteArray()), "echoed bytes identical");
        assertTrue(fromSource >= 1_000_000, "source sent " + fromSource);
        final String stats = instance.stats();
        assertTrue(stats.contains("tcp:7 echo 1 connections (100000 B in, 100000 B out)"), stats);
        assertTrue(stats.contains("tcp:9 discard 1 connections (100000 B in"), stats);
        assertTrue(stats.contains("tcp:19 source 1 connections"), stats);
        instance.close();
    }

    @Test
    void runReturnsAtItsEndAndLogsTheStart()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        final ByteArrayOutputStream logged = new ByteArrayOutputStream();
        final InstanceSettings settings = new InstanceSettings("b", "mem0", Ipv4Cidr.parse("10.0.0.2/24"),
            Ipv4Cidr.parseAddress("10.0.0.1"), -1, 1400, null, List.of(), true, true);
        try (StackInstance instance = new StackInstance(settings, pair.a(), () -> "link of mem0 is down",
            new EventLog(new PrintStream(logged, true, StandardCharsets.UTF_8), "b")))
        {
            instance.run(System.nanoTime() + 50_000_000L);
        }
        final String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("b: up: ") && log.contains("10.0.0.2/24 via 10.0.0.1 on mem0 (mtu 1400)"), log);
        assertTrue(log.contains("warning: link of mem0 is down"), log);
        assertTrue(log.contains("b: tx 42 B ") && log.contains(" ARP who-has 10.0.0.2 from 10.0.0.2"),
            "the traced gratuitous ARP: " + log);
    }
}
