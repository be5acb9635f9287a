package io.conntest.cli.metrics;

import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.ListenerSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

import java.util.ArrayList;
import java.util.List;

/** Known connection rows and snapshots for the metrics tests. */
final class Rows
{
    static final long MS = 1_000_000L;

    private Rows()
    {
    }

    /** An outgoing TCP peer, connected, with latency idle and loaded, bandwidth both ways and TCP_INFO. */
    static ConnectionSnapshot tcpUp(final long key, final String peerName, final String host)
    {
        return tcpUp(key, peerName, host, 3_000 * MS);
    }

    /** As {@link #tcpUp(long, String, String)}, connected for {@code uptimeNs}. */
    static ConnectionSnapshot tcpUp(final long key, final String peerName, final String host, final long uptimeNs)
    {
        return new ConnectionSnapshot(key, Side.CLIENT, TransportProtocol.TCP, "10.0.0.1", 40000, host, 1234,
            peerName, ConnectionState.CONNECTED, uptimeNs, 2, 3, 120, 118, 5_000_000, 2_000_000,
            45_000, 30_000, 40_000, 60_000, 90_000, 120_000, 42,
            260_000, 410_000, 700_000, 900_000, 37, 47, 1_150_000_000L, 3_000_000L, 1_000 * MS, false,
            1_210_000_000L, 1_100_000_000L, 980_000_000L, 990_000_000L, 4, true, 65536, 0,
            -1, -1, -1, -1, -1, -1, -1, 7, 250_000, 14_480, 50_000, 1500, null, null, -1);
    }

    /** An accepted UDP connection with its UDP figures. */
    static ConnectionSnapshot udpIn(final long key)
    {
        return new ConnectionSnapshot(key, Side.SERVER, TransportProtocol.UDP, "10.0.0.1", 1234, "10.0.0.3", 50000,
            "sender", ConnectionState.CONNECTED, 65_000 * MS, 0, 0, 500, 510, 700_000, 710_000, 80_000, 70_000,
            80_000, 90_000, 95_000, 99_000, 20,
            -1, -1, -1, -1, 0, 32, 40_000_000, 50_000_000, 1_000 * MS, false,
            -1, -1, -1, -1, 0, false, 1400, 0,
            3, 1, 2, 5, 6, 35_000, 4, -1, -1, -1, -1, -1, null, null, -1);
    }

    /** An outgoing UDP peer that is refused and waiting to retry: nothing measured. */
    static ConnectionSnapshot udpRetrying(final long key)
    {
        return new ConnectionSnapshot(key, Side.CLIENT, TransportProtocol.UDP, null, 0, "10.0.0.9", 7000, null,
            ConnectionState.RETRYING, 0, 3, 4, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, 0,
            -1, -1, -1, -1, 0, 0, -1, -1, 0, true,
            -1, -1, -1, -1, 0, false, 1400,
            0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, FailureReason.REFUSED, "refused", 2_000 * MS);
    }

    static EngineSnapshot snapshot(final long timeNs, final List<ConnectionSnapshot> rows)
    {
        return new EngineSnapshot(timeNs, "alpha", "kernel",
            List.of(new ListenerSnapshot(TransportProtocol.UDP, "0.0.0.0", 1234, true, 1, null)), rows, 5);
    }

    /** {@code peers} connected TCP peers, as a mesh of that many others would show. */
    static EngineSnapshot mesh(final int peers)
    {
        final List<ConnectionSnapshot> rows = new ArrayList<>();
        for (int i = 0; i < peers; i++)
        {
            rows.add(tcpUp(i + 1, "peer-" + i, "10.0.0." + (i + 10)));
        }
        return snapshot(1_000 * MS, rows);
    }
}
