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
 * The accepting side: answers the client's HELLO with its own (adopting the client's session id), answers pings,
 * and runs whichever side of a bandwidth test the client requests. It starts nothing by itself.
 */
final class ServerSession extends Session
{
    private final BandwidthRequestBody requestBody = new BandwidthRequestBody();

    ServerSession(final EngineCore core, final ConnectionStats stats, final int maxMessageLength,
        final boolean stream)
    {
        super(core, stats, maxMessageLength, stream, 0);
    }

    @Override
    boolean isClient()
    {
        return false;
    }

    @Override
    void onEstablished(final long nowNs)
    {
    }

    @Override
    int peerRole()
    {
        return HelloBody.ROLE_CLIENT;
    }

    @Override
    boolean acceptsSessionId(final int peerSessionId)
    {
        return true;
    }

    @Override
    void onHelloAccepted(final FrameHeader header, final long nowNs)
    {
        sessionId = header.sessionId();
        final MutableDirectBuffer b = core.scratch();
        final int body = HelloBody.write(b, FrameHeader.LENGTH, capabilities(), HelloBody.ROLE_SERVER,
            core.instanceNameBytes());
        sendControl(MessageType.HELLO, 0, body, nowNs);
    }

    @Override
    void onBandwidthRequest(final FrameHeader header, final DirectBuffer buffer, final int bodyOffset,
        final int length)
    {
        if (send.active || receive.active)
        {
            protocolError(ProtocolError.UNEXPECTED, "BANDWIDTH_REQUEST while a test runs");
            return;
        }
        if (!requestBody.wrap(buffer, bodyOffset, length))
        {
            protocolError(ProtocolError.BAD_BODY, "malformed BANDWIDTH_REQUEST");
            return;
        }
        final int packetSize = requestBody.packetSize();
        if (!connection.isStream() && packetSize > connection.maxMessageLength() - FrameHeader.LENGTH)
        {
            protocolError(ProtocolError.LENGTH_TOO_LARGE, "packet size " + packetSize + " too large for UDP");
            return;
        }
        stats.packetSize = packetSize;
        stats.monitorBandwidth = true;
        final boolean verify = (requestBody.flags() & BandwidthRequestBody.FLAG_VERIFY) != 0;
        final int direction = requestBody.direction();
        if (direction != BandwidthRequestBody.DOWN)
        {
            receive.start(BandwidthRequestBody.UP, header.sequence(), packetSize, verify, nowNs);
        }
        if (direction != BandwidthRequestBody.UP)
        {
            send.start(BandwidthRequestBody.DOWN, header.sequence(), packetSize, verify, requestBody.totalBytes(),
                requestBody.durationNs(), requestBody.rateBps(), dataFrameLimit(requestBody.rateBps()), nowNs);
        }
    }
}
