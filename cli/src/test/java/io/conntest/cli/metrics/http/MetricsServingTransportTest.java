package io.conntest.cli.metrics.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import io.conntest.core.transport.Transport;

/**
 * The wrapper that serves metrics on the stack must hand every {@link Transport} call to the stack's transport: a
 * default method it does not override would run the interface's default instead (and hide what the stack does).
 */
class MetricsServingTransportTest
{
    @Test
    void everyTransportMethodIsForwarded()
    {
        for (final Method m : Transport.class.getMethods())
        {
            assertDoesNotThrow(() -> MetricsServingTransport.class.getDeclaredMethod(m.getName(), m.getParameterTypes()),
                "MetricsServingTransport does not forward Transport." + m.getName());
        }
    }
}
