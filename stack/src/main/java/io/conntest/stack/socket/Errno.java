package io.conntest.stack.socket;

/** Linux errno values the sockets report, so users see the codes (and names) they know from kernel sockets. */
public final class Errno
{
    public static final int EPROTO = 71;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
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
            case EPROTO: return "EPROTO";
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
}
