package io.conntest.cli.run;

import io.conntest.cli.exit.ConfigurationFailure;
import io.conntest.cli.ui.InstanceInfo;
import io.conntest.cli.ui.Output;
import io.conntest.core.engine.Engine;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one or more engines (one instance, or the lab's mesh) with an {@link Output} until the {@link RunControl}
 * says stop or the time is up; then stops every engine (each says goodbye to its peers) and gives the output the
 * final snapshots. The engines are stopped and the output told also when starting one of them fails.
 *
 * <p>A listener whose port is in use ends the run: the engine would retry the bind forever, but a port another
 * socket holds is a configuration error, not an outage. The run then throws {@link ConfigurationFailure} (exit 1)
 * after the output's summary.
 */
public final class EngineRun
{
    /**
     * One instance to start.
     *
     * @param info  what the output shows before the first snapshot
     * @param start starts the engine with the given listener (on the right thread or in the right namespace)
     */
    public record Instance(InstanceInfo info, Function<EngineListener, Engine> start)
    {
    }

    /**
     * What a run ended with.
     *
     * @param finals     every engine's snapshot after it stopped (what the output's summary shows)
     * @param unreached  the outgoing peers that were not connected when the run was stopped, as
     *                   {@code "instance -> proto://host:port (state: last error)"}: never reached, or failing at the end
     */
    public record Result(List<EngineSnapshot> finals, List<String> unreached)
    {
    }

    private EngineRun()
    {
    }

    /**
     * The outgoing peers of {@code beforeStop} that were neither connected nor covered by the peer's own
     * connection (each pair shares one connection) when the run was told to stop.
     */
    static List<String> unreached(final List<EngineSnapshot> beforeStop)
    {
        final List<String> unreached = new ArrayList<>();
        for (final EngineSnapshot snapshot : beforeStop)
        {
            for (final ConnectionSnapshot c : snapshot.connections())
            {
                if (c.side() == Side.CLIENT && c.state() != ConnectionState.CONNECTED
                    && c.state() != ConnectionState.COVERED)
                {
                    unreached.add(snapshot.instanceName() + " -> " + c.protocol().lowerName() + "://"
                        + io.conntest.core.transport.HostText.withPort(c.peerHost(), c.peerPort()) + " (" + c.state().name().toLowerCase(java.util.Locale.ROOT)
                        + (c.lastError() == null ? "" : ": " + c.lastError()) + ")");
                }
            }
        }
        return unreached;
    }

    /**
     * Runs until a stop is requested or {@code durationNs} passed ({@code <= 0}: no limit).
     *
     * @param between called after each instance started with its engine (the lab learns bound ports here)
     * @return the final snapshots and the peers not reached
     */
    public static Result run(final List<Instance> instances, final Output output,
        final RunControl control, final long durationNs, final java.util.function.BiConsumer<Integer, Engine> between)
    {
        final List<InstanceInfo> infos = new ArrayList<>();
        for (final Instance i : instances)
        {
            infos.add(i.info());
        }
        output.onStart(infos);
        final long startNs = System.nanoTime();
        final String[] fatal = new String[1];
        final List<Engine> engines = new ArrayList<>();
        final List<EngineSnapshot> finals = new ArrayList<>();
        final List<EngineSnapshot> beforeStop = new ArrayList<>();
        try
        {
            for (int i = 0; i < instances.size(); i++)
            {
                final EngineListener shown = output.listener(instances.get(i).info().name());
                final Engine engine = instances.get(i).start().apply(stopOnPortInUse(shown, control, fatal));
                engines.add(engine);
                if (between != null)
                {
                    between.accept(i, engine);
                }
            }
            control.await(durationNs <= 0 ? Long.MAX_VALUE : startNs + durationNs);
        }
        finally
        {
            for (final Engine engine : engines)
            {
                beforeStop.add(engine.snapshot());
            }
            // Last started first: an instance says goodbye to the ones it connected to before they stop, so no
            // instance sees its outgoing peers vanish and starts reconnecting during the shutdown.
            for (int i = engines.size() - 1; i >= 0; i--)
            {
                engines.get(i).stop();
            }
            for (final Engine engine : engines)
            {
                finals.add(engine.snapshot());
            }
            output.onStop(finals, System.nanoTime() - startNs);
        }
        synchronized (fatal)
        {
            if (fatal[0] != null)
            {
                throw new ConfigurationFailure(fatal[0]);
            }
        }
        return new Result(finals, unreached(beforeStop));
    }

    /** Passes every event on; the first listen failure for a port in use records its message and stops the run. */
    private static EngineListener stopOnPortInUse(final EngineListener shown, final RunControl control,
        final String[] fatal)
    {
        return new EngineListener()
        {
            @Override
            public void onEvent(final EngineEvent event)
            {
                shown.onEvent(event);
                if (event.type() == EventType.LISTEN_FAILED && event.reason() == FailureReason.IN_USE)
                {
                    synchronized (fatal)
                    {
                        if (fatal[0] == null)
                        {
                            fatal[0] = event.message();
                        }
                    }
                    control.requestStop("port in use");
                }
            }

            @Override
            public void onSnapshot(final EngineSnapshot snapshot)
            {
                shown.onSnapshot(snapshot);
            }
        };
    }
}
