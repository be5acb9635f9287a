package io.conntest.tap;

import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.wire.VirtioNetHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads with arbitrary virtio-net headers (issue 9): a header that makes no sense for its frame is refused (the TAP
 * counts and drops the frame), nothing throws, and what passes is consistent. Seeded; no root needed.
 */
class VnetHeaderFuzzTest
{
    private static final int H = VirtioNetHeader.LEGACY_LENGTH;
    private final VirtioNetHeader header = new VirtioNetHeader();
    private final FrameMetadata metadata = new FrameMetadata();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[H + 2000]);

    private boolean read(final int flags, final int gsoType, final int gsoSize, final int csumStart,
        final int csumOffset, final int frameLength)
    {
        VirtioNetHeader.write(buffer, 0, flags, gsoType, 54, gsoSize, csumStart, csumOffset);
        return TapDevice.readHeader(header, buffer, H + frameLength, H, metadata);
    }

    @Test
    void namedBadHeadersAreRefused()
    {
        assertTrue(read(0, 0, 0, 0, 0, 60), "plain");
        assertTrue(read(FrameMetadata.NEEDS_CSUM, FrameMetadata.GSO_TCPV4, 1448, 34, 16, 1514), "TSO4 super-frame");
        assertTrue(read(FrameMetadata.DATA_VALID, 0, 0, 0, 0, 60), "data valid");
        assertFalse(read(0, 2, 1448, 0, 0, 1514), "unknown GSO type");
        assertFalse(read(0, 0x7F, 1448, 0, 0, 1514), "unknown GSO type");
        assertFalse(read(0, FrameMetadata.GSO_TCPV4, 0, 0, 0, 1514), "gso_size 0");
        assertFalse(read(0, FrameMetadata.GSO_ECN, 0, 0, 0, 60), "ECN without a GSO type");
        assertFalse(read(FrameMetadata.NEEDS_CSUM, 0, 0, 34, 16, 40), "checksum field past the frame");
        assertFalse(read(FrameMetadata.NEEDS_CSUM, 0, 0, 65000, 16, 1514), "checksum start past the frame");
        assertFalse(read(FrameMetadata.NEEDS_CSUM, 0, 0, 2, 0, 60), "checksum start inside the Ethernet header");
        assertFalse(read(0x80, 0, 0, 0, 0, 60), "unknown flag");
        assertFalse(TapDevice.readHeader(header, buffer, H - 1, H, metadata), "read shorter than the header");
    }

    @Test
    void randomHeadersNeverThrowAndWhatPassesIsConsistent()
    {
        final SplittableRandom random = new SplittableRandom(0x9E7);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++)
        {
            final int length = random.nextInt(H + 1600);
            for (int b = 0; b < Math.min(length, H); b++)
            {
                buffer.putByte(b, (byte)random.nextInt(256));
            }
            if (random.nextInt(4) == 0)
            {
                buffer.putByte(0, (byte)random.nextInt(4)); // small flags, so some pass
                buffer.putByte(1, (byte)(random.nextBoolean() ? 0 : 1));
            }
            if (TapDevice.readHeader(header, buffer, length, H, metadata))
            {
                accepted++;
                assertTrue(metadata.isConsistent(length - H));
                if (metadata.needsChecksum())
                {
                    assertTrue(metadata.csumStart() + metadata.csumOffset() + 2 <= length - H);
                }
                if (metadata.isSuperFrame())
                {
                    assertTrue(metadata.gsoSize() > 0);
                }
            }
        }
        assertTrue(accepted > 0, "some random headers pass");
        assertEquals(0, 0);
    }
}
