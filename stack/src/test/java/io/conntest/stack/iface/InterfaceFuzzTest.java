package io.conntest.stack.iface;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.wire.Fixtures;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of every parser through the interface (Ethernet, ARP, IPv4 with options and
 * reassembly, ICMP, UDP). The seed corpus is the frames captured from the kernel; a normal build replays it
 * (regression mode), {@code JAZZER_FUZZ=1 mvn test -Dtest=InterfaceFuzzTest} fuzzes for real.
 */
class InterfaceFuzzTest
{
    private static RawLink link;

    @FuzzTest(maxDuration = "60s")
    void anyFrameIsCountedNeverThrown(final byte[] frame)
    {
        if (link == null)
        {
            link = new RawLink(InterfaceConfig.builder(Fixtures.KERNEL_B, 24).mac(Fixtures.KERNEL_B_MAC).seed(9).build());
            new UdpEchoService(link.udp, 5000);
            link.poll();
        }
        final long before = link.count(InterfaceCounter.RX_FRAMES);
        // A device never delivers more than MTU + Ethernet header bytes.
        link.inject(new UnsafeBuffer(frame), 0, Math.min(frame.length, 1514));
        assertEquals(before + 1, link.count(InterfaceCounter.RX_FRAMES));
        link.clock.advanceMs(frame.length);
        link.sent();
    }
}
