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
 * peer's {@link ConnectSpec#monitorBandwidth()} is on, a bandwidth test of the spec's {@link BandwidthShape} (up then
 * down by default), then latency again. Probes continue during a test, as loaded latency.
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

    /**
     * The next probe, or the next bandwidth test. Probes go on while a test runs, on the same connection and
     * behind its data (their samples are loaded latency); only idle probes count towards the round that precedes
     * the next test.
     */
    @Override
    void advance(final long nowNs)
    {
        if (!helloDone || phase == PHASE_CLOSED || phase == PHASE_HELLO || phase == PHASE_CONNECTING)
        {
            return;
        }
        if (phase == PHASE_LATENCY && !pingOutstanding && probesDone >= core.config().latencyProbesPerRound())
        {
            probesDone = 0;
            if (spec.monitorBandwidth())
            {
                startShape(nowNs);
                if (phase == PHASE_CLOSED)
                {
                    return;
                }
            }
        }
        if (pingOutstanding || nowNs < nextProbeAtNs)
        {
            return;
        }
        final long sequence = txSequence;
        if (sendControl(MessageType.LATENCY_PING, 0, 0, core.latencyNowNs()))
        {
            pingOutstanding = true;
            awaitEcho(sequence);
        }
    }

    @Override
    long scheduleDeadlineNs()
    {
        return helloDone && phase != PHASE_CLOSED && !pingOutstanding ? nextProbeAtNs : Long.MAX_VALUE;
    }

    @Override
    void onProbeAnswered(final long nowNs, final boolean loaded)
    {
        if (!pingOutstanding)
        {
            return;
        }
        pingOutstanding = false;
        if (!loaded && phase == PHASE_LATENCY)
        {
            probesDone++;
        }
        nextProbeAtNs = phase == PHASE_LATENCY && probesDone >= core.config().latencyProbesPerRound() &&
            spec.monitorBandwidth() ? nowNs : nowNs + spec.latencyIntervalNs(core.config().latencyIntervalNs());
    }

    @Override
    void onSendTestDone(final long nowNs)
    {
        if (spec.bandwidthShape() == BandwidthShape.TURN)
        {
            startTest(BandwidthRequestBody.DOWN, nowNs);
        }
        else
        {
            onTestDirectionDone(nowNs);
        }
    }

    @Override
    void onReceiveTestDone(final long nowNs)
    {
        onTestDirectionDone(nowNs);
    }

    /** One direction ended: back to idle probing once nothing of the test runs any more. */
    private void onTestDirectionDone(final long nowNs)
    {
        if (!send.active && !receive.active)
        {
            phase = PHASE_LATENCY;
            nextProbeAtNs = Math.min(nextProbeAtNs, nowNs);
        }
    }

    private void startShape(final long nowNs)
    {
        switch (spec.bandwidthShape())
        {
            case DOWN:
                startTest(BandwidthRequestBody.DOWN, nowNs);
                break;
            case DUPLEX:
                startTest(BandwidthRequestBody.DUPLEX, nowNs);
                break;
            default:
                startTest(BandwidthRequestBody.UP, nowNs);
        }
    }

    private void startTest(final int direction, final long nowNs)
    {
        phase = direction == BandwidthRequestBody.UP ? PHASE_BANDWIDTH_UP :
            direction == BandwidthRequestBody.DOWN ? PHASE_BANDWIDTH_DOWN : PHASE_BANDWIDTH_DUPLEX;
        final long testId = txSequence;
        final int packetSize = stats.packetSize;
        final MutableDirectBuffer b = core.scratch();
        final int body = BandwidthRequestBody.write(b, FrameHeader.LENGTH, direction,
            spec.verify() ? BandwidthRequestBody.FLAG_VERIFY : 0, packetSize, spec.bandwidthBytes(),
            spec.bandwidthDurationNs(), spec.rateBps());
        if (!sendControl(MessageType.BANDWIDTH_REQUEST, 0, body, nowNs))
        {
            return;
        }
        if (direction != BandwidthRequestBody.DOWN)
        {
            send.start(BandwidthRequestBody.UP, testId, packetSize, spec.verify(), spec.bandwidthBytes(),
                spec.bandwidthDurationNs(), spec.rateBps(), dataFrameLimit(spec.rateBps()), nowNs);
        }
        if (direction != BandwidthRequestBody.UP)
        {
            receive.start(BandwidthRequestBody.DOWN, testId, packetSize, spec.verify(), nowNs);
        }
    }
}
