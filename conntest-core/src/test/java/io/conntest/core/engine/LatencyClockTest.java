package io.conntest.core.engine;

import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.TransportProtocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole ping/pong/echo exchange can finish inside one duty cycle of each engine (the harness runs four cycles at
 * the same time, as the userspace stack does when the peer answers within a cycle): measured with the cycle's
 * time, every RTT is zero and RTT/2 was recorded as 1 ns. With a latency clock that reads the time afresh the
 * figures are the real elapsed time, on both sides (the server measures through its echo-requesting pong).
 */
class LatencyClockTest
{
    private static final long TICK_NS = 5_000;

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void latencyWithinOneCycleIsMeasuredWithAFreshClock(final TransportProtocol protocol)
    {
        final SimHarness sim = new SimHarness();
        final SimHarness.Node srv = sim.start("10.0.0.2",
            EngineConfig.builder("srv").listen(new ListenSpec(protocol, 1234)).build());
        final SimHarness.Node cli = sim.start("10.0.0.1",
            EngineConfig.builder("cli").connect(ConnectSpec.of(protocol, "10.0.0.2", 1234)).build());
        // Real time moves on while a cycle works: each reading is 5 us later than the previous one.
        final long[] reads = {0};
        srv.core.useLatencyClock(() -> sim.clock.nowNs() + (reads[0] += TICK_NS));
        cli.core.useLatencyClock(() -> sim.clock.nowNs() + (reads[0] += TICK_NS));

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).latencySamples() >= 5
            && !srv.servers(sim.clock.nowNs()).isEmpty() && srv.servers(sim.clock.nowNs()).get(0).latencySamples() >= 5,
            10_000, "five latency samples on both sides");

        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        final ConnectionSnapshot s = srv.servers(sim.clock.nowNs()).get(0);
        assertTrue(c.latencyMinNs() >= TICK_NS / 2, "client min latency " + c.latencyMinNs());
        assertTrue(s.latencyMinNs() >= TICK_NS / 2, "server min latency " + s.latencyMinNs());
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void withoutALatencyClockTheCycleTimeIsUsed(final TransportProtocol protocol)
    {
        final SimHarness sim = new SimHarness();
        final SimHarness.Node srv = sim.start("10.0.0.2",
            EngineConfig.builder("srv").listen(new ListenSpec(protocol, 1234)).build());
        final SimHarness.Node cli = sim.start("10.0.0.1",
            EngineConfig.builder("cli").connect(ConnectSpec.of(protocol, "10.0.0.2", 1234)).build());

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).latencySamples() >= 5, 10_000, "five latency samples");

        // The manual-clock default (what the simulation tests rely on): the cycle's time, so a same-cycle round
        // trip measures as the 1 ns floor. This is exactly what the threaded Engine no longer does.
        assertEquals(1, cli.client(sim.clock.nowNs()).latencyMinNs());
    }
}
