package io.conntest.core.transport;

import io.conntest.core.rudp.ReliableUdpChannel;

/** Message size limits of the UDP transports. */
public final class UdpLimits
{
    /** Largest UDP payload over IPv4: 65,535 - 20 (IP) - 8 (UDP). */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    private UdpLimits()
    {
    }

    /** Largest message one reliable-UDP datagram carries. */
    public static int maxMessageLength()
    {
        return ReliableUdpChannel.maxMessageLength();
    }
}
