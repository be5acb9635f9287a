package io.conntest.cli.ui;

import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A covered row (its pair shares the peer's connection) prints the shared connection's figures, marked as such. */
class CoveredRowTest
{
    @Test
    void coveredSummaryShowsTheSharedConnectionsFigures()
    {
        final ConnectionSnapshot parked = new ConnectionSnapshot(1, Side.CLIENT, TransportProtocol.TCP, null, 0,
            "127.0.0.1", 1234, "alpha", ConnectionState.COVERED, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, 0,
            -1, -1, -1, -1, 0, 0, -1, -1, 0, false,
            -1, -1, -1, -1, 0, false, 1400, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, FailureReason.CLOSED,
            "duplicate connection: sharing the one from alpha", -1);
        final ConnectionSnapshot carrier = Snapshots.tcpUp(2_250_000);
        final ConnectionSnapshot covered = parked.withFiguresOf(carrier);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TextOutput text = new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Snapshots.SECOND);
        text.onStop(List.of(new EngineSnapshot(Snapshots.SECOND, "beta", "kernel", List.of(), List.of(covered), 0)),
            Snapshots.SECOND);
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("beta summary out tcp 127.0.0.1:1234 alpha covered (figures of the shared connection "
            + "in) RTT/2 idle min/p50/p99/max 30.0 us / 45.0 us / 90.0 us / 120 us (42 probes)"), out);
        assertTrue(out.contains("bytes 2250000/2000000"), out);
    }
}
