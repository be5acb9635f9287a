package io.conntest.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

import io.conntest.core.protocol.PeerText;
import io.conntest.core.protocol.PeerViewBody;
import io.conntest.core.stats.MeshLink;

/**
 * What the peers told this instance about the mesh (PEER_VIEW frames): one entry per reporter, protocol, direction
 * and peer. A reporter's own view comes from it directly (age 0); what it heard of others comes relayed, with its
 * age, so an entry is replaced only by fresher news of the same thing, and forgotten {@link #EXPIRY_NS} after its
 * reporter saw it: a reporter that went away, or a peer it no longer sees, drops out of the matrix by itself, and a
 * relay loop cannot keep old news alive. Bounded at {@link #MAX_ENTRIES} entries; an entry beyond that is dropped and
 * counted. Written by the engine thread only. A view that repeats the last one allocates nothing: entries are matched
 * and updated in place, and strings are made only by {@link #links}, with the snapshot.
 */
final class MeshViews
{
    /** Entries kept across all reporters: a 16-instance mesh over two protocols in both directions fits. */
    static final int MAX_ENTRIES = 1024;
    /** How long an entry lives without a refresh: ten views, so a few views lost or skipped under load do not matter. */
    static final long EXPIRY_NS = 10 * EngineCore.PEER_VIEW_INTERVAL_NS;

    private final List<Entry> entries = new ArrayList<>();
    private long droppedEntries;
    private long ignoredViews;

    private final byte[] self;

    /** @param self this instance's name in UTF-8: news of its own view, relayed back to it, is not kept */
    MeshViews(final byte[] self)
    {
        this.self = self;
    }

    /**
     * Takes in every entry of a validated view from {@code sender} (its name from its HELLO, as UTF-8): its own
     * entries, and those it relays for others, each unless this table holds fresher news of the same thing.
     */
    void onView(final byte[] sender, final PeerViewBody view, final long nowNs)
    {
        if (sender == null)
        {
            return;
        }
        if (view.version() != PeerViewBody.VIEW_VERSION)
        {
            ignoredViews++;
            return;
        }
        while (view.next())
        {
            final byte[] reporter = view.reporterLength() == 0 ? sender : null;
            if (reporter == null && Entry.equal(self, self.length, view.buffer(), view.reporterOffset(),
                view.reporterLength()))
            {
                continue; // this instance's own view, relayed back: its own rows are the truth
            }
            final long seenAtNs = nowNs - view.ageMs() * 1_000_000L;
            if (nowNs - seenAtNs > EXPIRY_NS)
            {
                continue;
            }
            Entry entry = find(reporter, view);
            if (entry == null)
            {
                entry = free(nowNs);
                if (entry == null)
                {
                    droppedEntries++;
                    continue;
                }
                entry.setKey(reporter, view);
            }
            else if (seenAtNs <= entry.seenAtNs)
            {
                continue; // older than what this table holds (a relay's copy of news it already has)
            }
            entry.update(view, seenAtNs);
        }
    }

    private Entry find(final byte[] sender, final PeerViewBody view)
    {
        for (int i = 0; i < entries.size(); i++)
        {
            final Entry e = entries.get(i);
            if (e.reporterLength > 0 && e.matches(sender, view))
            {
                return e;
            }
        }
        return null;
    }

    /** Entries held, alive or not (for relaying: {@link #entry} and {@link Entry#alive}). */
    int size()
    {
        return entries.size();
    }

    Entry entry(final int index)
    {
        return entries.get(index);
    }

    /** An expired or unused entry, or a new one while under the bound, or null. */
    private Entry free(final long nowNs)
    {
        for (int i = 0; i < entries.size(); i++)
        {
            final Entry e = entries.get(i);
            if (!e.alive(nowNs))
            {
                return e;
            }
        }
        if (entries.size() < MAX_ENTRIES)
        {
            final Entry e = new Entry();
            entries.add(e);
            return e;
        }
        return null;
    }

    /** Entries that did not fit the table. */
    long droppedEntries()
    {
        return droppedEntries;
    }

    /** Views of a format version this instance does not read. */
    long ignoredViews()
    {
        return ignoredViews;
    }

    /** The entries still alive, as links (sanitised text: what a peer sends reaches screens). Allocates. */
    List<MeshLink> links(final long nowNs)
    {
        final List<MeshLink> links = new ArrayList<>();
        for (final Entry e : entries)
        {
            if (e.alive(nowNs))
            {
                links.add(e.toLink(nowNs));
            }
        }
        return links;
    }

    /** One reporter's view of one peer over one protocol and direction. */
    static final class Entry
    {
        final byte[] reporter = new byte[io.conntest.core.protocol.ProtocolLimits.MAX_NAME_BYTES];
        /** 0: the slot is free. */
        int reporterLength;
        int protocol;
        boolean outgoing;
        final byte[] name = new byte[io.conntest.core.protocol.ProtocolLimits.MAX_NAME_BYTES];
        int nameLength;
        final byte[] host = new byte[PeerViewBody.MAX_HOST_BYTES];
        int hostLength;
        int port;
        int state;
        int reason;
        long latencyMicros;
        long upKbps;
        long downKbps;
        /** 1 translated, 0 not, -1 unknown. */
        int translated = -1;
        final byte[] detail = new byte[PeerViewBody.MAX_DETAIL_BYTES];
        int detailLength;
        /** When the reporter saw it, on this instance's clock (now minus the age it came with). */
        long seenAtNs;
        /** Host and detail as text for relaying, without copying. */
        final AsciiView hostText = new AsciiView(host);
        final AsciiView detailText = new AsciiView(detail);

        boolean alive(final long nowNs)
        {
            return reporterLength > 0 && nowNs - seenAtNs <= EXPIRY_NS;
        }

        /**
         * Same reporter, protocol and direction, and the same peer: by name when the view names it, else by the
         * address the reporter dials (a peer it never reached has no name yet).
         */
        boolean matches(final byte[] sender, final PeerViewBody view)
        {
            if (protocol != view.protocol() || outgoing != view.outgoing() || nameLength != view.nameLength())
            {
                return false;
            }
            if (sender != null ? !equal(reporter, reporterLength, sender) :
                reporterLength != view.reporterLength() ||
                    !equal(reporter, view.buffer(), view.reporterOffset(), reporterLength))
            {
                return false;
            }
            if (nameLength > 0)
            {
                return equal(name, view.buffer(), view.nameOffset(), nameLength);
            }
            return port == view.port() && hostLength == view.hostLength() &&
                equal(host, view.buffer(), view.hostOffset(), hostLength);
        }

        void setKey(final byte[] sender, final PeerViewBody view)
        {
            if (sender != null)
            {
                reporterLength = Math.min(sender.length, reporter.length);
                System.arraycopy(sender, 0, reporter, 0, reporterLength);
            }
            else
            {
                reporterLength = view.reporterLength();
                view.buffer().getBytes(view.reporterOffset(), reporter, 0, reporterLength);
            }
            protocol = view.protocol();
            outgoing = view.outgoing();
            nameLength = view.nameLength();
            view.buffer().getBytes(view.nameOffset(), name, 0, nameLength);
        }

        void update(final PeerViewBody view, final long seenAtNs)
        {
            hostLength = view.hostLength();
            view.buffer().getBytes(view.hostOffset(), host, 0, hostLength);
            port = view.port();
            state = view.state();
            reason = view.reason();
            latencyMicros = view.latencyMicros();
            upKbps = view.upKbps();
            downKbps = view.downKbps();
            translated = view.translated();
            detailLength = view.detailLength();
            view.buffer().getBytes(view.detailOffset(), detail, 0, detailLength);
            hostText.length = hostLength;
            detailText.length = detailLength;
            this.seenAtNs = seenAtNs;
        }

        MeshLink toLink(final long nowNs)
        {
            return new MeshLink(PeerText.sanitize(new String(reporter, 0, reporterLength, StandardCharsets.UTF_8),
                    PeerText.MAX_NAME),
                nameLength == 0 ? null : PeerText.sanitize(new String(name, 0, nameLength, StandardCharsets.UTF_8),
                    PeerText.MAX_NAME),
                PeerText.sanitize(new String(host, 0, hostLength, StandardCharsets.US_ASCII), PeerViewBody.MAX_HOST_BYTES),
                port, PeerViewCodes.protocol(protocol), PeerViewCodes.state(state), PeerViewCodes.reason(reason),
                detailLength == 0 ? null : PeerText.sanitize(new String(detail, 0, detailLength,
                    StandardCharsets.US_ASCII), PeerViewBody.MAX_DETAIL_BYTES),
                latencyMicros == PeerViewBody.UNKNOWN ? -1 : latencyMicros * 1_000,
                upKbps == PeerViewBody.UNKNOWN ? -1 : upKbps * 1_000,
                downKbps == PeerViewBody.UNKNOWN ? -1 : downKbps * 1_000,
                outgoing, nowNs - seenAtNs, translated < 0 ? null : translated == 1);
        }

        private static boolean equal(final byte[] mine, final int length, final byte[] other)
        {
            if (length != other.length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (mine[i] != other[i])
                {
                    return false;
                }
            }
            return true;
        }

        static boolean equal(final byte[] mine, final int mineLength, final DirectBuffer buffer, final int offset,
            final int length)
        {
            return mineLength == length && equal(mine, buffer, offset, length);
        }

        private static boolean equal(final byte[] mine, final DirectBuffer buffer, final int offset, final int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (mine[i] != buffer.getByte(offset + i))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /** ASCII bytes of a table entry seen as text, so relaying writes them without a String. */
    static final class AsciiView implements CharSequence
    {
        private final byte[] bytes;
        int length;

        AsciiView(final byte[] bytes)
        {
            this.bytes = bytes;
        }

        @Override
        public int length()
        {
            return length;
        }

        @Override
        public char charAt(final int index)
        {
            return (char)(bytes[index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(final int start, final int end)
        {
            return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
        }

        @Override
        public String toString()
        {
            return new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }
    }
}
