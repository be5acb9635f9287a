package io.conntest.cli.run;

import io.conntest.cli.ui.InstanceInfo;
import io.conntest.cli.ui.Output;
import io.conntest.core.engine.Engine;
import io.conntest.core.event.EngineListener;
import io.conntest.core.stats.EngineSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one or more engines (one instance, or the lab's mesh) with an {@link Output} until the {@link RunControl}
 * says stop or the time is up; then stops every engine (each says goodbye to its peers) and gives the output the
 * final snapshots. The engines are stopped and the output told also when starting one of them fails.
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

    private EngineRun()
    {
    }

    /**
     * Runs until a stop is requested or {@code durationNs} passed ({@code <= 0}: no limit).
     *
     * @param between called after each instance started with its engine (the lab learns bound ports here)
     * @return the final snapshots
     */
    public static List<EngineSnapshot> run(final List<Instance> instances, final Output output,
        final RunControl control, final long durationNs, final java.util.function.BiConsumer<Integer, Engine> between)
    {
        final List<InstanceInfo> infos = new ArrayList<>();
        for (final Instance i : instances)
        {
            infos.add(i.info());
        }
        output.onStart(infos);
        final long startNs = System.nanoTime();
        final List<Engine> engines = new ArrayList<>();
        final List<EngineSnapshot> finals = new ArrayList<>();
        try
        {
            for (int i = 0; i < instances.size(); i++)
            {
                final Engine engine = instances.get(i).start().apply(output.listener(instances.get(i).info().name()));
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
        return finals;
    }
}
