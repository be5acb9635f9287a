package io.conntest.core.engine;

import io.conntest.core.transport.HostText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.MeshCell;
import io.conntest.core.stats.MeshLink;
import io.conntest.core.stats.MeshMatrix;
import io.conntest.core.stats.Side;

/**
 * Builds the {@link MeshMatrix} from this instance's own rows and the links its peers reported. A peer that no one
 * named yet (every attempt to reach it failed) is named through the others: an instance that dials
 * {@code 10.0.0.13:7000} and reached it learned that {@code charlie} listens there, so a third instance's failing
 * attempts at the same address land in charlie's column. The links of one reporter, peer and protocol merge into one
 * cell: the best state wins (a pair connected in one direction is connected), then the freshest information.
 */
final class MeshMatrixBuilder
{
    private MeshMatrixBuilder()
    {
    }

    static MeshMatrix build(final String self, final List<ConnectionSnapshot> own, final List<MeshLink> received,
        final long droppedEntries)
    {
        final List<MeshLink> links = new ArrayList<>(own.size() + received.size());
        for (final ConnectionSnapshot c : own)
        {
            if (c.side() == Side.SERVER && c.peerName() == null)
            {
                continue; // an accepted connection before its HELLO: no one to name yet
            }
            final boolean up = c.state() == ConnectionState.CONNECTED || c.state() == ConnectionState.COVERED;
            links.add(new MeshLink(self, c.peerName(), c.peerHost(), c.peerPort(), c.protocol(), c.state(),
                up ? null : c.lastFailure(), up ? null : c.lastError(), c.latencyP50Ns(), c.bandwidthUpLastBps(),
                c.bandwidthDownLastBps(), c.side() == Side.CLIENT, 0, up ? c.path().translated() : null));
        }
        for (final MeshLink link : received)
        {
            if (!link.from().equals(self))
            {
                links.add(link); // what others say this instance sees is not news: its own rows are
            }
        }
        final Map<String, String> nameAt = new HashMap<>();
        for (final MeshLink link : links)
        {
            if (link.toName() != null && link.outgoing())
            {
                nameAt.putIfAbsent(address(link), link.toName());
            }
        }
        final TreeSet<String> nodes = new TreeSet<>();
        nodes.add(self);
        final Map<String, MeshCell> cells = new LinkedHashMap<>();
        for (final MeshLink link : links)
        {
            final String to = link.toName() != null ? link.toName() :
                nameAt.getOrDefault(address(link), address(link));
            if (to.equals(link.from()))
            {
                continue; // an instance dialling itself is not a pair
            }
            nodes.add(link.from());
            nodes.add(to);
            final String key = link.from() + '\u0000' + to + '\u0000' + link.protocol();
            final MeshCell cell = new MeshCell(link.from(), to, link.protocol(), link.state(), link.reason(),
                link.detail(), link.latencyNs(), link.upBps(), link.downBps(), link.ageNs(), link.translated());
            cells.merge(key, cell, MeshMatrixBuilder::better);
        }
        return new MeshMatrix(self, List.copyOf(nodes), List.copyOf(cells.values()), droppedEntries);
    }

    private static String address(final MeshLink link)
    {
        return HostText.withPort(link.toHost(), link.toPort());
    }

    /** The better-connected of two views of one pair; on a tie the fresher one. */
    private static MeshCell better(final MeshCell a, final MeshCell b)
    {
        final int ra = rank(a.state());
        final int rb = rank(b.state());
        if (ra != rb)
        {
            return ra > rb ? a : b;
        }
        return b.ageNs() < a.ageNs() ? b : a;
    }

    private static int rank(final ConnectionState state)
    {
        switch (state)
        {
            case CONNECTED:
                return 4;
            case COVERED:
                return 3;
            case CONNECTING:
                return 2;
            case RETRYING:
                return 1;
            default:
                return 0;
        }
    }
}
