package io.conntest.cli.ui;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.ListenerSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

import java.util.List;

/** Known snapshots and events for the output tests. */
final class Snapshots
{
    static final long SECOND = 1_000_000_000L;

    private Snapshots()
    {
    }

    /** An outgoing TCP connection with every figure known. */
    static ConnectionSnapshot tcpUp(final long bytesSent)
    {
        return new ConnectionSnapshot(1, Side.CLIENT, TransportProtocol.TCP, "127.0.0.1", 40000, "127.0.0.1", 1234,
            "receiver", ConnectionState.CONNECTED, 3 * SECOND + 1, 0, 0, 120, 118, bytesSent, 2_000_000,
            45_200, 30_000, 45_000, 60_000, 90_000, 120_000, 42,
            260_000, 410_000, 700_000, 900_000, 37, 47, 1_150_000_000L, 3_000_000L, 1_000_000_000L, false,
            1_210_000_000L, 1_100_000_000L, 980_000_000L,
            990_000_000L, 4, true, 5 * 1024 * 1024, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, null, null, -1);
    }

    /** The TCP connection of {@link #tcpUp} lost and retrying: its figures are of the earlier connection. */
    static ConnectionSnapshot tcpStale()
    {
        return new ConnectionSnapshot(1, Side.CLIENT, TransportProtocol.TCP, null, 0, "127.0.0.1", 1234,
            "receiver", ConnectionState.RETRYING, 0, 1, 1, 120, 118, 2_000_000, 2_000_000,
            45_200, 30_000, 45_000, 60_000, 90_000, 120_000, 42,
            260_000, 410_000, 700_000, 900_000, 37, 47, -1, -1, 0, true,
            1_210_000_000L, 1_100_000_000L, 980_000_000L,
            990_000_000L, 4, true, 5 * 1024 * 1024, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            FailureReason.RESET, "reset", SECOND);
    }

    /** The client's BANDWIDTH_RESULT for a test up: 8 MiB in 0.5 s. */
    static EngineEvent bandwidthResult()
    {
        return new EngineEvent(7 * SECOND, 1_764_000_001_000L, EventType.BANDWIDTH_RESULT, 1, Side.CLIENT,
            TransportProtocol.TCP, "127.0.0.1", 1234, "receiver", null, "up 8388608 bytes in 500000 us = 134217728 bit/s",
            "up", 8_388_608L, 500_000_000L, 134_217_728L);
    }

    /** An outgoing UDP peer that is refused and waiting to retry. */
    static ConnectionSnapshot udpRetrying()
    {
        return new ConnectionSnapshot(2, Side.CLIENT, TransportProtocol.UDP, null, 0, "10.0.0.9", 7000, null,
            ConnectionState.RETRYING, 0, 3, 4, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, 0,
            -1, -1, -1, -1, 0, 0, -1, -1, 0, true,
            -1, -1, -1, -1, 0, false, 1400,
            0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, FailureReason.REFUSED, "Connection refused \"quoted\"\ttab",
            2 * SECOND);
    }

    /** An accepted UDP connection. */
    static ConnectionSnapshot udpIn()
    {
        return new ConnectionSnapshot(3, Side.SERVER, TransportProtocol.UDP, "127.0.0.1", 1234, "127.0.0.1", 50000,
            "sender", ConnectionState.CONNECTED, 65 * SECOND, 0, 0, 500, 510, 700_000, 710_000, 80_000, 70_000,
            80_000, 90_000, 95_000, 99_000, 20,
            150_000, 200_000, 250_000, 260_000, 12, 32, 40_000_000, 50_000_000, 1_000_000_000L, false,
            50_000_000, 50_000_000, 40_000_000, 40_000_000, 2, false, 1400, 0,
            3, 1, 2, 0, 2, 35_000, 4, -1, -1, -1, -1, -1, null, null, -1);
    }

    static EngineSnapshot snapshot(final long timeNs, final long bytesSent)
    {
        return new EngineSnapshot(timeNs, "sender", "kernel",
            List.of(new ListenerSnapshot(TransportProtocol.UDP, "0.0.0.0", 1234, true, 1, null)),
            List.of(tcpUp(bytesSent), udpRetrying(), udpIn()), 0);
    }

    static InstanceInfo info()
    {
        return new InstanceInfo("sender", "kernel", List.of("192.0.2.2", "127.0.0.1"), List.of("udp:1234"),
            List.of("tcp://127.0.0.1:1234?packet-size=5242880&monitor-bandwidth"));
    }

    static EngineEvent failed()
    {
        return new EngineEvent(5 * SECOND, 1_764_000_000_123L, EventType.CONNECT_FAILED, 2, Side.CLIENT,
            TransportProtocol.UDP, "10.0.0.9", 7000, null, FailureReason.REFUSED, "Connection refused");
    }

    static EngineEvent stopped()
    {
        return new EngineEvent(6 * SECOND, 1_764_000_001_000L, EventType.STOPPED, 0, null, null, null, 0, null, null,
            "engine stopped");
    }
}
