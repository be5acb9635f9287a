package io.conntest.tap;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.Offloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernel interop test of {@link TcpKernelInteropTest} again on a TAP opened with offloads (issue 9:
 * {@code IFF_VNET_HDR}, checksum and TCP segmentation offload): SHA-256 echoes both ways, loss both ways, tshark,
 * nmap, resets, refused ports, throughput. After each, the TAP must have refused no virtio-net header either way.
 */
class TcpKernelInteropOffloadTest extends TcpKernelInteropTest
{
    @Override
    OffloadMode offloadMode()
    {
        return OffloadMode.AUTO;
    }

    @AfterEach
    void offloadsWereUsedCleanly()
    {
        final TapDevice tap = tap();
        if (tap == null)
        {
            return;
        }
        assertTrue(Offloads.tcpSegmentation(tap.offloads()), "negotiated: " + Offloads.describe(tap.offloads()));
        assertEquals(0, tap.rxDropsBadHeader(), "virtio-net headers from the kernel refused");
        assertEquals(0, tap.txDropsInvalid(), "virtio-net headers refused by the kernel");
        System.out.println("offload interop: " + iface().counters().get(InterfaceCounter.TX_SUPER_FRAMES) +
            " super-frames of " + iface().counters().get(InterfaceCounter.TX_OFFLOADED) + " offloaded frames sent, " +
            tap.txGathered() + " of them gathered (writev from the send buffer)");
        assertEquals(iface().counters().get(InterfaceCounter.TX_GATHERED), tap.txGathered());
    }

    /** As the plain test; on the TAP itself (no decorator) the echoed data leaves by gather writes. */
    @Test
    @Override
    void kernelClientToStackEchoServiceThirtyTwoMegabytesHashed() throws Exception
    {
        super.kernelClientToStackEchoServiceThirtyTwoMegabytesHashed();
        assertTrue(tap().txGathered() > 0, "no segment was written from the send buffer in place");
    }
}
