package io.conntest.stack.fuzz;

import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helpers shared by the fuzz targets: placing fuzz bytes in a buffer exactly as large as they are (so a read past
 * the end throws instead of silently reading neighbouring memory), checksum fix-ups that let a fraction of the
 * inputs past the checksum checks, and the real captured frames of {@code captures/frames.hex}.
 */
final class FuzzSupport
{
    /** The frames captured from the Linux kernel by {@code captures/capture.py} (10.9.0.1 and 10.9.0.2). */
    static final String CAPTURES = "/captures/frames.hex";

    private FuzzSupport()
    {
    }

    /**
     * Copies {@code bytes} to {@code offset} in a heap buffer of exactly {@code offset + bytes.length} bytes: a
     * flyweight that reads beyond what it was given hits Agrona's bounds check.
     */
    static UnsafeBuffer exact(final byte[] bytes, final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + bytes.length]);
        buffer.putBytes(offset, bytes);
        return buffer;
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /** Writes the IPv4 header checksum of the header at {@code offset} when its IHL lies within the bytes. */
    static void fixIpv4HeaderChecksum(final UnsafeBuffer buffer, final int offset, final int length)
    {
        if (length < Ipv4Packet.MIN_HEADER_LENGTH)
        {
            return;
        }
        final int headerLength = (buffer.getByte(offset) & 0x0F) * 4;
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH || headerLength > length)
        {
            return;
        }
        buffer.putShort(offset + 10, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 10, (short)Checksum.compute(buffer, offset, headerLength), ByteOrder.BIG_ENDIAN);
    }

    /** Writes an Internet checksum over {@code [offset, offset + length)} into the field at {@code fieldOffset}. */
    static void fixChecksum(final UnsafeBuffer buffer, final int offset, final int length, final int fieldOffset)
    {
        if (fieldOffset + 2 > offset + length)
        {
            return;
        }
        buffer.putShort(fieldOffset, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(fieldOffset, (short)Checksum.compute(buffer, offset, length), ByteOrder.BIG_ENDIAN);
    }

    /** Writes a UDP checksum (RFC 768) over the pseudo-header and {@code length} bytes of datagram. */
    static void fixUdpChecksum(
        final UnsafeBuffer buffer, final int offset, final int length, final int srcAddr, final int dstAddr)
    {
        if (length < 8)
        {
            return;
        }
        buffer.putShort(offset + 6, (short)0, ByteOrder.BIG_ENDIAN);
        long sum = Checksum.addPseudoHeader(0, srcAddr, dstAddr, Ipv4Packet.PROTOCOL_UDP, length);
        sum = Checksum.add(sum, buffer, offset, length);
        final int value = Checksum.finish(sum);
        buffer.putShort(offset + 6, (short)(value == 0 ? 0xFFFF : value), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Asserts that two byte ranges are equal except for one 16-bit checksum field, which may legitimately differ
     * between 0x0000 and 0xFFFF (the two one's-complement zeros, RFC 1071) or be recomputed by the emitter.
     */
    static void assertSameBytesExceptChecksum(
        final DirectBuffer expected, final int expectedOffset, final DirectBuffer actual, final int actualOffset,
        final int length, final int checksumField, final String what)
    {
        for (int i = 0; i < length; i++)
        {
            if (i == checksumField || i == checksumField + 1)
            {
                continue;
            }
            final int e = expected.getByte(expectedOffset + i) & 0xFF;
            final int a = actual.getByte(actualOffset + i) & 0xFF;
            if (e != a)
            {
                assertEquals(e, a, what + ": byte " + i + " differs after emit");
            }
        }
    }

    /** Frames of the capture file as {name, bytes} pairs in capture order. */
    static List<byte[]> capturedFrames(final String direction)
    {
        final List<byte[]> frames = new ArrayList<>();
        try (InputStream in = FuzzSupport.class.getResourceAsStream(CAPTURES))
        {
            assertTrue(in != null, "missing test resource " + CAPTURES);
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null)
            {
                final String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && (direction == null || direction.equals(parts[0])))
                {
                    frames.add(hex(parts[1]));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return frames;
    }

    static byte[] hex(final String text)
    {
        final byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
