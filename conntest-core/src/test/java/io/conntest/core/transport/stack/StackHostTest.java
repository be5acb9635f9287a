package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.ForwardingDevice;
import io.conntest.stack.phy.InMemoryDevicePair;

/** Idle waiting: sleeps go to the device, bounded by the wake-up slice; a wake-up skips the next sleep. */
class StackHostTest
{
    /** Records the sleeps asked of it; otherwise the in-memory end. */
    private static final class RecordingDevice extends ForwardingDevice
    {
        final List<Long> waits = new ArrayList<>();

        RecordingDevice()
        {
            super(new InMemoryDevicePair().a());
        }

        @Override
        public void awaitReceive(final long timeoutNs)
        {
            waits.add(timeoutNs);
        }
    }

    @Test
    void idleSleepsInTheDeviceInBoundedSlicesAndWakeupSkipsTheSleep() throws Exception
    {
        final RecordingDevice device = new RecordingDevice();
        final StackTransport transport = new StackTransport(device, InterfaceConfig.builder("10.0.0.9/24").build());
        transport.idle(0, 3_000_000L);
        transport.idle(0, 5_000_000_000L);
        assertEquals(List.of(3_000_000L, StackHost.WAKEUP_SLICE_NS), device.waits);

        final Thread other = new Thread(transport::wakeup);
        other.start();
        other.join();
        transport.idle(0, 5_000_000_000L);
        assertEquals(2, device.waits.size(), "the wake-up made idle return without sleeping");
        transport.idle(0, 5_000_000_000L);
        assertEquals(3, device.waits.size(), "a wake-up counts once");
        transport.idle(10, 10);
        assertEquals(3, device.waits.size(), "nothing to wait for at the deadline");

        assertEquals("tap", transport.name());
        transport.close();
        transport.idle(0, 5_000_000_000L);
        assertEquals(3, device.waits.size(), "a closed transport does not sleep");
        assertTrue(transport.host().isClosed());
    }
}
