package io.conntest.core.transport;

/** Decides who handles a connection a listener accepted. */
@FunctionalInterface
public interface AcceptHandler
{
    /** Returns the handler for the new connection; {@code onConnected} follows once it is established. */
    ConnectionHandler onAccepted(Connection connection, long nowNs);
}
