package io.conntest.core.stats;

import java.util.List;

/**
 * Everything the engine publishes at one instant. Immutable; lists are unmodifiable.
 *
 * @param timeNs         engine clock
 * @param instanceName   this instance's name
 * @param transportName  kernel / tap / memory
 * @param listeners      every configured listener
 * @param connections    outgoing peers (kept across reconnects) then accepted connections
 * @param droppedEvents  events a slow listener missed
 */
public record EngineSnapshot(long timeNs, String instanceName, String transportName, List<ListenerSnapshot> listeners,
    List<ConnectionSnapshot> connections, long droppedEvents)
{
    public static EngineSnapshot empty(final String instanceName, final String transportName)
    {
        return new EngineSnapshot(0, instanceName, transportName, List.of(), List.of(), 0);
    }
}
