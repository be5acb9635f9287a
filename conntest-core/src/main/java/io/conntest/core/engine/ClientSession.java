package io.conntest.core.engine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.conntest.core.protocol.BandwidthRequestBody;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.HelloBody;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.protocol.ProtocolError;
import io.conntest.core.stats.ConnectionStats;

/**
 * The connecting side: says HELLO, then runs the cycle forever: a round of latency probes
 * ({@link EngineConfig#latencyProbesPerRound()}, {@link EngineConfig#latencyIntervalNs()} apart) and, when the
 * peer's {@link ConnectSpec#monitorBandwidth()} is on, a bandwidth test up then down, then latency again.
 */
final class ClientSession extends Session
{
    private final ConnectSpec spec;
    private boolean pingOutstanding;
    private int probesDone;
    private long nextProbeAtNs;

    ClientSession(final EngineCore core, final ConnectSpec spec, final ConnectionStats stats,
        final int maxMessageLength, final boolean stream)
    {
        super(core, stats, maxMessageLength, stream, core.nextSessionId());
        this.spec = spec;
    }

    @Override
    boolean isClient()
    {
        return true;
    }

    @Override
    void onEstablished(final long nowNs)
    {
        final int maxPayload = connection.isStream() ?
            Integer.MAX_VALUE : connection.maxMessageLength() - FrameHeader.LENGTH;
        if (spec.packetSize() > maxPayload)
        {
            stats.packetSize = maxPayload;
        }
        final MutableDirectBuffer b = core.scratch();
        final int body = HelloBody.write(b, FrameHeader.LENGTH, capabilities(), HelloBody.ROLE_CLIENT,
            core.instanceNameBytes());
        sendControl(MessageType.HELLO, 0, body, nowNs);
    }

    @Override
    int peerRole()
    {
        return HelloBody.ROLE_SERVER;
    }

    @Override
    boolean acceptsSessionId(final int peerSessionId)
    {
        return peerSessionId == sessionId;
    }

    @Override
    void onHelloAccepted(final FrameHeader header, final long nowNs)
    {
        nextProbeAtNs = nowNs;
    }

    @Override
    void onBandwidthRequest(final FrameHeader header, final DirectBuffer buffer, final int bodyOffset,
        final int length)
    {
        protocolError(ProtocolError.UNEXPECTED, "BANDWIDTH_REQUEST to a client");
    }

    /** The next probe, or the next bandwidth test. */
    @Override
    void advance(final long nowNs)
    {
        if (!helloDone || phase != PHASE_LATENCY || pingOutstanding || nowNs < nextProbeAtNs)
        {
            return;
        }
        if (probesDone >= core.config().latencyProbesPerRound())
        {
            probesDone = 0;
            if (spec.monitorBandwidth())
            {
                startTest(BandwidthRequestBody.UP, nowNs);
                return;
            }
        }
        final long sequence = txSequence;
        if (sendControl(MessageType.LATENCY_PING, 0, 0, core.latencyNowNs()))
        {
            pingOutstanding = true;
            echoAwaitedSequence = sequence;
        }
    }

    @Override
    long scheduleDeadlineNs()
    {
        return helloDone && phase == PHASE_LATENCY && !pingOutstanding ? nextProbeAtNs : Long.MAX_VALUE;
    }

    @Override
    void onProbeAnswered(final long nowNs)
    {
        if (!pingOutstanding)
        {
            return;
        }
        pingOutstanding = false;
        probesDone++;
        nextProbeAtNs = probesDone >= core.config().latencyProbesPerRound() && spec.monitorBandwidth() ?
            nowNs : nowNs + spec.latencyIntervalNs(core.config().latencyIntervalNs());
    }

    @Override
    void onSendTestDone(final long nowNs)
    {
        startTest(BandwidthRequestBody.DOWN, nowNs);
    }

    @Override
    void onReceiveTestDone(final long nowNs)
    {
        phase = PHASE_LATENCY;
        nextProbeAtNs = nowNs;
    }

    private void startTest(final int direction, final long nowNs)
    {
        phase = direction == BandwidthRequestBody.UP ? PHASE_BANDWIDTH_UP : PHASE_BANDWIDTH_DOWN;
        final long testId = txSequence;
        final int packetSize = stats.packetSize;
        final MutableDirectBuffer b = core.scratch();
        final int body = BandwidthRequestBody.write(b, FrameHeader.LENGTH, direction,
            spec.verify() ? BandwidthRequestBody.FLAG_VERIFY : 0, packetSize, spec.bandwidthBytes(),
            spec.bandwidthDurationNs());
        if (!sendControl(MessageType.BANDWIDTH_REQUEST, 0, body, nowNs))
        {
            return;
        }
        if (direction == BandwidthRequestBody.UP)
        {
            send.start(direction, testId, packetSize, spec.verify(), spec.bandwidthBytes(),
                spec.bandwidthDurationNs(), nowNs);
        }
        else
        {
            receive.start(direction, testId, packetSize, spec.verify(), nowNs);
        }
    }
}
