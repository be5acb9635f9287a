package io.conntest.stack.socket;

/** Linux errno values the sockets report, so users see the codes (and names) they know from kernel sockets. */
public final class Errno
{
    public static final int EACCES = 13;
    public static final int EPROTO = 71;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;

    private Errno()
    {
    }

    /** The symbolic name, e.g. "ECONNREFUSED". */
    public static String name(final int errno)
    {
        switch (errno)
        {
            case EACCES: return "EACCES";
            case EPROTO: return "EPROTO";
            case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
            case EMSGSIZE: return "EMSGSIZE";
            case ENOPROTOOPT: return "ENOPROTOOPT";
            case ENETUNREACH: return "ENETUNREACH";
            case ECONNREFUSED: return "ECONNREFUSED";
            case EHOSTUNREACH: return "EHOSTUNREACH";
            default: return "errno " + errno;
        }
    }

    /**
     * The errno for an ICMP error (RFC 792, RFC 1122 §3.2.2.1), as Linux maps them (net/ipv4/icmp.c), or 0 for
     * messages that are not errors to report (source quench).
     */
    public static int fromIcmp(final int type, final int code)
    {
        switch (type)
        {
            case 3:
                switch (code)
                {
                    case 0: case 6: case 11: return ENETUNREACH;
                    case 2: return ENOPROTOOPT;
                    case 3: return ECONNREFUSED;
                    case 4: return EMSGSIZE;
                    default: return EHOSTUNREACH;
                }
            case 11:
                return EHOSTUNREACH;
            case 12:
                return EPROTO;
            default:
                return 0;
        }
    }

    /**
     * The errno for an ICMPv6 error (RFC 4443 §3) as Linux maps them (net/ipv6/icmp.c, icmpv6_err_convert):
     * destination unreachable by code (0 no route: ENETUNREACH; 1 administratively prohibited, 5 source address
     * failed policy, 6 reject route: EACCES; 2 beyond scope, 3 address unreachable: EHOSTUNREACH; 4 port
     * unreachable: ECONNREFUSED), packet too big EMSGSIZE, time exceeded EHOSTUNREACH, parameter problem EPROTO;
     * 0 for anything else.
     */
    public static int fromIcmpv6(final int type, final int code)
    {
        switch (type)
        {
            case 1:
                switch (code)
                {
                    case 0: return ENETUNREACH;
                    case 1: case 5: case 6: return EACCES;
                    case 4: return ECONNREFUSED;
                    default: return EHOSTUNREACH;
                }
            case 2:
                return EMSGSIZE;
            case 3:
                return EHOSTUNREACH;
            case 4:
                return EPROTO;
            default:
                return 0;
        }
    }
}
