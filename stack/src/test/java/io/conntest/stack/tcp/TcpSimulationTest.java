package io.conntest.stack.tcp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stacks over a simulated 1 Gbit/s link with 1 ms one-way delay and seeded loss, duplication (1%) and
 * reordering (2%): 20 MB transfers verified byte for byte at 0, 1, 5 and 10% loss in each direction. The goodput in
 * virtual time is compared with the snapshot {@code tcp/goodput-vs-loss.txt}: a drop of more than 10% fails
 * (run with {@code -Dtcp.snapshot.update=true} to rewrite the snapshot after an intended change).
 */
class TcpSimulationTest
{
    private static final long BYTES = 20_000_000L;
    private static final String SNAPSHOT = "tcp/goodput-vs-loss.txt";

    static TcpConfig simConfig()
    {
        // Linux's RTO floor: with 1 s every tail loss costs a second of virtual time.
        return new TcpConfig().minRtoNs(200_000_000L);
    }

    static TcpSimulation run(final double loss, final long bytes)
    {
        return run(simConfig(), loss, bytes);
    }

    static TcpSimulation run(final TcpConfig config, final double loss, final long bytes)
    {
        final TcpSimulation sim = new TcpSimulation(config, 42, loss, loss > 0 ? 0.01 : 0, loss > 0 ? 0.02 : 0,
            1_000_000L, 1_000_000_000L);
        sim.transfer(bytes, 600_000_000_000L);
        assertEquals(-1, sim.mismatchAt, "first corrupted byte");
        assertEquals(bytes, sim.received, "bytes received; client " + sim.clientStats);
        assertTrue(sim.serverSawEnd, "end of stream");
        return sim;
    }

    private static String row(final int lossPercent, final TcpSimulation sim)
    {
        final double seconds = (sim.lastByteNs - sim.firstByteNs) / 1e9;
        return String.format(Locale.ROOT, "%d %.1f %d %d", lossPercent, sim.received * 8 / seconds / 1e6,
            sim.clientStats.retransmissions, sim.clientStats.rtoExpirations);
    }

    private static double snapshotGoodput(final String snapshot, final int lossPercent)
    {
        for (final String line : snapshot.split("\n"))
        {
            final String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && !line.startsWith("#") && Integer.parseInt(f[0]) == lossPercent)
            {
                return Double.parseDouble(f[1]);
            }
        }
        return -1;
    }

    @Test
    void withoutSackOrTimestampsNewRenoRecoversByteForByte()
    {
        // The RFC 5681/6582 path: no SACK blocks, no timestamps, NewReno; 5 MB at 2% loss.
        final TcpConfig config = simConfig().sack(false).timestamps(false).congestionControl("newreno");
        final TcpSimulation sim = run(config, 0.02, 5_000_000);
        assertTrue(sim.clientStats.fastRetransmits > 0, sim.clientStats.toString());
    }

    @Test
    void withoutWindowScalingTheWindowIs64KiB()
    {
        final TcpConfig config = simConfig().windowScaling(false);
        final TcpSimulation sim = run(config, 0.01, 5_000_000);
        assertTrue(sim.clientStats.sendWindow <= 65535, sim.clientStats.toString());
    }

    @Test
    void cleanLinkHasNoRetransmissions()
    {
        final TcpSimulation sim = run(0, BYTES);
        assertEquals(0, sim.clientStats.retransmissions);
        assertEquals(0, sim.clientStats.rtoExpirations);
    }

    @Test
    void goodputVersusLossMatchesTheSnapshot() throws IOException
    {
        final StringBuilder table = new StringBuilder(
            "# loss% goodput-Mbit/s retransmissions rto-expirations (20 MB, 1 Gbit/s, 2 ms RTT, cubic, seed 42)\n");
        final int[] losses = {0, 1, 5, 10};
        final String[] rows = new String[losses.length];
        for (int i = 0; i < losses.length; i++)
        {
            rows[i] = row(losses[i], run(losses[i] / 100.0, BYTES));
            table.append(rows[i]).append('\n');
        }
        final Path out = Path.of("target", "goodput-vs-loss.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
        final Path source = Path.of("src", "test", "resources", SNAPSHOT);
        if (Boolean.getBoolean("tcp.snapshot.update"))
        {
            Files.createDirectories(source.getParent());
            Files.writeString(source, table.toString());
            return;
        }
        final String snapshot;
        try (InputStream in = TcpSimulationTest.class.getClassLoader().getResourceAsStream(SNAPSHOT))
        {
            assertTrue(in != null, "snapshot " + SNAPSHOT + " missing; run with -Dtcp.snapshot.update=true");
            snapshot = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (int i = 0; i < losses.length; i++)
        {
            final double expected = snapshotGoodput(snapshot, losses[i]);
            final double got = Double.parseDouble(rows[i].split(" ")[1]);
            assertTrue(expected > 0, "no snapshot row for " + losses[i] + "%");
            assertTrue(got >= 0.9 * expected,
                "goodput at " + losses[i] + "% loss fell from " + expected + " to " + got + " Mbit/s\n" + table);
        }
    }
}
