package io.conntest.stack.service;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression for a bug NetworkStackFuzzTest found: a datagram from source port 0 (RFC 768: "no reply expected")
 * made the echo service call sendTo(.., 0, ..), whose exception stopped the poll loop. It is now dropped and counted.
 */
class UdpEchoSourcePortZeroTest
{
    @Test
    void rfc768_sourcePortZeroIsNotEchoedAndNothingBreaks()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        final NetworkStack server = new NetworkStack(pair.a(), InterfaceConfig.builder("10.0.0.2/24").build());
        final NetworkStack client = new NetworkStack(pair.b(), InterfaceConfig.builder("10.0.0.1/24").build());
        final UdpEchoService echo = new UdpEchoService(server.udp(), 7);
        final UdpSocket sender = client.udp().open(new UdpSocketListener()
        {
        });
        // A socket cannot send from port 0 (bind(0) picks an ephemeral port), so hand the service such a datagram
        // as its socket would; the whole-frame path is covered by the fuzz corpus (crash-udp-echo-source-port-0).
        echo.onDatagram(0x0A000001, 0, new UnsafeBuffer(new byte[8]), 0, 8);
        assertEquals(1, echo.dropped());
        assertEquals(0, echo.echoed());

        sender.sendTo(0x0A000002, 7, new UnsafeBuffer(new byte[8]), 0, 8);
        for (int i = 0; i < 50 && echo.echoed() == 0; i++)
        {
            final long now = i * 10_000_000L;
            client.poll(now);
            server.poll(now);
        }
        assertEquals(1, echo.echoed(), "the service still echoes after the port-0 datagram");
    }
}
