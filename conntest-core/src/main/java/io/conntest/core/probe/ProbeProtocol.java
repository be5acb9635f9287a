package io.conntest.core.probe;

/** The transport a port is probed over; {@link #toString()} gives nmap's lower-case word ({@code 80/tcp}). */
public enum ProbeProtocol
{
    TCP("tcp"),
    UDP("udp");

    private final String wireName;

    ProbeProtocol(final String wireName)
    {
        this.wireName = wireName;
    }

    /** nmap's word for the protocol: {@code tcp} or {@code udp}. */
    public String wireName()
    {
        return wireName;
    }

    /** The protocol named {@code name} (case-insensitive {@code tcp}/{@code udp}), or an exception naming it. */
    public static ProbeProtocol fromWireName(final String name)
    {
        for (final ProbeProtocol protocol : values())
        {
            if (protocol.wireName.equalsIgnoreCase(name))
            {
                return protocol;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + name + "' (expected tcp or udp)");
    }

    @Override
    public String toString()
    {
        return wireName;
    }
}
