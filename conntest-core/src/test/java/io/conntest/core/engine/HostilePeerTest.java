package io.conntest.core.engine;

import static io.conntest.core.engine.SimHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportProtocol;

/** A peer that sends nonsense or stalls is closed with a clear error; a well-behaved client is not disturbed. */
class HostilePeerTest
{
    private final SimHarness sim = new SimHarness();
    private SimHarness.Node srv;
    private SimHarness.Node good;

    enum Attack
    {
        RANDOM_BYTES("bad magic"),
        GIANT_LENGTH("frame length exceeds limit"),
        PING_BEFORE_HELLO("LATENCY_PING before HELLO"),
        TRUNCATED_THEN_STALL("no HELLO within 5000 ms"),
        CONNECT_AND_STALL("no HELLO within 5000 ms");

        final String expected;

        Attack(final String expected)
        {
            this.expected = expected;
        }
    }

    /** Records what the hostile peer sees. */
    private static final class RawPeer implements ConnectionHandler
    {
        Connection connection;
        boolean connected;
        FailureReason closedReason;
        long bytesReceived;
        long closedAtNs;

        @Override
        public void onConnected(final Connection connection, final long nowNs)
        {
            connected = true;
        }

        @Override
        public void onConnectFailed(final Connection connection, final FailureReason reason, final String detail,
            final long nowNs)
        {
            closedReason = reason;
        }

        @Override
        public void onData(final Connection connection, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs)
        {
            bytesReceived += length;
        }

        @Override
        public void onWritable(final Connection connection, final long nowNs)
        {
        }

        @Override
        public void onClosed(final Connection connection, final FailureReason reason, final String detail,
            final long nowNs)
        {
            closedReason = reason;
            closedAtNs = nowNs;
        }
    }

    @BeforeEach
    void startServerAndGoodClient()
    {
        srv = sim.start("10.0.0.2", EngineConfig.builder("srv")
            .listen(new ListenSpec(TransportProtocol.TCP, 1234))
            .listen(new ListenSpec(TransportProtocol.UDP, 1234)).build());
        good = sim.start("10.0.0.1", EngineConfig.builder("good")
            .connect(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234)).build());
        sim.runUntil(() -> good.client(sim.clock.nowNs()).latencySamples() >= 2, 2_000, "good client running");
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void hostileTcpPeerIsClosedWithAClearError(final Attack attack)
    {
        runAttack(TransportProtocol.TCP, attack);
    }

    @ParameterizedTest
    @EnumSource(value = Attack.class, names = { "RANDOM_BYTES", "GIANT_LENGTH", "PING_BEFORE_HELLO" })
    void hostileUdpPeerIsClosedWithAClearError(final Attack attack)
    {
        runAttack(TransportProtocol.UDP, attack);
    }

    private void runAttack(final TransportProtocol protocol, final Attack attack)
    {
        final Transport raw = sim.rawTransport("10.0.0.66");
        final RawPeer peer = new RawPeer();
        peer.connection = raw.connect(protocol, "10.0.0.2", 1234, 1_000 * MS, peer);
        sim.runUntil(() -> peer.connected, 100, "raw peer connected");
        final long startNs = sim.clock.nowNs();
        final ConnectionSnapshot goodBefore = good.client(startNs);

        final UnsafeBuffer b = new UnsafeBuffer(new byte[1024]);
        switch (attack)
        {
            case RANDOM_BYTES:
                final byte[] bytes = new byte[600];
                new Random(7).nextBytes(bytes);
                b.putBytes(0, bytes);
                peer.connection.write(b, 0, bytes.length);
                break;
            case GIANT_LENGTH:
                FrameHeader.write(b, 0, MessageType.HELLO, 0, 0x7FFF_FFFF, 1, 1, 1);
                peer.connection.write(b, 0, FrameHeader.LENGTH + 8);
                break;
            case PING_BEFORE_HELLO:
                FrameHeader.write(b, 0, MessageType.LATENCY_PING, 0, 0, 1, 1, 1);
                peer.connection.write(b, 0, FrameHeader.LENGTH);
                break;
            case TRUNCATED_THEN_STALL:
                FrameHeader.write(b, 0, MessageType.HELLO, 0, 20, 1, 1, 1);
                peer.connection.write(b, 0, 40);
                break;
            default:
                break;
        }
        sim.runUntil(() -> peer.closedReason != null, 6_000, "hostile peer closed");
        final long tookNs = peer.closedAtNs - startNs;
        assertTrue(tookNs <= 5_010 * MS, "closed within the timeout");

        final List<EngineEvent> errors = srv.events(EventType.CLOSED);
        final EngineEvent closed = errors.stream().filter(e -> "10.0.0.66".equals(e.host())).findFirst()
            .orElseThrow();
        assertTrue(closed.message().contains(attack.expected), closed.message());
        final boolean stall = attack == Attack.TRUNCATED_THEN_STALL || attack == Attack.CONNECT_AND_STALL;
        assertEquals(stall ? FailureReason.TIMEOUT : FailureReason.PROTOCOL, closed.reason());
        if (!stall)
        {
            assertTrue(peer.bytesReceived > FrameHeader.LENGTH, "peer was told why with an ERROR frame");
            assertTrue(srv.events(EventType.ERROR).stream().anyMatch(e -> e.message().contains(attack.expected)));
        }

        sim.runFor(500);
        final ConnectionSnapshot goodAfter = good.client(sim.clock.nowNs());
        assertTrue(goodAfter.latencySamples() > goodBefore.latencySamples(), "good client unaffected");
        assertEquals(0, goodAfter.retries());
        assertTrue(good.events(EventType.CLOSED).isEmpty());
        assertEquals(1, srv.servers(sim.clock.nowNs()).size(), "only the good session remains");
        assertEquals(1, srv.core.snapshot(sim.clock.nowNs()).listeners().get(0).sessions());
    }
}
