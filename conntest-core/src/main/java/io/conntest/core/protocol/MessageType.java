package io.conntest.core.protocol;

/** Frame types of the conntest protocol (the header's type byte). */
public final class MessageType
{
    public static final int HELLO = 1;
    public static final int LATENCY_PING = 2;
    public static final int LATENCY_PONG = 3;
    public static final int BANDWIDTH_REQUEST = 4;
    public static final int DATA = 5;
    public static final int BANDWIDTH_RESULT = 6;
    public static final int GOODBYE = 7;
    public static final int ERROR = 8;
    /** What the sender sees of its other peers (sent only to a peer whose HELLO announced the capability). */
    public static final int PEER_VIEW = 9;
    /** How the sender sees the receiver: address, port, TTL and TOS of its packets (same capability rule). */
    public static final int PEER_SEEN = 10;

    private static final String[] NAMES =
        { "?", "HELLO", "LATENCY_PING", "LATENCY_PONG", "BANDWIDTH_REQUEST", "DATA", "BANDWIDTH_RESULT", "GOODBYE",
          "ERROR", "PEER_VIEW", "PEER_SEEN" };

    private MessageType()
    {
    }

    public static boolean isKnown(final int type)
    {
        return type >= HELLO && type <= PEER_SEEN;
    }

    public static String name(final int type)
    {
        return isKnown(type) ? NAMES[type] : "UNKNOWN(" + type + ")";
    }

    /** Largest body a frame of this type may declare; everything above is a protocol error. */
    public static long maxBodyLength(final int type)
    {
        switch (type)
        {
            case HELLO:
                return HelloBody.MAX_LENGTH;
            case LATENCY_PING:
                return 0;
            case LATENCY_PONG:
                return LatencyPongBody.LENGTH_WITH_LOSS;
            case BANDWIDTH_REQUEST:
                return BandwidthRequestBody.LENGTH;
            case DATA:
                return ProtocolLimits.MAX_DATA_PAYLOAD;
            case BANDWIDTH_RESULT:
                return BandwidthResultBody.LENGTH;
            case GOODBYE:
            case ERROR:
                return CloseBody.MAX_LENGTH;
            case PEER_VIEW:
                return ProtocolLimits.MAX_CONTROL_BODY;
            case PEER_SEEN:
                return PeerSeenBody.MAX_LENGTH;
            default:
                return -1;
        }
    }

    /** Smallest body a frame of this type may declare. */
    public static long minBodyLength(final int type)
    {
        switch (type)
        {
            case HELLO:
                return HelloBody.NAME_OFFSET;
            case LATENCY_PONG:
                return LatencyPongBody.LENGTH;
            case BANDWIDTH_REQUEST:
                return BandwidthRequestBody.LENGTH_WITHOUT_RATE;
            case BANDWIDTH_RESULT:
                return BandwidthResultBody.LENGTH;
            case GOODBYE:
            case ERROR:
                return CloseBody.TEXT_OFFSET;
            case PEER_VIEW:
                return PeerViewBody.HEADER_LENGTH;
            case PEER_SEEN:
                return PeerSeenBody.FIXED_LENGTH;
            default:
                return 0;
        }
    }
}
