package io.conntest.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.Transport;

/**
 * One engine driven by a simulation on a manual clock, keeping every event it emitted: the node of both
 * simulations ({@code SimHarness} over the in-memory network, {@code StackSim} over two stacks).
 */
public class RecordingEngine implements EngineListener
{
    public final EngineCore core;
    public final List<EngineEvent> events = new ArrayList<>();

    public RecordingEngine(final Transport transport, final EngineConfig config)
    {
        this.core = new EngineCore(config, transport, this);
    }

    @Override
    public void onEvent(final EngineEvent event)
    {
        events.add(event);
    }

    /** The events of one type, in order. */
    public List<EngineEvent> events(final EventType type)
    {
        return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
    }

    /** The (first) outgoing connection now. */
    public ConnectionSnapshot client(final long nowNs)
    {
        return core.snapshot(nowNs).connections().stream().filter(c -> c.side() == Side.CLIENT).findFirst()
            .orElseThrow();
    }

    /** The accepted connections now. */
    public List<ConnectionSnapshot> servers(final long nowNs)
    {
        return core.snapshot(nowNs).connections().stream().filter(c -> c.side() == Side.SERVER)
            .collect(Collectors.toList());
    }
}
