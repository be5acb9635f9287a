package io.conntest.core.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A port in use is an error on kernel sockets, for UDP as for TCP: a second listener on the same address and port
 * must not start (with SO_REUSEADDR a second UDP socket bound and took the first one's traffic).
 */
class PortInUseTest
{
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void aSecondListenerOnAPortInUseFails(final TransportProtocol protocol)
    {
        final AcceptHandler refuse = (connection, nowNs) ->
        {
            throw new AssertionError("no connection expected");
        };
        try (KernelTransport first = new KernelTransport(); KernelTransport second = new KernelTransport())
        {
            final Listener bound = first.listen(protocol, "127.0.0.1", 0, refuse);
            final TransportException ex = assertThrows(TransportException.class,
                () -> second.listen(protocol, "127.0.0.1", bound.port(), refuse));
            final String message = ex.getMessage();
            assertTrue(message.contains(protocol.lowerName() + " 127.0.0.1:" + bound.port()), message);
            assertTrue(message.toLowerCase().contains("in use"), message);
            // named once, not "cannot listen on ...: cannot listen on ..."
            assertTrue(message.indexOf("cannot listen") == message.lastIndexOf("cannot listen"), message);
        }
    }
}
