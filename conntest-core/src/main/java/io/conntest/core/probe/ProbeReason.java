package io.conntest.core.probe;

/**
 * Why a port got its {@link PortState}: the evidence, with nmap's reason words as {@link #toString()} where nmap
 * has one ({@code syn-ack}, {@code conn-refused}, {@code reset}, {@code no-response}, {@code port-unreach},
 * {@code host-unreach}, {@code net-unreach}, {@code admin-prohibited}, {@code udp-response}).
 */
public enum ProbeReason
{
    /** TCP handshake completed (a kernel connect cannot see the SYN-ACK itself, but that is what it got). */
    SYN_ACK("syn-ack"),
    /** TCP connect refused: the host answered the SYN with a reset (kernel sockets report ECONNREFUSED). */
    CONN_REFUSED("conn-refused"),
    /** TCP reset seen directly (a userspace stack sees the RST segment itself). */
    RESET("reset"),
    /** Nothing came back within the timeout, after every attempt. */
    NO_RESPONSE("no-response"),
    /** ICMP port unreachable (RFC 792 type 3 code 3): closed UDP port. */
    PORT_UNREACH("port-unreach"),
    /** ICMP host unreachable, or the local stack found no route to the host (EHOSTUNREACH). */
    HOST_UNREACH("host-unreach"),
    /** ICMP network unreachable, or no local route to the network (ENETUNREACH). */
    NET_UNREACH("net-unreach"),
    /** ICMP administratively prohibited, or a local firewall rule refused to send (EPERM). */
    ADMIN_PROHIBITED("admin-prohibited"),
    /** A UDP datagram came back from the port. */
    UDP_RESPONSE("udp-response"),
    /** A conntest listener answered with its hello: the port is open and speaks conntest. */
    CONNTEST_HELLO("conntest-hello"),
    /** The probe could not be carried out locally (see the result's detail). */
    LOCAL_ERROR("local-error");

    private final String wireName;

    ProbeReason(final String wireName)
    {
        this.wireName = wireName;
    }

    /** The reason's word as nmap prints it, e.g. {@code conn-refused}. */
    public String wireName()
    {
        return wireName;
    }

    /** The reason whose {@link #wireName()} is {@code name} (case-insensitive), or an exception naming it. */
    public static ProbeReason fromWireName(final String name)
    {
        for (final ProbeReason reason : values())
        {
            if (reason.wireName.equalsIgnoreCase(name))
            {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown probe reason '" + name + "'");
    }

    @Override
    public String toString()
    {
        return wireName;
    }
}
