package io.conntest.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.stats.PathView;

/** PEER_SEEN bodies and the path view they give: round trip, unknowns, malformed bodies, the verdicts. */
class PeerSeenBodyTest
{
    private final UnsafeBuffer b = new UnsafeBuffer(new byte[256]);

    @Test
    void readsBackWhatWasWritten()
    {
        final int length = PeerSeenBody.write(b, 0, "192.0.2.7", 40312, 62, 0x21);
        final PeerSeenBody body = new PeerSeenBody();
        assertTrue(body.wrap(b, 0, length));
        assertEquals(40312, body.port());
        assertEquals(62, body.ttl());
        assertEquals(0x21, body.tos());
        assertEquals(9, body.hostLength());

        final int unknown = PeerSeenBody.write(b, 0, "10.0.0.1", 7, -1, -1);
        assertTrue(body.wrap(b, 0, unknown));
        assertEquals(-1, body.ttl());
        assertEquals(-1, body.tos());
    }

    @Test
    void malformedBodiesAreRefused()
    {
        final int length = PeerSeenBody.write(b, 0, "10.0.0.1", 7, 64, 0);
        final PeerSeenBody body = new PeerSeenBody();
        assertFalse(body.wrap(b, 0, length - 1), "host shorter than declared");
        assertFalse(body.wrap(b, 0, length + 1), "bytes after the host");
        assertFalse(body.wrap(b, 0, 7), "shorter than the fixed part");
        b.putByte(PeerSeenBody.FIXED_LENGTH + 2, (byte)0x1b);
        assertFalse(body.wrap(b, 0, length), "a control byte in the host");
        b.putByte(PeerSeenBody.FIXED_LENGTH + 2, (byte)'0');
        b.putByte(6, (byte)(PeerSeenBody.MAX_HOST_BYTES + 1));
        assertFalse(body.wrap(b, 0, PeerSeenBody.FIXED_LENGTH + PeerSeenBody.MAX_HOST_BYTES + 1));
        b.putByte(6, (byte)8);
        b.putByte(0, (byte)2);
        assertTrue(body.wrap(b, 0, length), "another version is no error");
        assertEquals(-1, body.ttl(), "but says nothing");
        assertEquals(0, body.hostLength());
    }

    @Test
    void thePathViewComparesWithWhatThisEndSent()
    {
        final PathView nat = PathView.of("198.51.100.1", 61000, 62, 0x20, "192.168.1.2", 40000, 64, 0);
        assertEquals(Boolean.TRUE, nat.translated());
        assertEquals(2, nat.hops());
        assertEquals(0, nat.dscpSent());
        assertEquals(8, nat.dscpSeen());
        assertTrue(nat.dscpRewritten());
        assertEquals("seen as 198.51.100.1:61000 (translated), 2 hops, dscp 0 -> 8 (rewritten), ecn 0",
            nat.describe());

        final PathView plain = PathView.of("192.168.1.2", 40000, -1, -1, "192.168.1.2", 40000, 64, 0);
        assertEquals(Boolean.FALSE, plain.translated());
        assertEquals(-1, plain.hops(), "the peer could not tell the TTL");
        assertEquals("seen as 192.168.1.2:40000 (not translated)", plain.describe());

        assertEquals(null, PathView.of("10.0.0.9", 7000, 64, 0, "0.0.0.0", 7000, 64, 0).translated(),
            "a wildcard listener does not know its own address");
        assertEquals(Boolean.TRUE, PathView.of("10.0.0.9", 8000, 64, 0, "0.0.0.0", 7000, 64, 0).translated(),
            "but a changed port is translation");
        assertEquals(-1, PathView.of("10.0.0.9", 7000, 70, 0, "10.0.0.9", 7000, 64, 0).hops(),
            "a TTL above the one sent is not a hop count");
        assertEquals(null, PathView.UNKNOWN.describe());
    }
}
