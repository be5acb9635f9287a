package io.conntest.core.transport;

/** A bound listening endpoint. */
public interface Listener
{
    TransportProtocol protocol();

    String host();

    /** The bound port (the one the system chose when 0 was asked for). */
    int port();

    void close();
}
