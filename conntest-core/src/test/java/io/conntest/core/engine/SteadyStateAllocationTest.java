package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.transport.TransportProtocol;

/**
 * The hot path allocates nothing: thousands of duty cycles of bandwidth streaming with latency probes behind the
 * data (the loaded-latency path; over the in-memory transport) leave the thread's allocated-bytes counter where it was, apart from a small allowance
 * for the JIT's first compilations.
 */
class SteadyStateAllocationTest
{
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void dutyCyclesDoNotAllocate(final TransportProtocol protocol)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;

        final SimHarness sim = new SimHarness();
        sim.start("10.0.0.2", EngineConfig.builder("srv").listen(new ListenSpec(protocol, 1234)).build());
        final int packetSize = protocol == TransportProtocol.TCP ? 16 * 1024 : 1400;
        final SimHarness.Node cli = sim.start("10.0.0.1", EngineConfig.builder("cli").latency(1_000_000L, 50)
            .connect(ConnectSpec.of(protocol, "10.0.0.2", 1234).withBandwidth(packetSize, 1L << 40, 0)
            .withVerify(true)).build());
        // Warm up: hello, a latency round, then into the long upload.
        sim.runFor(3_000);
        assertTrue(cli.client(sim.clock.nowNs()).latencySamples() >= 50);
        final long bytesBefore = cli.client(sim.clock.nowNs()).bytesSent();
        final long loadedBefore = cli.client(sim.clock.nowNs()).latencyLoadedSamples();

        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 2_000; i++)
        {
            sim.step();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        final long streamed = cli.client(sim.clock.nowNs()).bytesSent() - bytesBefore;
        System.out.println(protocol + ": allocated " + allocated + " bytes in 2000 duty cycles, streamed " + streamed);
        assertTrue(streamed > 10_000_000L, "data flowed during the measurement: " + streamed);
        // probes go on behind the data (the loaded-latency path, answered and measured on both ends)
        final long loaded = cli.client(sim.clock.nowNs()).latencyLoadedSamples() - loadedBefore;
        assertTrue(loaded >= 100, "loaded probes during the measurement: " + loaded);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 2,000 duty cycles while streaming " +
            streamed + " bytes");
    }
}
