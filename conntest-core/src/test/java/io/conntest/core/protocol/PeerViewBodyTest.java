package io.conntest.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** PEER_VIEW bodies: what is written reads back, and every malformed body is refused before an entry is read. */
class PeerViewBodyTest
{
    private final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);

    private int twoEntries()
    {
        int at = PeerViewBody.writeHeader(b, 0, 2);
        at += PeerViewBody.writeEntry(b, at, PeerViewBody.PROTOCOL_TCP, PeerViewBody.STATE_CONNECTED,
            PeerViewBody.REASON_NONE, true, 123, 9_400_000, 8_100_000, 7000, "bravo".getBytes(StandardCharsets.UTF_8),
            "10.0.0.12", null);
        at += PeerViewBody.writeEntry(b, at, PeerViewBody.PROTOCOL_UDP, PeerViewBody.STATE_RETRYING, 2, true, -1, -1,
            1L << 40, 7000, null, "10.0.0.13", "no answer within 5000 ms\u001b[31m");
        return at;
    }

    @Test
    void entriesReadBackAsWritten()
    {
        final int length = twoEntries();
        final PeerViewBody view = new PeerViewBody();
        assertTrue(view.wrap(b, 0, length));
        assertEquals(PeerViewBody.VIEW_VERSION, view.version());
        assertEquals(2, view.count());

        assertTrue(view.next());
        assertEquals(PeerViewBody.PROTOCOL_TCP, view.protocol());
        assertEquals(PeerViewBody.STATE_CONNECTED, view.state());
        assertTrue(view.outgoing());
        assertEquals(123, view.latencyMicros());
        assertEquals(9_400_000, view.upKbps());
        assertEquals(8_100_000, view.downKbps());
        assertEquals(7000, view.port());
        assertEquals("bravo", text(view.nameOffset(), view.nameLength()));
        assertEquals("10.0.0.12", text(view.hostOffset(), view.hostLength()));
        assertEquals(0, view.detailLength());
        assertEquals(0, view.reporterLength(), "the sender's own view");
        assertEquals(0, view.ageMs());

        assertTrue(view.next());
        assertEquals(PeerViewBody.STATE_RETRYING, view.state());
        assertEquals(2, view.reason());
        assertEquals(PeerViewBody.UNKNOWN, view.latencyMicros(), "negative = unknown");
        assertEquals(PeerViewBody.UNKNOWN, view.upKbps());
        assertEquals(PeerViewBody.UNKNOWN, view.downKbps(), "above 32 bits saturates to unknown");
        assertEquals(0, view.nameLength(), "a peer never reached has no name");
        assertEquals("no answer within 5000 ms?[31m", text(view.detailOffset(), view.detailLength()),
            "text is written as printable ASCII");
        assertFalse(view.next());
    }

    @Test
    void textsAreCutToTheirBounds()
    {
        final String longHost = "h".repeat(200);
        final String longDetail = "d".repeat(300);
        final byte[] longName = "n".repeat(300).getBytes(StandardCharsets.UTF_8);
        int at = PeerViewBody.writeHeader(b, 0, 1);
        final int entry = PeerViewBody.writeEntry(b, at, longName, 300, 70_000, 0, 2, 0, false, 1, 1, 1, 1, longName,
            longHost, longDetail);
        assertEquals(PeerViewBody.MAX_ENTRY_LENGTH, entry);
        assertEquals(entry, PeerViewBody.entryLength(300, longName.length, longHost, longDetail));
        assertTrue(PeerViewBody.MAX_ENTRY_LENGTH + PeerViewBody.HEADER_LENGTH <= ProtocolLimits.MAX_CONTROL_BODY);
        final PeerViewBody view = new PeerViewBody();
        assertTrue(view.wrap(b, 0, at + entry));
        assertTrue(view.next());
        assertEquals(255, view.reporterLength());
        assertEquals(PeerViewBody.MAX_AGE_MS, view.ageMs(), "an age beyond 16 bits saturates");
        assertEquals(255, view.nameLength());
        assertEquals(PeerViewBody.MAX_HOST_BYTES, view.hostLength());
        assertEquals(PeerViewBody.MAX_DETAIL_BYTES, view.detailLength());
    }

    @Test
    void malformedBodiesAreRefused()
    {
        final int length = twoEntries();
        final PeerViewBody view = new PeerViewBody();
        assertFalse(view.wrap(b, 0, length - 1), "an entry overruns the body");
        assertFalse(view.wrap(b, 0, 3), "shorter than the header");
        b.putByte(length, (byte)0);
        assertFalse(view.wrap(b, 0, length + 1), "bytes after the last entry");
        b.putByte(1, (byte)3);
        assertFalse(view.wrap(b, 0, length), "more entries declared than there are");
        b.putByte(1, (byte)2);
        assertTrue(view.wrap(b, 0, length));
        final int second = PeerViewBody.HEADER_LENGTH + PeerViewBody.ENTRY_FIXED_LENGTH + 5 + 9;
        for (final int[] bad : new int[][] {{0, 2}, {1, 0}, {1, 6}, {2, PeerViewBody.MAX_REASON + 1},
            {19, PeerViewBody.MAX_HOST_BYTES + 1}, {20, PeerViewBody.MAX_DETAIL_BYTES + 1}})
        {
            final byte old = b.getByte(second + bad[0]);
            b.putByte(second + bad[0], (byte)bad[1]);
            assertFalse(view.wrap(b, 0, length), "field " + bad[0] + " = " + bad[1]);
            b.putByte(second + bad[0], old);
        }
        assertTrue(view.wrap(b, 0, length));
    }

    @Test
    void anotherViewVersionIsAcceptedWithNothingToRead()
    {
        final int length = twoEntries();
        b.putByte(0, (byte)2);
        final PeerViewBody view = new PeerViewBody();
        assertTrue(view.wrap(b, 0, length));
        assertEquals(2, view.version());
        assertFalse(view.next());
    }

    @Test
    void randomBodiesNeverReadPastTheirEnd()
    {
        final SplittableRandom random = new SplittableRandom(15);
        final PeerViewBody view = new PeerViewBody();
        int accepted = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final int length = random.nextInt(0, 300);
            for (int k = 0; k < length; k++)
            {
                b.putByte(k, (byte)random.nextInt(256));
            }
            b.putByte(0, (byte)1);
            b.putByte(1, (byte)random.nextInt(3));
            if (view.wrap(b, 0, length))
            {
                accepted++;
                while (view.next())
                {
                    assertTrue(view.detailOffset() + view.detailLength() <= length);
                }
            }
        }
        assertTrue(accepted > 0, "some random bodies are well formed (count 0)");
    }

    private String text(final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        b.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
