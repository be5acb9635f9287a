package io.conntest.core.event;

import io.conntest.core.stats.EngineSnapshot;

/**
 * Implemented by a UI. Called from the engine's dispatcher thread (never the engine's I/O thread), in order; a
 * slow listener delays only later events, and when it falls too far behind, events are dropped and counted in
 * {@link EngineSnapshot#droppedEvents()}.
 */
public interface EngineListener
{
    void onEvent(EngineEvent event);

    /** A fresh snapshot, a few times a second. */
    default void onSnapshot(final EngineSnapshot snapshot)
    {
    }
}
