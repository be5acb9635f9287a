package io.conntest.stack.sim;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.phy.PcapWriterDevice;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.testing.Privileges;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wireshark's dissectors as an independent judge of what the stack emits: every frame of an exchange (ARP, pings
 * small and fragmented, UDP echoes across fragment boundaries, port unreachable) is captured to a pcap and must
 * dissect with no malformed packet, no warning and no bad IPv4, ICMP or UDP checksum.
 */
class TsharkDissectionTest
{
    @TempDir
    Path dir;

    @Test
    void everyEmittedFrameDissectsCleanly() throws Exception
    {
        Privileges.assumeCommand("tshark");
        final Path file = dir.resolve("stack.pcap");
        final ManualClock clock = new ManualClock(1_000_000_000L);
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        final PcapWriterDevice pcap = new PcapWriterDevice(pair.a(), file);
        final NetworkStack a = new NetworkStack(pcap, InterfaceConfig.builder(TwoStacks.ADDR_A, 24).seed(1).build());
        final NetworkStack b = new NetworkStack(pair.b(), InterfaceConfig.builder(TwoStacks.ADDR_B, 24).seed(2).build());
        new UdpEchoService(b.udp(), 7);
        final UdpSocket socket = a.udp().open(null);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[65_507]);
        for (int i = 0; i < data.capacity(); i++)
        {
            data.putByte(i, (byte)(i * 31));
        }
        final int[] sizes = {0, 1, 1472, 1473, 2952, 2953, 5000, 65_507};
        for (final int size : sizes)
        {
            assertTrue(socket.sendTo(TwoStacks.ADDR_B, 7, data, 0, size));
        }
        assertTrue(socket.sendTo(TwoStacks.ADDR_B, 9999, data, 0, 10));
        assertTrue(a.iface().sendEchoRequest(TwoStacks.ADDR_B, 7, 1, data, 0, 56));
        for (int i = 0; i < 200; i++)
        {
            a.poll(clock.nowNs());
            b.poll(clock.nowNs());
            clock.advanceMs(1);
        }
        assertTrue(a.iface().sendEchoRequest(TwoStacks.ADDR_B, 7, 2, data, 0, 65_000));
        for (int i = 0; i < 200; i++)
        {
            a.poll(clock.nowNs());
            b.poll(clock.nowNs());
            clock.advanceMs(1);
        }
        assertEquals(sizes.length, socket.datagramsReceived(), "all echoes came back");
        pcap.close();
        final long frames = pcap.framesWritten();
        assertTrue(frames > 150, "frames captured: " + frames);

        final String all = tshark("-r", file.toString());
        assertEquals(frames, all.lines().count(), all);
        final String bad = tshark("-r", file.toString(),
            "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-Y", "_ws.malformed || _ws.expert.severity >= warning || ip.checksum.status == 0"
                + " || udp.checksum.status == 0 || icmp.checksum.status == 0");
        assertEquals("", bad.trim(), "frames Wireshark finds fault with");
        final String reassembled = tshark("-r", file.toString(), "-Y", "ip.reassembled.length == 65515");
        assertEquals(2, reassembled.lines().count(), "the 65,507-byte datagram and its echo: " + reassembled);
        final String unreachable = tshark("-r", file.toString(), "-Y", "icmp.type == 3 && icmp.code == 3");
        assertEquals(1, unreachable.lines().count(), unreachable);
        final String pings = tshark("-r", file.toString(), "-Y", "icmp.type == 0");
        assertEquals(2, pings.lines().count(), pings);
    }

    private static String tshark(final String... args) throws Exception
    {
        final String[] command = new String[args.length + 1];
        command[0] = "tshark";
        System.arraycopy(args, 0, command, 1, args.length);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream())
        {
            in.transferTo(out);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark timed out");
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        // tshark warns on stderr when it runs as root; that line is not part of its output.
        return text.lines().filter(line -> !line.startsWith("Running as user") && !line.isBlank())
            .reduce("", (x, y) -> x + y + "\n");
    }
}
