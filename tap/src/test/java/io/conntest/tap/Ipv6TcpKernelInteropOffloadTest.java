package io.conntest.tap;

/**
 * {@link Ipv6TcpKernelInteropTest} on a TAP with offloads negotiated (virtio-net header): the kernel's TCP over IPv6
 * hands the TAP segments whose checksum it left to be completed (NEEDS_CSUM) and, with TSO6, segments above the MTU;
 * the stack takes both (its own IPv6 segments still leave plain, checksummed in Java).
 */
class Ipv6TcpKernelInteropOffloadTest extends Ipv6TcpKernelInteropTest
{
    @Override
    OffloadMode offloadMode()
    {
        return OffloadMode.AUTO;
    }
}
