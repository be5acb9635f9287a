package io.conntest.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.Offloads;

/**
 * Every test of {@link UdpIpv6KernelInteropTest} again on a TAP opened with offloads ({@code IFF_VNET_HDR},
 * checksum and segmentation offload negotiated, as {@code --offload auto}, the default): the kernel's UDP over IPv6
 * then reaches the stack with its checksum left for the device to complete. After each, the TAP must have refused no
 * virtio-net header either way.
 */
class UdpIpv6KernelInteropOffloadTest extends UdpIpv6KernelInteropTest
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
        final long completed = stack() == null ? 0
            : stack().iface().counters().get(InterfaceCounter.RX_IPV6_CHECKSUM_TRUSTED);
        System.out.println("udp6 offload interop: negotiated " + Offloads.describe(tap.offloads()) + ", "
            + completed + " partial checksums of the kernel's trusted");
        assertTrue(!Offloads.checksum(tap.offloads()) || stack() == null || completed > 0,
            "the kernel's UDP over IPv6 came with partial checksums");
        assertEquals(0, tap.rxDropsBadHeader(), "virtio-net headers from the kernel refused");
        assertEquals(0, tap.txDropsInvalid(), "virtio-net headers refused by the kernel");
    }
}
