package io.conntest.stack.phy;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TracingDeviceTest
{
    @Test
    void describesEveryFrameInBothDirections()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        final List<String> lines = new ArrayList<>();
        final TracingDevice device = new TracingDevice(pair.a(), lines::add);
        TestFrames.send(device, 1, 100);
        TestFrames.send(pair.b(), 2, 60);
        final int[] seen = new int[1];
        assertEquals(1, device.receive((b, o, l) -> seen[0] = TestFrames.id(b, o), 10));
        assertEquals(2, seen[0]);
        assertEquals(List.of(
            "tx 100 B 02:00:00:00:00:02 > 02:00:00:00:00:01 IPv4 10.0.0.2 > 10.0.0.1 UDP 40000 > 9",
            "rx 60 B 02:00:00:00:00:02 > 02:00:00:00:00:01 IPv4 10.0.0.2 > 10.0.0.1 UDP 40000 > 9"), lines);
        assertEquals(1, pair.b().receive((b, o, l) -> { }, 10));
    }

    @Test
    void survivesShortAndOddFrames()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        assertEquals("rx 10 B (runt)", TracingDevice.describe("rx", b, 0, 10));
        b.putShort(12, (short)0x88cc, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals("rx 20 B 00:00:00:00:00:00 > 00:00:00:00:00:00 type 0x88cc",
            TracingDevice.describe("rx", b, 0, 20));
        b.putShort(12, (short)0x0800, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals("rx 20 B 00:00:00:00:00:00 > 00:00:00:00:00:00 IPv4", TracingDevice.describe("rx", b, 0, 20));
    }
}
