package io.conntest.core.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole mesh as one instance sees it: its own connections and what every peer told it about theirs (PEER_VIEW),
 * so pairs this instance is not part of are in it too. Rows and columns are the {@link #nodes}; a cell is one
 * reporter's view of one peer over one protocol. Immutable.
 *
 * @param self           this instance's name
 * @param nodes          every instance named in the mesh, sorted (a peer no one reached appears as host:port)
 * @param cells          one per reporter, peer and protocol that has a connection
 * @param droppedEntries view entries this instance could not keep (its table is bounded)
 */
public record MeshMatrix(String self, List<String> nodes, List<MeshCell> cells, long droppedEntries)
{
    public static MeshMatrix empty(final String self)
    {
        return new MeshMatrix(self, List.of(), List.of(), 0);
    }

    /** Whether any peer told this instance its view (else the matrix is this instance's own row only). */
    public boolean hasPeerViews()
    {
        for (final MeshCell cell : cells)
        {
            if (!cell.from().equals(self))
            {
                return true;
            }
        }
        return false;
    }

    /** The cells of {@code from}'s view of {@code to} (one per protocol; empty when they have no connection). */
    public List<MeshCell> cells(final String from, final String to)
    {
        final List<MeshCell> found = new ArrayList<>(2);
        for (final MeshCell cell : cells)
        {
            if (cell.from().equals(from) && cell.to().equals(to))
            {
                found.add(cell);
            }
        }
        return found;
    }
}
