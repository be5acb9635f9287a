package io.conntest.core.stats;

import java.util.List;

import io.conntest.core.nat.NatTestResult;
import io.conntest.core.nat.PathMtuResult;

/**
 * Everything the engine publishes at one instant. Immutable; lists are unmodifiable.
 *
 * @param timeNs         engine clock
 * @param instanceName   this instance's name
 * @param transportName  kernel / tap / memory
 * @param listeners      every configured listener
 * @param connections    outgoing peers (kept across reconnects) then accepted connections
 * @param droppedEvents  events a slow listener missed
 * @param mesh           the whole mesh as this instance sees it (its rows and its peers' PEER_VIEWs)
 * @param natTests       the NAT tests that finished ({@code ?nat-test} peers), in the order of the peers
 * @param pathMtus       the path MTU tests that finished ({@code ?pmtu} peers), in the order of the peers
 */
public record EngineSnapshot(long timeNs, String instanceName, String transportName, List<ListenerSnapshot> listeners,
    List<ConnectionSnapshot> connections, long droppedEvents, MeshMatrix mesh, List<NatTestResult> natTests,
    List<PathMtuResult> pathMtus)
{
    /** A snapshot without path MTU tests. */
    public EngineSnapshot(final long timeNs, final String instanceName, final String transportName,
        final List<ListenerSnapshot> listeners, final List<ConnectionSnapshot> connections, final long droppedEvents,
        final MeshMatrix mesh, final List<NatTestResult> natTests)
    {
        this(timeNs, instanceName, transportName, listeners, connections, droppedEvents, mesh, natTests, List.of());
    }

    /** A snapshot without NAT tests. */
    public EngineSnapshot(final long timeNs, final String instanceName, final String transportName,
        final List<ListenerSnapshot> listeners, final List<ConnectionSnapshot> connections, final long droppedEvents,
        final MeshMatrix mesh)
    {
        this(timeNs, instanceName, transportName, listeners, connections, droppedEvents, mesh, List.of());
    }

    /** A snapshot with no mesh beyond this instance (tests, and outputs that never show one). */
    public EngineSnapshot(final long timeNs, final String instanceName, final String transportName,
        final List<ListenerSnapshot> listeners, final List<ConnectionSnapshot> connections, final long droppedEvents)
    {
        this(timeNs, instanceName, transportName, listeners, connections, droppedEvents,
            MeshMatrix.empty(instanceName));
    }

    public static EngineSnapshot empty(final String instanceName, final String transportName)
    {
        return new EngineSnapshot(0, instanceName, transportName, List.of(), List.of(), 0);
    }
}
