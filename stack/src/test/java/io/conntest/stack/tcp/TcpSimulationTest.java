package io.conntest.stack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two stacks over a simulated lossy link: transfers verified byte for byte. */
class TcpSimulationTest
{
    static TcpConfig simConfig()
    {
        // Linux's RTO floor: with 1 s every tail loss costs a second of virtual time.
        return new TcpConfig().minRtoNs(200_000_000L);
    }

    static TcpSimulation run(final double loss, final long bytes)
    {
        final TcpSimulation sim = new TcpSimulation(simConfig(), 42, loss, loss > 0 ? 0.01 : 0, loss > 0 ? 0.02 : 0,
            1_000_000L, 1_000_000_000L);
        sim.transfer(bytes, 600_000_000_000L);
        assertEquals(-1, sim.mismatchAt, "first corrupted byte");
        assertEquals(bytes, sim.received, "bytes received; client " + sim.clientStats);
        assertTrue(sim.serverSawEnd, "end of stream");
        return sim;
    }

    @Test
    void cleanLinkTransfersTenMegabytes()
    {
        final TcpSimulation sim = run(0, 10_000_000);
        System.out.println("clean: " + sim.clientStats + " t=" + sim.nowNs / 1e9 + " it=" + sim.iterations + " spins=" + sim.spins);
        assertEquals(0, sim.clientStats.retransmissions);
    }

    @Test
    void onePercentLoss()
    {
        final TcpSimulation sim = run(0.01, 10_000_000);
        System.out.println("1%: " + sim.clientStats + " t=" + sim.nowNs / 1e9);
    }
}
