package io.conntest.core.engine;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.protocol.PeerViewBody;
import io.conntest.core.protocol.ProtocolLimits;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.ConnectionStats;
import io.conntest.core.stats.PathView;

/**
 * Writes what this instance knows of the mesh as the bodies of PEER_VIEW frames: first its own view of its peers
 * (every outgoing peer, every accepted connection past its HELLO), straight from the engine's live counters, then the
 * entries its peers told it, with their reporter and age, so news of every pair reaches every instance connected to
 * the mesh. Into pages made once: a view allocates nothing. A view that does not fit one body
 * ({@link ProtocolLimits#MAX_CONTROL_BODY}) takes several pages, at most {@link #MAX_PAGES}; entries beyond those are
 * left out and counted (own rows come first, so they are the last to be left out).
 */
final class PeerViewWriter
{
    /** 16 pages of 1 KiB: at least 16 × 1000 / (24 + 64 + 20) ≈ 150 rows with long names. */
    static final int MAX_PAGES = 16;

    private final UnsafeBuffer pages = new UnsafeBuffer(new byte[MAX_PAGES * ProtocolLimits.MAX_CONTROL_BODY]);
    private final int[] pageLength = new int[MAX_PAGES];
    private final int[] pageCount = new int[MAX_PAGES];
    private int pagesUsed;
    private long rowsLeftOut;

    /** Writes the view; returns the number of pages. */
    int write(final List<PeerConnector> peers, final List<Session> sessions, final MeshViews heard, final long nowNs)
    {
        pagesUsed = 0;
        startPage();
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnector peer = peers.get(i);
            final Session carrier = peer.coveredBy();
            add(peer.stats(), carrier == null ? peer.stats() : carrier.stats(), true);
        }
        for (int i = 0; i < sessions.size(); i++)
        {
            final Session session = sessions.get(i);
            if (!session.isClient() && session.helloDone && !session.isClosed())
            {
                add(session.stats(), session.stats(), false);
            }
        }
        for (int i = 0; i < heard.size(); i++)
        {
            final MeshViews.Entry entry = heard.entry(i);
            if (entry.alive(nowNs))
            {
                relay(entry, (nowNs - entry.seenAtNs) / 1_000_000);
            }
        }
        if (pageCount[pagesUsed - 1] == 0)
        {
            pagesUsed--;
        }
        for (int p = 0; p < pagesUsed; p++)
        {
            PeerViewBody.writeHeader(pages, offset(p), pageCount[p]);
        }
        return pagesUsed;
    }

    /**
     * One row: {@code row} gives who and in what state, {@code figures} the latency and bandwidth (the covering
     * connection's for a covered outgoing peer, as the snapshot shows).
     */
    private void add(final ConnectionStats row, final ConnectionStats figures, final boolean outgoing)
    {
        final boolean up = row.state == ConnectionState.CONNECTED || row.state == ConnectionState.COVERED;
        final String detail = up ? null : row.lastError;
        final int page = pageFor(PeerViewBody.entryLength(0,
            row.peerNameBytes == null ? 0 : row.peerNameBytes.length, row.peerHost, detail));
        if (page < 0)
        {
            return;
        }
        final long latencyNs = figures.latencyP50Ns();
        final int at = offset(page) + pageLength[page];
        pageLength[page] += PeerViewBody.writeEntry(pages, at,
            PeerViewCodes.protocolCode(row.protocol()), PeerViewCodes.stateCode(row.state),
            up ? PeerViewBody.REASON_NONE : PeerViewCodes.reasonCode(row.lastFailure), outgoing,
            // rounded up: a latency below 1 us (two stacks in one process) is not "none"
            latencyNs < 0 ? -1 : (latencyNs + 999) / 1_000, kilo(figures.bandwidthUpLastBps),
            kilo(figures.bandwidthDownLastBps), row.peerPort, row.peerNameBytes, row.peerHost, detail);
        PeerViewBody.putTranslated(pages, at, up ? PathView.translated(figures.seenAsHost, figures.seenAsPort,
            figures.localHost, figures.localPort) : -1);
        pageCount[page]++;
    }

    /** A peer's entry passed on with its reporter and age. */
    private void relay(final MeshViews.Entry e, final long ageMs)
    {
        final int page = pageFor(PeerViewBody.entryLength(e.reporterLength, e.nameLength, e.hostText, e.detailText));
        if (page < 0)
        {
            return;
        }
        final int at = offset(page) + pageLength[page];
        pageLength[page] += PeerViewBody.writeEntry(pages, at, e.reporter,
            e.reporterLength, ageMs, e.protocol, e.state, e.reason, e.outgoing, e.latencyMicros, e.upKbps, e.downKbps,
            e.port, e.name, e.nameLength, e.hostText, e.detailText);
        PeerViewBody.putTranslated(pages, at, e.translated);
        pageCount[page]++;
    }

    /** The page an entry of {@code length} bytes goes to (a new one when the last is full), or -1: no room left. */
    private int pageFor(final int length)
    {
        final int page = pagesUsed - 1;
        if (pageLength[page] + length <= ProtocolLimits.MAX_CONTROL_BODY && pageCount[page] < PeerViewBody.MAX_ENTRIES)
        {
            return page;
        }
        if (pagesUsed == MAX_PAGES)
        {
            rowsLeftOut++;
            return -1;
        }
        startPage();
        return pagesUsed - 1;
    }

    private static long kilo(final long bps)
    {
        return bps < 0 ? -1 : bps / 1_000;
    }

    private void startPage()
    {
        pageLength[pagesUsed] = PeerViewBody.HEADER_LENGTH;
        pageCount[pagesUsed] = 0;
        pagesUsed++;
    }

    private static int offset(final int page)
    {
        return page * ProtocolLimits.MAX_CONTROL_BODY;
    }

    UnsafeBuffer pages()
    {
        return pages;
    }

    int pageOffset(final int page)
    {
        return offset(page);
    }

    int pageLength(final int page)
    {
        return pageLength[page];
    }

    /** Rows that did not fit {@link #MAX_PAGES} pages (a mesh of more than about 150 connections). */
    long rowsLeftOut()
    {
        return rowsLeftOut;
    }
}
