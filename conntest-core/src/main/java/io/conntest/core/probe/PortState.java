package io.conntest.core.probe;

/**
 * What a probe found out about a port, in nmap's terms; {@link #toString()} gives nmap's word.
 *
 * <ul>
 *   <li>{@link #OPEN}: something accepted the connection (TCP) or answered (UDP).</li>
 *   <li>{@link #CLOSED}: the host answered that nothing listens (TCP reset, ICMP port unreachable).</li>
 *   <li>{@link #FILTERED}: no answer, or an ICMP error from on the way: a firewall or the path is in the way.</li>
 *   <li>{@link #OPEN_FILTERED}: UDP without any answer: open and silent, or filtered; nmap cannot tell either.</li>
 *   <li>{@link #UNKNOWN}: the probe could not be carried out here (a local error such as no file descriptors
 *       left); nmap's internal "unknown". Says nothing about the network.</li>
 * </ul>
 */
public enum PortState
{
    OPEN("open"),
    CLOSED("closed"),
    FILTERED("filtered"),
    OPEN_FILTERED("open|filtered"),
    UNKNOWN("unknown");

    private final String wireName;

    PortState(final String wireName)
    {
        this.wireName = wireName;
    }

    /** nmap's word for the state, e.g. {@code open|filtered}. */
    public String wireName()
    {
        return wireName;
    }

    /** The state whose {@link #wireName()} is {@code name} (case-insensitive), or an exception naming it. */
    public static PortState fromWireName(final String name)
    {
        for (final PortState state : values())
        {
            if (state.wireName.equalsIgnoreCase(name))
            {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown port state '" + name + "'");
    }

    @Override
    public String toString()
    {
        return wireName;
    }
}
