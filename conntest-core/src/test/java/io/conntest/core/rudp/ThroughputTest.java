package io.conntest.core.rudp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In-process throughput of two channels (one thread, both ends plus the simulated link's copy), one way, on an
 * infinitely fast link with 50 us delay. Prints messages/s and MB/s of wall-clock time (CPU cost of the protocol) and
 * MB/s of simulated time (what the windows, RTO and AIMD allow on that link); asserts only completion.
 */
class ThroughputTest
{
    @ParameterizedTest(name = "size={0} loss={1}")
    @CsvSource({
        "1400, 0.00, 300000",
        "1400, 0.01, 300000",
        "16384, 0.00, 60000",
        "16384, 0.01, 60000",
        "65471, 0.00, 15000",
        "65471, 0.01, 15000",
    })
    void measure(final int size, final double loss, final int messages)
    {
        final Sim sim = new Sim(ReliableUdpConfig.defaults(), 51, 4096);
        for (final SimulatedLink link : new SimulatedLink[] {sim.clientToServer, sim.serverToClient})
        {
            link.bytesPerSecond = 0;
            link.delayNs = 50_000L;
            link.lossRate = loss;
        }
        sim.runFor(1_000_000L);
        sim.clientStream.fixedLength = size;
        sim.clientStream.toSend = messages / 10; // warm-up
        assertTrue(sim.runTransfer(600_000_000_000L));
        sim.clientStream.toSend += messages;
        final long startSim = sim.clock.nowNs();
        final long start = System.nanoTime();
        assertTrue(sim.runTransfer(600_000_000_000L), sim.client::toString);
        final long wallNs = System.nanoTime() - start;
        assertEquals(0, sim.clientStream.errors);
        final double seconds = wallNs / 1e9;
        final double simSeconds = (sim.clock.nowNs() - startSim) / 1e9;
        System.out.printf("rudp throughput size=%d loss=%.2f: %,d messages in %.3f s wall (%.3f s simulated): " +
                "%,.0f msg/s, %.1f MB/s of CPU time; %.1f MB/s of simulated link time; retransmitted=%d%n",
            size, loss, messages, seconds, simSeconds, messages / seconds,
            (double)messages * size / seconds / 1e6, (double)messages * size / simSeconds / 1e6,
            sim.client.stats().retransmitted());
        System.out.println("  " + sim.client.stats());
    }
}
