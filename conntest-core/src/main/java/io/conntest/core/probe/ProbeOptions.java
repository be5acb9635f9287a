package io.conntest.core.probe;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How a scan is paced, immutable; change a copy with the {@code with*} methods. Defaults follow nmap's spirit for a
 * connect scan: 100 probes in flight, at most 1000 started per second, 1 s per attempt, one TCP attempt (the kernel
 * itself retransmits a SYN inside it), two UDP attempts (one retransmission), no overall deadline, a one-byte UDP
 * payload (a single zero byte) and any UDP reply counting as {@code udp-response}.
 *
 * <p>Why not nmap's empty UDP payload: the JDK sends nothing for an empty buffer on a connected datagram channel,
 * and only a connected channel is told of ICMP port unreachable, so a UDP probe carries at least one byte.
 */
public final class ProbeOptions
{
    /** The defaults described above. */
    public static final ProbeOptions DEFAULTS = new ProbeOptions(100, 1000, TimeUnit.SECONDS.toNanos(1), 1, 2, 0,
        new byte[] {0}, UdpReplyClassifier.ANY_REPLY, true);

    /** Upper bound on {@link #maxInFlight()}: each probe holds a file descriptor. */
    public static final int MAX_IN_FLIGHT_LIMIT = 4096;
    /** Upper bound on attempts per probe. */
    public static final int MAX_ATTEMPTS = 10;
    /** Upper bound on the UDP probe payload (one unfragmented datagram on a 1500-byte path). */
    public static final int MAX_UDP_PAYLOAD = 1472;

    private final int maxInFlight;
    private final int ratePerSecond;
    private final long timeoutNs;
    private final int tcpAttempts;
    private final int udpAttempts;
    private final long maxDurationNs;
    private final byte[] udpPayload;
    private final UdpReplyClassifier udpReplyClassifier;
    private final boolean wellKnownUdpPayloads;

    private ProbeOptions(final int maxInFlight, final int ratePerSecond, final long timeoutNs, final int tcpAttempts,
        final int udpAttempts, final long maxDurationNs, final byte[] udpPayload,
        final UdpReplyClassifier udpReplyClassifier, final boolean wellKnownUdpPayloads)
    {
        this.maxInFlight = requireRange("maxInFlight", maxInFlight, 1, MAX_IN_FLIGHT_LIMIT);
        this.ratePerSecond = requireRange("ratePerSecond", ratePerSecond, 0, 1_000_000);
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("timeout must be positive, got " + timeoutNs + " ns");
        }
        this.timeoutNs = timeoutNs;
        this.tcpAttempts = requireRange("tcpAttempts", tcpAttempts, 1, MAX_ATTEMPTS);
        this.udpAttempts = requireRange("udpAttempts", udpAttempts, 1, MAX_ATTEMPTS);
        if (maxDurationNs < 0)
        {
            throw new IllegalArgumentException("maxDuration must not be negative, got " + maxDurationNs + " ns");
        }
        this.maxDurationNs = maxDurationNs;
        if (udpPayload.length < 1 || udpPayload.length > MAX_UDP_PAYLOAD)
        {
            throw new IllegalArgumentException("udpPayload of " + udpPayload.length + " bytes out of range 1-"
                + MAX_UDP_PAYLOAD);
        }
        this.udpPayload = udpPayload;
        this.udpReplyClassifier = Objects.requireNonNull(udpReplyClassifier, "udpReplyClassifier");
        this.wellKnownUdpPayloads = wellKnownUdpPayloads;
    }

    private static int requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " " + value + " out of range " + min + "-" + max);
        }
        return value;
    }

    /** Most probes in flight at once (1 to {@link #MAX_IN_FLIGHT_LIMIT}). */
    public int maxInFlight()
    {
        return maxInFlight;
    }

    /** Most probes started per second; 0 means unlimited. Retransmissions are not counted. */
    public int ratePerSecond()
    {
        return ratePerSecond;
    }

    /** Wait for an answer per attempt, in nanoseconds. */
    public long timeoutNs()
    {
        return timeoutNs;
    }

    /** Connect attempts per TCP port. */
    public int tcpAttempts()
    {
        return tcpAttempts;
    }

    /** Datagrams sent per UDP port (2 = one retransmission, as nmap). */
    public int udpAttempts()
    {
        return udpAttempts;
    }

    /** Attempts for {@code protocol}. */
    public int attempts(final ProbeProtocol protocol)
    {
        return protocol == ProbeProtocol.TCP ? tcpAttempts : udpAttempts;
    }

    /** Overall deadline of the scan in nanoseconds; 0 means none. */
    public long maxDurationNs()
    {
        return maxDurationNs;
    }

    /** The UDP probe payload, read-only. */
    public ByteBuffer udpPayload()
    {
        return ByteBuffer.wrap(udpPayload).asReadOnlyBuffer();
    }

    /**
     * The payload a UDP probe of {@code port} carries: the protocol request of {@link UdpPayloads} for a well-known
     * port (unless {@link #withWellKnownUdpPayloads} turned them off), else {@link #udpPayload()}. Read-only.
     */
    public ByteBuffer udpPayloadFor(final int port)
    {
        final byte[] known = wellKnownUdpPayloads ? UdpPayloads.forPort(port) : null;
        return known == null ? udpPayload() : ByteBuffer.wrap(known).asReadOnlyBuffer();
    }

    /** Whether well-known UDP ports get their protocol's request ({@link UdpPayloads}); default true. */
    public boolean wellKnownUdpPayloads()
    {
        return wellKnownUdpPayloads;
    }

    /** A copy that sends (true) or does not send (false) the {@link UdpPayloads} to their ports. */
    public ProbeOptions withWellKnownUdpPayloads(final boolean enabled)
    {
        return new ProbeOptions(maxInFlight, ratePerSecond, timeoutNs, tcpAttempts, udpAttempts, maxDurationNs,
            udpPayload, udpReplyClassifier, enabled);
    }

    /** What a UDP reply proves. */
    public UdpReplyClassifier udpReplyClassifier()
    {
        return udpReplyClassifier;
    }

    /** A copy with {@code maxInFlight}. */
    public ProbeOptions withMaxInFlight(final int maxInFlight)
    {
        return new ProbeOptions(maxInFlight, ratePerSecond, timeoutNs, tcpAttempts, udpAttempts, maxDurationNs,
            udpPayload, udpReplyClassifier, wellKnownUdpPayloads);
    }

    /** A copy with {@code ratePerSecond} (0 = unlimited). */
    public ProbeOptions withRatePerSecond(final int ratePerSecond)
    {
        return new ProbeOptions(maxInFlight, ratePerSecond, timeoutNs, tcpAttempts, udpAttempts, maxDurationNs,
            udpPayload, udpReplyClassifier, wellKnownUdpPayloads);
    }

    /** A copy with a per-attempt timeout. */
    public ProbeOptions withTimeout(final long timeout, final TimeUnit unit)
    {
        return new ProbeOptions(maxInFlight, ratePerSecond, unit.toNanos(timeout), tcpAttempts, udpAttempts,
            maxDurationNs, udpPayload, udpReplyClassifier, wellKnownUdpPayloads);
    }

    /** A copy with the attempts per TCP and per UDP port. */
    public ProbeOptions withAttempts(final int tcpAttempts, final int udpAttempts)
    {
        return new ProbeOptions(maxInFlight, ratePerSecond, timeoutNs, tcpAttempts, udpAttempts, maxDurationNs,
            udpPayload, udpReplyClassifier, wellKnownUdpPayloads);
    }

    /** A copy with an overall deadline (0 = none). */
    public ProbeOptions withMaxDuration(final long maxDuration, final TimeUnit unit)
    {
        return new ProbeOptions(maxInFlight, ratePerSecond, timeoutNs, tcpAttempts, udpAttempts,
            unit.toNanos(maxDuration), udpPayload, udpReplyClassifier, wellKnownUdpPayloads);
    }

    /**
     * A copy that sends {@code payload} (copied, 1 to 1472 bytes) in each UDP probe and judges replies with
     * {@code classifier}: the hook through which a conntest hello is sent and recognised.
     */
    public ProbeOptions withUdpProbe(final byte[] payload, final UdpReplyClassifier classifier)
    {
        return new ProbeOptions(maxInFlight, ratePerSecond, timeoutNs, tcpAttempts, udpAttempts, maxDurationNs,
            payload.clone(), classifier, wellKnownUdpPayloads);
    }

    @Override
    public String toString()
    {
        return "ProbeOptions{maxInFlight=" + maxInFlight + ", ratePerSecond=" + ratePerSecond + ", timeoutNs="
            + timeoutNs + ", tcpAttempts=" + tcpAttempts + ", udpAttempts=" + udpAttempts + ", maxDurationNs="
            + maxDurationNs + ", udpPayloadBytes=" + udpPayload.length + '}';
    }
}
