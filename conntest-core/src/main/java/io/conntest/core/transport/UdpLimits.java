package io.conntest.core.transport;

/** Message size limits of the UDP transports. */
public final class UdpLimits
{
    /** Largest UDP payload over IPv4: 65,535 - 20 (IP) - 8 (UDP). */
    public static final int MAX_UDP_PAYLOAD = 65_507;
    /** Room kept for the reliable-UDP header until its own figure is used. */
    private static final int RELIABILITY_HEADER_ALLOWANCE = 64;

    private UdpLimits()
    {
    }

    /** Largest message one reliable-UDP datagram carries. */
    public static int maxMessageLength()
    {
        return MAX_UDP_PAYLOAD - RELIABILITY_HEADER_ALLOWANCE;
    }
}
