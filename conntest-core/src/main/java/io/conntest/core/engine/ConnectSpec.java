package io.conntest.core.engine;

import java.util.Locale;

import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.ProtocolLimits;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.UdpLimits;

/**
 * An outgoing peer, parsed from the seed's URI form {@code tcp://127.0.0.1:1234?monitor-bandwidth&packet-size=5mb}.
 *
 * <p>Query options: {@code monitor-bandwidth}; {@code packet-size=N[B|KB|MB]} (default 64 KB over TCP, 1,400 bytes
 * (1,380 to an IPv6 literal)
 * over UDP; at most {@value ProtocolLimits#MAX_DATA_PAYLOAD} over TCP and {@link #maxUdpPacketSize()} over UDP);
 * {@code verify} (the receiver checks the payload pattern); {@code bandwidth-bytes=N[B|KB|MB]} and
 * {@code bandwidth-duration=T[ms|s]} (a test ends at whichever comes first; default 1 s);
 * {@code latency-interval=T[ms|s]} (the pause between two latency probes on this connection, from the answer of one
 * to the sending of the next; default the engine's, 200 ms; 0 probes back to back; probes go on during bandwidth
 * tests, whose samples are kept apart as loaded latency); {@code bandwidth=turn|up|down|duplex} (what one test
 * moves, see {@link BandwidthShape}; default turn); {@code rate=R} (paces every sender of a test to R bit/s, e.g.
 * {@code 100M}; default unpaced); {@code nat-test} (UDP only: once, beside the connection, measure the NAT on the
 * way to the peer, see {@link io.conntest.core.nat.NatProber}); {@code nat-test-max=T[ms|s]} (the longest idle gap
 * that test tries for the binding lifetime, 1 s to 180 s, default 60 s; implies {@code nat-test}).
 *
 * @param protocol            tcp or udp
 * @param host                peer host name or address
 * @param port                peer port
 * @param monitorBandwidth    run bandwidth tests up and down between latency rounds
 * @param packetSize          DATA payload bytes
 * @param verify              payload verification on
 * @param bandwidthBytes      bytes per test direction, 0 = limited by duration only
 * @param bandwidthDurationNs duration per test direction, 0 = limited by bytes only
 * @param latencyIntervalNs   pause between latency probes, or {@link #ENGINE_LATENCY_INTERVAL} for the engine's
 * @param bandwidthShape      what one bandwidth test moves
 * @param rateBps             target rate of each sender in bit/s, 0 = unpaced
 * @param natTest             run the NAT test once towards this peer (UDP only)
 * @param natTestMaxNs        the longest idle gap the NAT test tries
 * @param pmtuTest            run the path MTU test once towards this peer (UDP only)
 */
public record ConnectSpec(
    TransportProtocol protocol,
    String host,
    int port,
    boolean monitorBandwidth,
    int packetSize,
    boolean verify,
    long bandwidthBytes,
    long bandwidthDurationNs,
    long latencyIntervalNs,
    BandwidthShape bandwidthShape,
    long rateBps,
    boolean natTest,
    long natTestMaxNs,
    boolean pmtuTest)
{
    /** {@link #latencyIntervalNs()} when the engine's interval applies. */
    public static final long ENGINE_LATENCY_INTERVAL = -1;
    /** Longest pause between probes one may ask for: a probe at least every minute keeps the figures current. */
    public static final long MAX_LATENCY_INTERVAL_NS = 60_000_000_000L;

    public static final int DEFAULT_TCP_PACKET_SIZE = 64 * 1024;
    public static final int DEFAULT_UDP_PACKET_SIZE = 1_400;
    /**
     * The UDP default towards an IPv6 literal: 20 bytes less, the IPv6 header's 40 against IPv4's 20, so one datagram
     * still fits a 1,500-byte link unfragmented (RFC 8200 §5 asks senders to avoid fragmentation).
     */
    public static final int DEFAULT_UDP_PACKET_SIZE_IPV6 = DEFAULT_UDP_PACKET_SIZE - 20;
    public static final long DEFAULT_BANDWIDTH_DURATION_NS = 1_000_000_000L;
    /** Lowest target rate: below it one 64 KB frame would take minutes and outlast the connection timeout. */
    public static final long MIN_RATE_BPS = 10_000L;
    public static final long DEFAULT_NAT_TEST_MAX_NS = 60_000_000_000L;
    public static final long MIN_NAT_TEST_MAX_NS = 1_000_000_000L;
    public static final long MAX_NAT_TEST_MAX_NS = 180_000_000_000L;

    public ConnectSpec
    {
        if (host == null || host.isEmpty())
        {
            throw new IllegalArgumentException("missing host");
        }
        if (port < 1 || port > 65_535)
        {
            throw new IllegalArgumentException("bad port " + port + " (expected 1-65535)");
        }
        final int max = protocol == TransportProtocol.UDP ? maxUdpPacketSize() : ProtocolLimits.MAX_DATA_PAYLOAD;
        if (packetSize < 1 || packetSize > max)
        {
            throw new IllegalArgumentException("bad packet size " + packetSize + " bytes (expected 1 to " + max +
                " over " + protocol.lowerName() + ")");
        }
        if (bandwidthBytes < 0 || bandwidthDurationNs < 0 || (bandwidthBytes == 0 && bandwidthDurationNs == 0))
        {
            throw new IllegalArgumentException("a bandwidth test needs a byte count or a duration");
        }
        if (latencyIntervalNs != ENGINE_LATENCY_INTERVAL &&
            (latencyIntervalNs < 0 || latencyIntervalNs > MAX_LATENCY_INTERVAL_NS))
        {
            throw new IllegalArgumentException("bad latency interval " + latencyIntervalNs / 1_000_000 +
                " ms (expected 0 to " + MAX_LATENCY_INTERVAL_NS / 1_000_000_000L + " s)");
        }
        if (bandwidthShape == null)
        {
            throw new IllegalArgumentException("missing bandwidth shape");
        }
        if (rateBps != 0 && rateBps < MIN_RATE_BPS)
        {
            throw new IllegalArgumentException("bad rate " + rateBps + " bit/s (expected at least " + MIN_RATE_BPS +
                " bit/s, or 0 for unpaced)");
        }
        if (natTest && protocol != TransportProtocol.UDP)
        {
            throw new IllegalArgumentException("nat-test runs over udp only (the peer's udp listener answers it)");
        }
        if (pmtuTest && protocol != TransportProtocol.UDP)
        {
            throw new IllegalArgumentException("pmtu runs over udp only (the peer's udp listener answers its probes)");
        }
        if (natTestMaxNs < MIN_NAT_TEST_MAX_NS || natTestMaxNs > MAX_NAT_TEST_MAX_NS)
        {
            throw new IllegalArgumentException("bad nat-test-max " + natTestMaxNs / 1_000_000 + " ms (expected 1 s " +
                "to 180 s)");
        }
    }

    /** A spec with the defaults. */
    public static ConnectSpec of(final TransportProtocol protocol, final String host, final int port)
    {
        return new ConnectSpec(protocol, host, port, false, defaultPacketSize(protocol, host), false, 0,
            DEFAULT_BANDWIDTH_DURATION_NS, ENGINE_LATENCY_INTERVAL, BandwidthShape.TURN, 0, false,
            DEFAULT_NAT_TEST_MAX_NS, false);
    }

    public ConnectSpec withBandwidth(final int packetSize, final long bytes, final long durationNs)
    {
        return new ConnectSpec(protocol, host, port, true, packetSize, verify, bytes, durationNs, latencyIntervalNs,
            bandwidthShape, rateBps, natTest, natTestMaxNs, pmtuTest);
    }

    /** The same with another test shape and target rate (0 = unpaced). */
    public ConnectSpec withShape(final BandwidthShape shape, final long rateBps)
    {
        return new ConnectSpec(protocol, host, port, monitorBandwidth, packetSize, verify, bandwidthBytes,
            bandwidthDurationNs, latencyIntervalNs, shape, rateBps, natTest, natTestMaxNs, pmtuTest);
    }

    public ConnectSpec withLatencyInterval(final long intervalNs)
    {
        return new ConnectSpec(protocol, host, port, monitorBandwidth, packetSize, verify, bandwidthBytes,
            bandwidthDurationNs, intervalNs, bandwidthShape, rateBps, natTest, natTestMaxNs, pmtuTest);
    }

    /** The pause between probes on this connection: its own, or {@code engineDefaultNs}. */
    public long latencyIntervalNs(final long engineDefaultNs)
    {
        return latencyIntervalNs == ENGINE_LATENCY_INTERVAL ? engineDefaultNs : latencyIntervalNs;
    }

    /** The same with the NAT test ({@code ?nat-test-max=}): once, beside the connection, gaps up to {@code maxNs}. */
    public ConnectSpec withNatTest(final long maxNs)
    {
        return new ConnectSpec(protocol, host, port, monitorBandwidth, packetSize, verify, bandwidthBytes,
            bandwidthDurationNs, latencyIntervalNs, bandwidthShape, rateBps, true, maxNs, pmtuTest);
    }

    /** The same with the path MTU test ({@code ?pmtu}): once, beside the connection. */
    public ConnectSpec withPmtuTest()
    {
        return new ConnectSpec(protocol, host, port, monitorBandwidth, packetSize, verify, bandwidthBytes,
            bandwidthDurationNs, latencyIntervalNs, bandwidthShape, rateBps, natTest, natTestMaxNs, true);
    }

    public ConnectSpec withVerify(final boolean verify)
    {
        return new ConnectSpec(protocol, host, port, monitorBandwidth, packetSize, verify, bandwidthBytes,
            bandwidthDurationNs, latencyIntervalNs, bandwidthShape, rateBps, natTest, natTestMaxNs, pmtuTest);
    }

    public static int defaultPacketSize(final TransportProtocol protocol)
    {
        return protocol == TransportProtocol.UDP ? DEFAULT_UDP_PACKET_SIZE : DEFAULT_TCP_PACKET_SIZE;
    }

    /**
     * The default for {@code host}: over UDP to an IPv6 literal {@link #DEFAULT_UDP_PACKET_SIZE_IPV6} (a name is
     * resolved at each attempt, its family unknown here: it gets IPv4's default).
     */
    public static int defaultPacketSize(final TransportProtocol protocol, final String host)
    {
        return protocol == TransportProtocol.UDP && host != null && host.indexOf(':') >= 0
            ? DEFAULT_UDP_PACKET_SIZE_IPV6 : defaultPacketSize(protocol);
    }

    /** Largest packet size over UDP: one conntest frame must fit one reliable-UDP message. */
    public static int maxUdpPacketSize()
    {
        return UdpLimits.maxMessageLength() - FrameHeader.LENGTH;
    }

    /** Parses the URI form; throws {@link IllegalArgumentException} naming the bad part. */
    public static ConnectSpec parse(final String uri)
    {
        final String text = uri.trim();
        final int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0)
        {
            throw new IllegalArgumentException("bad connect URI '" + uri + "' (expected e.g. tcp://127.0.0.1:1234)");
        }
        final TransportProtocol protocol = TransportProtocol.parse(text.substring(0, schemeEnd));
        final int queryStart = text.indexOf('?', schemeEnd + 3);
        final String authority = queryStart < 0 ?
            text.substring(schemeEnd + 3) : text.substring(schemeEnd + 3, queryStart);
        final String host;
        final String portText;
        if (authority.startsWith("["))
        {
            final int close = authority.indexOf(']');
            if (close < 0 || close + 1 >= authority.length() || authority.charAt(close + 1) != ':')
            {
                throw new IllegalArgumentException("bad address in '" + uri + "' (expected [v6addr]:port)");
            }
            host = authority.substring(1, close);
            portText = authority.substring(close + 2);
        }
        else
        {
            final int colon = authority.lastIndexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException("missing port in '" + uri + "' (expected HOST:PORT)");
            }
            host = authority.substring(0, colon);
            portText = authority.substring(colon + 1);
        }
        final int port = parsePort(portText, uri);
        boolean monitor = false;
        boolean verify = false;
        int packetSize = defaultPacketSize(protocol, host);
        long bytes = 0;
        long durationNs = -1;
        long latencyIntervalNs = ENGINE_LATENCY_INTERVAL;
        BandwidthShape shape = BandwidthShape.TURN;
        long rateBps = 0;
        boolean natTest = false;
        long natTestMaxNs = DEFAULT_NAT_TEST_MAX_NS;
        boolean pmtuTest = false;
        if (queryStart >= 0 && queryStart + 1 < text.length())
        {
            for (final String option : text.substring(queryStart + 1).split("&"))
            {
                if (option.isEmpty())
                {
                    continue;
                }
                final int eq = option.indexOf('=');
                final String name = (eq < 0 ? option : option.substring(0, eq)).toLowerCase(Locale.ROOT);
                final String value = eq < 0 ? null : option.substring(eq + 1);
                switch (name)
                {
                    case "monitor-bandwidth":
                        monitor = flag(name, value);
                        break;
                    case "verify":
                        verify = flag(name, value);
                        break;
                    case "packet-size":
                        final int maxSize = protocol == TransportProtocol.UDP ? maxUdpPacketSize()
                            : ProtocolLimits.MAX_DATA_PAYLOAD;
                        final long size;
                        try
                        {
                            size = Units.parseSize(required(name, value));
                        }
                        catch (final IllegalArgumentException ex)
                        {
                            throw new IllegalArgumentException(ex.getMessage() + " (packet-size: expected 1 to "
                                + maxSize + " over " + protocol.lowerName() + ")", ex);
                        }
                        if (size < 1 || size > Integer.MAX_VALUE)
                        {
                            // the range, always: the same words as the check in the constructor
                            throw new IllegalArgumentException("bad packet size '" + value + "' (expected 1 to "
                                + maxSize + " over " + protocol.lowerName() + ")");
                        }
                        packetSize = (int)size;
                        break;
                    case "bandwidth-bytes":
                        bytes = Units.parseSize(required(name, value));
                        break;
                    case "bandwidth-duration":
                        durationNs = Units.parseDurationNs(required(name, value));
                        break;
                    case "latency-interval":
                        latencyIntervalNs = Units.parseDurationNs(required(name, value));
                        break;
                    case "bandwidth":
                        shape = BandwidthShape.parse(required(name, value));
                        break;
                    case "rate":
                        rateBps = BitRate.parse(required(name, value));
                        break;
                    case "nat-test":
                        natTest = flag(name, value);
                        break;
                    case "nat-test-max":
                        natTestMaxNs = Units.parseDurationNs(required(name, value));
                        natTest = true;
                        break;
                    case "pmtu":
                        pmtuTest = flag(name, value);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + name + "' in '" + uri +
                            "' (known: monitor-bandwidth, packet-size, verify, bandwidth-bytes, bandwidth-duration, " +
                            "latency-interval, bandwidth, rate, nat-test, nat-test-max, pmtu)");
                }
            }
        }
        if (durationNs < 0)
        {
            durationNs = bytes > 0 ? 0 : DEFAULT_BANDWIDTH_DURATION_NS;
        }
        return new ConnectSpec(protocol, host, port, monitor, packetSize, verify, bytes, durationNs,
            latencyIntervalNs, shape, rateBps, natTest, natTestMaxNs, pmtuTest);
    }

    static int parsePort(final String text, final String context)
    {
        try
        {
            final int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535)
            {
                return port;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException("bad port '" + text + "' in '" + context + "' (expected 1-65535)");
    }

    private static boolean flag(final String name, final String value)
    {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("true") || value.equals("1"))
        {
            return true;
        }
        if (value.equalsIgnoreCase("false") || value.equals("0"))
        {
            return false;
        }
        throw new IllegalArgumentException("bad value '" + value + "' for " + name + " (expected true or false)");
    }

    private static String required(final String name, final String value)
    {
        if (value == null || value.isEmpty())
        {
            throw new IllegalArgumentException("option " + name + " needs a value");
        }
        return value;
    }

    /** The URI form, parseable by {@link #parse(String)}. */
    public String toUri()
    {
        final StringBuilder sb = new StringBuilder()
            .append(protocol.lowerName()).append("://")
            .append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(port)
            .append("?packet-size=").append(packetSize);
        if (monitorBandwidth)
        {
            sb.append("&monitor-bandwidth");
        }
        if (verify)
        {
            sb.append("&verify");
        }
        if (bandwidthBytes > 0)
        {
            sb.append("&bandwidth-bytes=").append(bandwidthBytes);
        }
        sb.append("&bandwidth-duration=").append(bandwidthDurationNs / 1_000_000).append("ms");
        if (latencyIntervalNs != ENGINE_LATENCY_INTERVAL)
        {
            sb.append("&latency-interval=").append(latencyIntervalNs / 1_000).append("us");
        }
        if (bandwidthShape != BandwidthShape.TURN)
        {
            sb.append("&bandwidth=").append(bandwidthShape.optionValue());
        }
        if (rateBps > 0)
        {
            sb.append("&rate=").append(rateBps);
        }
        if (natTest)
        {
            sb.append("&nat-test");
            if (natTestMaxNs != DEFAULT_NAT_TEST_MAX_NS)
            {
                sb.append("&nat-test-max=").append(natTestMaxNs / 1_000_000).append("ms");
            }
        }
        if (pmtuTest)
        {
            sb.append("&pmtu");
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return toUri();
    }
}
