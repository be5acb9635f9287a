package io.conntest.core.iperf3;

/**
 * The constants of iperf3's control protocol (iperf3 3.x, src/iperf_api.h and src/iperf.h): the state bytes each
 * side sends as one signed byte on the control connection, the cookie every connection of a test opens with, and
 * the error numbers a {@link #SERVER_ERROR} carries ({@code i_errno}, which the client prints as its own message).
 */
public final class Iperf3Protocol
{
    /** The test's id: 36 characters of a UUID-like text and a NUL, sent first on the control and every stream. */
    public static final int COOKIE_SIZE = 37;

    public static final byte TEST_START = 1;
    public static final byte TEST_RUNNING = 2;
    public static final byte TEST_END = 4;
    public static final byte PARAM_EXCHANGE = 9;
    public static final byte CREATE_STREAMS = 10;
    public static final byte SERVER_TERMINATE = 11;
    public static final byte CLIENT_TERMINATE = 12;
    public static final byte EXCHANGE_RESULTS = 13;
    public static final byte DISPLAY_RESULTS = 14;
    public static final byte IPERF_START = 15;
    public static final byte IPERF_DONE = 16;
    /** Sent alone to a connection the server will not serve (busy, or a stream with a wrong cookie). */
    public static final byte ACCESS_DENIED = -1;
    /** Followed by two 4-byte big-endian integers: iperf3's error number and a system errno (0 here). */
    public static final byte SERVER_ERROR = -2;

    /** "Number of parallel streams too large". */
    public static final int IENUMSTREAMS = 6;
    /** "Block size too large". */
    public static final int IEBLOCKSIZE = 7;
    /** "Bogus value for --omit". */
    public static final int IEOMIT = 12;
    /** "An option you are trying to set is not implemented yet": our answer to what we do not support. */
    public static final int IEUNIMP = 13;
    /** "Block size invalid" (UDP). */
    public static final int IEUDPBLOCKSIZE = 20;
    /** "Unable to start listener for connections". */
    public static final int IELISTEN = 102;
    /** "Unable to receive parameters from client". */
    public static final int IERECVPARAMS = 114;

    /** iperf3's largest {@code -P} is 128; we serve up to 8 streams per direction. */
    public static final int MAX_STREAMS = 8;
    /** iperf3's MAX_BLOCKSIZE for TCP (1 MiB). */
    public static final int MAX_BLOCK = 1 << 20;
    /** iperf3's default TCP block (128 KiB). */
    public static final int DEFAULT_TCP_BLOCK = 128 * 1024;
    /** iperf3's default UDP datagram (DEFAULT_UDP_BLKSIZE). */
    public static final int DEFAULT_UDP_BLOCK = 1460;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_UDP_BLOCK = 65_507;
    /** iperf3's default UDP rate, 1 Mbit/s (UDP_RATE). */
    public static final long DEFAULT_UDP_RATE = 1024 * 1024;
    /** iperf3's MAX_TIME for {@code -t} (one day). */
    public static final int MAX_TIME_S = 86_400;
    /** iperf3's MAX_OMIT_TIME for {@code -O}. */
    public static final int MAX_OMIT_S = 600;
    /** Largest JSON we accept on the control channel (iperf3's parameters are a few hundred bytes). */
    public static final int MAX_JSON = 64 * 1024;

    private Iperf3Protocol()
    {
    }

    /** The state's name as iperf3 prints it, for log lines. */
    public static String stateName(final int state)
    {
        return switch (state)
        {
            case TEST_START -> "TEST_START";
            case TEST_RUNNING -> "TEST_RUNNING";
            case TEST_END -> "TEST_END";
            case PARAM_EXCHANGE -> "PARAM_EXCHANGE";
            case CREATE_STREAMS -> "CREATE_STREAMS";
            case SERVER_TERMINATE -> "SERVER_TERMINATE";
            case CLIENT_TERMINATE -> "CLIENT_TERMINATE";
            case EXCHANGE_RESULTS -> "EXCHANGE_RESULTS";
            case DISPLAY_RESULTS -> "DISPLAY_RESULTS";
            case IPERF_START -> "IPERF_START";
            case IPERF_DONE -> "IPERF_DONE";
            case ACCESS_DENIED -> "ACCESS_DENIED";
            case SERVER_ERROR -> "SERVER_ERROR";
            default -> "state " + state;
        };
    }
}
