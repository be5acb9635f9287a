package io.conntest.stack.phy;

import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.testing.Privileges;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapWriterDeviceTest
{
    private static final long EPOCH_NS = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(EPOCH_NS);
    private final InMemoryDevicePair pair = new InMemoryDevicePair();

    /** Sends {@code count} frames each way through the writer: sent ids 0.., received ids 1000.. */
    private PcapWriterDevice exchange(final Path file, final int count) throws IOException
    {
        final PcapWriterDevice device = new PcapWriterDevice(pair.a(), file, clock::nowNs);
        for (int i = 0; i < count; i++)
        {
            assertTrue(TestFrames.send(device, i, 60 + i));
            clock.advanceNs(1_000);
            assertTrue(TestFrames.send(pair.b(), 1000 + i, 1000));
            assertEquals(1, device.receive((b, o, l) -> assertEquals(1000, l), 10));
            clock.advanceNs(1_000);
        }
        assertEquals(count, pair.b().receive((b, o, l) -> { }, 1000));
        return device;
    }

    @Test
    void writesAClassicPcapWithEveryFrameInBothDirections() throws IOException
    {
        final Path file = dir.resolve("run.pcap");
        final PcapWriterDevice device = exchange(file, 3);
        assertEquals(6, device.framesWritten());
        device.close();
        assertNull(device.writeError());

        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b23c4d, bytes.getInt(0));
        assertEquals(2, bytes.getShort(4));
        assertEquals(4, bytes.getShort(6));
        assertEquals(PcapWriterDevice.SNAPLEN, bytes.getInt(16));
        assertEquals(1, bytes.getInt(20));
        int at = 24;
        long expectedTimeNs = EPOCH_NS;
        final UnsafeBuffer view = new UnsafeBuffer(bytes.array());
        for (int i = 0; i < 6; i++)
        {
            final long seconds = bytes.getInt(at) & 0xFFFFFFFFL;
            final long nanos = bytes.getInt(at + 4);
            assertEquals(expectedTimeNs, seconds * 1_000_000_000L + nanos);
            final int captured = bytes.getInt(at + 8);
            final int original = bytes.getInt(at + 12);
            assertEquals(original, captured);
            final boolean sent = i % 2 == 0;
            assertEquals(sent ? 60 + i / 2 : 1000, captured);
            assertEquals(sent ? i / 2 : 1000 + i / 2, TestFrames.id(view, at + 16));
            assertTrue(TestFrames.udpVerifies(view, at + 16, captured));
            at += 16 + captured;
            expectedTimeNs += 1_000;
        }
        assertEquals(at, bytes.limit(), "nothing after the last record");
    }

    @Test
    void flushesTheHeaderAtOnceAndRecordsOnFlush() throws IOException
    {
        final Path file = dir.resolve("flush.pcap");
        final PcapWriterDevice device = exchange(file, 1);
        assertEquals(24, Files.size(file), "records stay buffered until a flush");
        device.flush();
        assertEquals(24 + 16 + 60 + 16 + 1000, Files.size(file));
        device.close();
    }

    @Test
    void tsharkReadsTheCaptureWithoutMalformedPackets() throws Exception
    {
        Privileges.assumeCommand("tshark");
        final Path file = dir.resolve("tshark.pcap");
        exchange(file, 50).close();
        final String all = run("tshark", "-r", file.toString());
        assertEquals(100, all.lines().count(), all);
        assertTrue(all.contains("UDP"), all);
        final String malformed = run("tshark", "-r", file.toString(), "-Y", "_ws.malformed || _ws.expert.severity >= warning");
        assertEquals("", malformed.trim());
    }

    private static String run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream())
        {
            in.transferTo(out);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        assertFalse(text.contains("appears to have been cut short"), text);
        // tshark warns on stderr when it runs as root; that line is not part of its output.
        return text.lines().filter(line -> !line.startsWith("Running as user"))
            .reduce("", (a, b) -> a + b + "\n");
    }
}
