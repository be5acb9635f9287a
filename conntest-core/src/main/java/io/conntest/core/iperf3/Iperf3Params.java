package io.conntest.core.iperf3;

import java.util.Map;

/**
 * The test a client asks for: the parameters object of PARAM_EXCHANGE (iperf3's {@code send_parameters}),
 * read with defaults for what it leaves out. {@link #unsupported()} names the first request this server does not
 * serve, answered with {@link Iperf3Protocol#SERVER_ERROR} and {@link #errorCode()}.
 *
 * @param udp           {@code -u}
 * @param parallel      {@code -P}
 * @param reverse       {@code -R}: the server sends
 * @param bidirectional {@code --bidir}: both send
 * @param timeS         {@code -t} seconds (0 when {@code -n}/{@code -k} ends the test)
 * @param bytes         {@code -n} bytes, 0 if not given
 * @param blocks        {@code -k} blocks, 0 if not given
 * @param blockLength   {@code -l} (0: iperf3's default)
 * @param omitS         {@code -O} seconds
 * @param bandwidth     {@code -b} bits per second (0: unlimited for TCP)
 * @param serverOutput  {@code --get-server-output}
 * @param counters64    UDP: 64-bit sequence numbers ({@code --udp-counters-64bit})
 * @param clientVersion the client's version string, or null
 * @param rejected      the first parameter not served, or null
 * @param rejectCode    iperf3's error number for it
 */
public record Iperf3Params(boolean udp, int parallel, boolean reverse, boolean bidirectional, double timeS, long bytes,
    long blocks, int blockLength, int omitS, long bandwidth, boolean serverOutput, boolean counters64, String clientVersion,
    String rejected, int rejectCode)
{
    /** Reads the parameters object; never throws for values of a wrong type (they count as unsupported). */
    public static Iperf3Params from(final Map<String, Object> json)
    {
        String rejected = null;
        int code = 0;
        final boolean udp = json.get("udp") == Boolean.TRUE;
        if (json.get("sctp") == Boolean.TRUE)
        {
            rejected = "sctp";
            code = Iperf3Protocol.IEUNIMP;
        }
        final int parallel = (int)number(json, "parallel", 1);
        if (rejected == null && (parallel < 1 || parallel > Iperf3Protocol.MAX_STREAMS))
        {
            rejected = "parallel " + parallel + " (1.." + Iperf3Protocol.MAX_STREAMS + ")";
            code = Iperf3Protocol.IENUMSTREAMS;
        }
        final int len = (int)number(json, "len", 0);
        if (rejected == null && !udp && (len < 0 || len > Iperf3Protocol.MAX_BLOCK))
        {
            rejected = "len " + len;
            code = Iperf3Protocol.IEBLOCKSIZE;
        }
        final boolean counters64 = json.containsKey("udp_counters_64bit");
        if (rejected == null && udp && len != 0
            && (len < UdpStreams.headerLength(counters64) || len > Iperf3Protocol.MAX_UDP_BLOCK))
        {
            rejected = "udp len " + len;
            code = Iperf3Protocol.IEUDPBLOCKSIZE;
        }
        final int omit = (int)number(json, "omit", 0);
        if (rejected == null && (omit < 0 || omit > Iperf3Protocol.MAX_OMIT_S))
        {
            rejected = "omit " + omit;
            code = Iperf3Protocol.IEOMIT;
        }
        final double time = number(json, "time", 10);
        if (rejected == null && (time < 0 || time > Iperf3Protocol.MAX_TIME_S))
        {
            rejected = "time " + time;
            code = Iperf3Protocol.IERECVPARAMS;
        }
        final long bytes = (long)number(json, "num", 0);
        final long blocks = (long)number(json, "blockcount", 0);
        if (rejected == null && (bytes < 0 || blocks < 0))
        {
            rejected = "num/blockcount";
            code = Iperf3Protocol.IERECVPARAMS;
        }
        // Socket options we cannot honour on both stacks: refused rather than silently ignored.
        for (final String option : new String[] {"MSS", "window", "congestion", "TOS", "flowlabel", "fqrate",
            "zerocopy", "mptcp", "authtoken", "server_affinity", "dont_fragment", "skip_rx_copy"})
        {
            if (rejected == null && json.containsKey(option))
            {
                rejected = option;
                code = Iperf3Protocol.IEUNIMP;
            }
        }
        final Object version = json.get("client_version");
        return new Iperf3Params(udp, parallel, json.get("reverse") == Boolean.TRUE,
            json.get("bidirectional") == Boolean.TRUE, time, bytes, blocks, len, omit,
            (long)number(json, "bandwidth", udp ? Iperf3Protocol.DEFAULT_UDP_RATE : 0),
            json.containsKey("get_server_output"), counters64,
            version instanceof String s ? s : null, rejected, code);
    }

    private static double number(final Map<String, Object> json, final String name, final double fallback)
    {
        return json.get(name) instanceof Double d ? d : fallback;
    }

    /** The first request not served, or null when the test can run. */
    public String unsupported()
    {
        return rejected;
    }

    /** iperf3's error number for {@link #unsupported()}. */
    public int errorCode()
    {
        return rejectCode;
    }

    /** Streams the client opens: {@code -P}, twice with {@code --bidir}. */
    public int streamCount()
    {
        return bidirectional ? 2 * parallel : parallel;
    }

    /** The length of one block (what {@code -k} counts). */
    public int block()
    {
        return blockLength > 0 ? blockLength : udp ? Iperf3Protocol.DEFAULT_UDP_BLOCK : Iperf3Protocol.DEFAULT_TCP_BLOCK;
    }

    /** Whether stream {@code index} (0-based, in the order the client connects) is one the server sends on. */
    public boolean serverSends(final int index)
    {
        if (bidirectional)
        {
            // The client connects its sending streams first, then its receiving ones (iperf_handle_message_client).
            return index >= parallel;
        }
        return reverse;
    }

    /** A short description for the event line, as iperf3's options would say it. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(udp ? "udp" : "tcp");
        sb.append(" -P ").append(parallel);
        if (reverse)
        {
            sb.append(" -R");
        }
        if (bidirectional)
        {
            sb.append(" --bidir");
        }
        if (bytes > 0)
        {
            sb.append(" -n ").append(bytes);
        }
        else if (blocks > 0)
        {
            sb.append(" -k ").append(blocks);
        }
        else
        {
            sb.append(" -t ").append(timeS == Math.rint(timeS) ? String.valueOf((long)timeS) : String.valueOf(timeS));
        }
        if (blockLength > 0)
        {
            sb.append(" -l ").append(blockLength);
        }
        if (omitS > 0)
        {
            sb.append(" -O ").append(omitS);
        }
        if (bandwidth > 0)
        {
            sb.append(" -b ").append(bandwidth);
        }
        if (clientVersion != null)
        {
            sb.append(" (iperf ").append(clientVersion).append(')');
        }
        return sb.toString();
    }
}
