package io.conntest.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.natprobe.NatProbe;
import io.conntest.stack.testing.Await;

/**
 * A kernel UDP listener on {@code ::1} takes a NAT probe from an IPv6 source without answering it: the NAT test and
 * the arrivals question are IPv4's, and an IPv6 source's demultiplexing key is a hash, not an address (before, its
 * bits were taken for an IPv4 address and the answer went to that). The probe is counted.
 */
class KernelNatProbeIpv6Test
{
    @Test
    void aNatProbeFromAnIpv6SourceIsDroppedAndCounted() throws Exception
    {
        final AcceptHandler refuse = (connection, nowNs) ->
        {
            throw new AssertionError("no connection expected");
        };
        try (KernelTransport transport = new KernelTransport();
            DatagramSocket prober = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0)))
        {
            final KernelUdpListener listener = (KernelUdpListener)transport.listen(TransportProtocol.UDP, "::1", 0,
                refuse);
            final byte[] probe = new byte[NatProbe.LENGTH];
            final int length = NatProbe.writeRequest(new UnsafeBuffer(probe), 0, NatProbe.KIND_MAPPING, 42, 0);
            prober.send(new DatagramPacket(probe, length, InetAddress.getByName("::1"), listener.port()));
            Await.until(() ->
            {
                transport.poll(System.nanoTime());
                return listener.ipv6NatProbes() == 1;
            }, 5_000, "the probe taken and counted");
            assertEquals(1, listener.ipv6NatProbes());
        }
    }
}
