package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.FaultConfig;

/**
 * The engine's hot path allocates nothing on the {@code tap} transport either: two engines, each on its own stack
 * over an in-memory cable, probing latency and streaming verified data for thousands of duty cycles leave the
 * thread's allocated-bytes counter where it was, apart from a small allowance for the JIT's first compilations.
 * (The same test over the in-memory transport is {@code engine.SteadyStateAllocationTest}.)
 */
class StackSteadyStateAllocationTest
{
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void dutyCyclesOnTheStackDoNotAllocate(final TransportProtocol protocol)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;

        final StackSim sim = new StackSim(FaultConfig.none(), 11);
        sim.start(sim.serverHost, EngineConfig.builder("srv").listen(new ListenSpec(protocol, 5000)).build());
        final int packetSize = protocol == TransportProtocol.TCP ? 16 * 1024 : 1400;
        final StackSim.Node cli = sim.start(sim.clientHost, EngineConfig.builder("cli").latency(1_000_000L, 50)
            .connect(ConnectSpec.of(protocol, StackSim.SERVER_IP, 5000).withBandwidth(packetSize, 1L << 40, 0)
            .withVerify(true)).build());
        // Warm up: ARP, hello, a latency round, then into the long upload (and let the JIT settle).
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).latencySamples() >= 50, 30_000, "a latency round");
        sim.runFor(2_000);
        final long bytesBefore = cli.client(sim.clock.nowNs()).bytesSent();

        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 5_000; i++)
        {
            sim.step();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        final long streamed = cli.client(sim.clock.nowNs()).bytesSent() - bytesBefore;
        System.out.println("tap " + protocol + ": allocated " + allocated + " bytes in 5000 steps, streamed " + streamed);
        assertTrue(streamed > 5_000_000L, "data flowed during the measurement: " + streamed);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 5,000 steps while streaming " +
            streamed + " bytes");
    }
}
