package io.conntest.cli.run;

import io.conntest.core.transport.KernelTransport;
import io.conntest.tap.OffloadMode;

/**
 * The {@code kernel} transport as conntest runs it: the kernel's TCP figures ({@link KernelTcpInfo}) and, unless
 * {@code --offload none} asks for one datagram per system call, reliable UDP through {@code UDP_SEGMENT} and
 * {@code UDP_GRO} ({@link KernelUdpSegmentation}), and path MTU probing ({@link KernelPathMtu}). The one place the command line, the lab and the bench build it.
 */
public final class KernelTransports
{
    private KernelTransports()
    {
    }

    public static KernelTransport open(final OffloadMode offload)
    {
        final KernelTransport transport = KernelPathMtu.attachTo(KernelTcpInfo.attachTo(new KernelTransport()));
        return offload == OffloadMode.NONE ? transport : KernelUdpSegmentation.attachTo(transport);
    }
}
