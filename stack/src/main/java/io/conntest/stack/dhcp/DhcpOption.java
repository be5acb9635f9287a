package io.conntest.stack.dhcp;

/** The DHCP option codes (RFC 2132) and message types (option 53) the client uses. */
public final class DhcpOption
{
    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS = 6;
    public static final int INTERFACE_MTU = 26;
    public static final int REQUESTED_ADDRESS = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int CLIENT_ID = 61;
    public static final int END = 255;

    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int DECLINE = 4;
    public static final int ACK = 5;
    public static final int NAK = 6;
    public static final int RELEASE = 7;
    public static final int INFORM = 8;

    /** Lease time 0xffffffff: infinite (RFC 2131 §3.3). */
    public static final long INFINITE = 0xFFFF_FFFFL;

    private DhcpOption()
    {
    }

    /** The name of a message type, for events and logs ("OFFER"), or its number. */
    public static String messageTypeName(final int type)
    {
        switch (type)
        {
            case DISCOVER: return "DISCOVER";
            case OFFER: return "OFFER";
            case REQUEST: return "REQUEST";
            case DECLINE: return "DECLINE";
            case ACK: return "ACK";
            case NAK: return "NAK";
            case RELEASE: return "RELEASE";
            case INFORM: return "INFORM";
            default: return Integer.toString(type);
        }
    }
}
