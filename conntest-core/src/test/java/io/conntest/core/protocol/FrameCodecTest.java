package io.conntest.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrameCodecTest
{
    private static final class Recorder implements FrameHandler
    {
        final List<String> events = new ArrayList<>();
        long payloadBytes;
        ProtocolError error;

        @Override
        public void onFrame(final FrameHeader header, final DirectBuffer buffer, final int bodyOffset,
            final int bodyLength)
        {
            events.add(MessageType.name(header.type()) + "/" + header.sequence() + "/" + bodyLength);
        }

        @Override
        public void onDataStart(final FrameHeader header)
        {
            events.add("DATA/" + header.sequence() + "/" + header.bodyLength());
        }

        @Override
        public void onDataPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            payloadBytes += length;
        }

        @Override
        public void onDataEnd()
        {
            events.add("END");
        }

        @Override
        public void onProtocolError(final ProtocolError error, final long detail)
        {
            this.error = error;
            events.add("ERROR/" + error + "/" + detail);
        }
    }

    private static int writeStream(final UnsafeBuffer b)
    {
        int p = 0;
        final int hello = HelloBody.write(b, p + FrameHeader.LENGTH, 3, HelloBody.ROLE_CLIENT,
            "alice".getBytes(StandardCharsets.UTF_8));
        p += FrameHeader.write(b, p, MessageType.HELLO, 0, hello, 7, 1, 100) + hello;
        p += FrameHeader.write(b, p, MessageType.LATENCY_PING, 0, 0, 7, 2, 200);
        FrameHeader.write(b, p, MessageType.DATA, FrameHeader.FLAG_END, 1000, 7, 3, 300);
        p += FrameHeader.LENGTH + 1000;
        final int pong = LatencyPongBody.write(b, p + FrameHeader.LENGTH, 200, 2);
        p += FrameHeader.write(b, p, MessageType.LATENCY_PONG, 0, pong, 7, 4, 400) + pong;
        return p;
    }

    @Test
    void headerFieldsAreBigEndianAtDocumentedOffsets()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        FrameHeader.write(b, 0, MessageType.LATENCY_PING, 0x0102, 0, 0x0A0B0C0D, 0x1122334455667788L, 42);
        assertEquals(0x43, b.getByte(0));
        assertEquals(0x53, b.getByte(3));
        assertEquals(1, b.getByte(4));
        assertEquals(MessageType.LATENCY_PING, b.getByte(5));
        assertEquals(0x0102, b.getShort(6, ByteOrder.BIG_ENDIAN));
        assertEquals(0x0A0B0C0D, b.getInt(12, ByteOrder.BIG_ENDIAN));
        assertEquals(0x11, b.getByte(16));
        assertEquals(42, b.getLong(24, ByteOrder.BIG_ENDIAN));
        final FrameHeader h = new FrameHeader();
        assertTrue(h.wrap(b, 0, 64));
        assertEquals(null, h.validate());
        assertEquals(0x1122334455667788L, h.sequence());
        assertFalse(h.wrap(b, 0, 31));
    }

    @Test
    void streamDecoderDeliversTheSameFramesWhateverTheSplit()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
        final int length = writeStream(b);
        final Recorder whole = new Recorder();
        new StreamFrameDecoder().onBytes(b, 0, length, whole);
        assertEquals(List.of("HELLO/1/13", "LATENCY_PING/2/0", "DATA/3/1000", "END", "LATENCY_PONG/4/16"),
            whole.events);
        assertEquals(1000, whole.payloadBytes);
        for (int split = 1; split < length; split++)
        {
            final Recorder r = new Recorder();
            final StreamFrameDecoder d = new StreamFrameDecoder();
            d.onBytes(b, 0, split, r);
            d.onBytes(b, split, length - split, r);
            assertEquals(whole.events, r.events, "split at " + split);
            assertEquals(1000, r.payloadBytes);
            assertTrue(d.isAtFrameBoundary());
        }
        final Recorder bytewise = new Recorder();
        final StreamFrameDecoder d = new StreamFrameDecoder();
        for (int i = 0; i < length; i++)
        {
            d.onBytes(b, i, 1, bytewise);
        }
        assertEquals(whole.events, bytewise.events);
    }

    @Test
    void partialFrameIsKeptUntilComplete()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
        writeStream(b);
        final Recorder r = new Recorder();
        final StreamFrameDecoder d = new StreamFrameDecoder();
        d.onBytes(b, 0, 40, r);
        assertTrue(r.events.isEmpty());
        assertFalse(d.isAtFrameBoundary());
    }

    @Test
    void hostileHeadersAreRejectedBeforeAnyBodyIsBuffered()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        FrameHeader.write(b, 0, MessageType.HELLO, 0, Integer.MAX_VALUE, 1, 1, 1);
        Recorder r = new Recorder();
        new StreamFrameDecoder().onBytes(b, 0, 40, r);
        assertEquals(ProtocolError.LENGTH_TOO_LARGE, r.error);

        FrameHeader.write(b, 0, MessageType.DATA, 0, -1, 1, 1, 1);
        r = new Recorder();
        new StreamFrameDecoder().onBytes(b, 0, 32, r);
        assertEquals(ProtocolError.LENGTH_TOO_LARGE, r.error);

        b.putInt(0, 0x47455420, ByteOrder.BIG_ENDIAN); // "GET "
        r = new Recorder();
        final StreamFrameDecoder d = new StreamFrameDecoder();
        d.onBytes(b, 0, 64, r);
        assertEquals(List.of("ERROR/BAD_MAGIC/1195725856"), r.events);
        assertTrue(d.isFailed());
        d.onBytes(b, 0, 64, r);
        assertEquals(1, r.events.size());

        FrameHeader.write(b, 0, 99, 0, 0, 1, 1, 1);
        r = new Recorder();
        new StreamFrameDecoder().onBytes(b, 0, 32, r);
        assertEquals(ProtocolError.UNKNOWN_TYPE, r.error);

        FrameHeader.write(b, 0, MessageType.LATENCY_PING, 0, 0, 1, 1, 1);
        b.putByte(4, (byte)9);
        r = new Recorder();
        new StreamFrameDecoder().onBytes(b, 0, 32, r);
        assertEquals(ProtocolError.BAD_VERSION, r.error);
    }

    @Test
    void anotherProtocolIsRejectedAfterFourBytes()
    {
        final UnsafeBuffer b = new UnsafeBuffer("GET / HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII));
        final Recorder r = new Recorder();
        final StreamFrameDecoder d = new StreamFrameDecoder();
        d.onBytes(b, 0, 3, r);
        assertTrue(r.events.isEmpty());
        d.onBytes(b, 3, 1, r);
        assertEquals(ProtocolError.BAD_MAGIC, r.error);
        assertTrue(d.isFailed());
    }

    @Test
    void datagramDecoderNeedsExactlyOneFrame()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[256]);
        FrameHeader.write(b, 0, MessageType.DATA, 0, 100, 1, 1, 1);
        final DatagramFrameDecoder d = new DatagramFrameDecoder();
        Recorder r = new Recorder();
        assertTrue(d.onDatagram(b, 0, 132, r));
        assertEquals(List.of("DATA/1/100", "END"), r.events);
        r = new Recorder();
        assertFalse(d.onDatagram(b, 0, 131, r));
        assertEquals(ProtocolError.TRUNCATED, r.error);
        r = new Recorder();
        assertFalse(d.onDatagram(b, 0, 133, r));
        assertEquals(ProtocolError.BAD_BODY, r.error);
        r = new Recorder();
        assertFalse(d.onDatagram(b, 0, 10, r));
        assertEquals(ProtocolError.TRUNCATED, r.error);
    }

    @Test
    void bodiesRoundTripAndRejectBadValues()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[512]);
        final int helloLength =
            HelloBody.write(b, 0, 3, HelloBody.ROLE_SERVER, "bøb".getBytes(StandardCharsets.UTF_8));
        final HelloBody hello = new HelloBody();
        assertTrue(hello.wrap(b, 0, helloLength));
        assertEquals("bøb", hello.name());
        assertEquals(HelloBody.ROLE_SERVER, hello.role());
        assertFalse(hello.wrap(b, 0, helloLength - 1));
        assertFalse(hello.wrap(b, 0, helloLength + 1));

        final LatencyPongBody pongBody = new LatencyPongBody();
        assertEquals(LatencyPongBody.LENGTH_WITH_LOSS, LatencyPongBody.write(b, 0, 7, 8, 42));
        assertTrue(pongBody.wrap(b, 0, LatencyPongBody.LENGTH_WITH_LOSS));
        assertEquals(42, pongBody.senderLost());
        assertEquals(7, pongBody.echoTimestampNs());
        assertTrue(pongBody.wrap(b, 0, LatencyPongBody.LENGTH), "a pong without the count is accepted");
        assertEquals(-1, pongBody.senderLost());
        LatencyPongBody.write(b, 0, 7, 8, -1);
        assertTrue(pongBody.wrap(b, 0, LatencyPongBody.LENGTH_WITH_LOSS));
        assertEquals(-1, pongBody.senderLost(), "over TCP: unknown");
        assertFalse(pongBody.wrap(b, 0, 20));

        final BandwidthRequestBody request = new BandwidthRequestBody();
        BandwidthRequestBody.write(b, 0, BandwidthRequestBody.DOWN, 1, 5 * 1024 * 1024, 0, 1_000_000_000L, 0);
        assertTrue(request.wrap(b, 0, BandwidthRequestBody.LENGTH));
        assertEquals(5 * 1024 * 1024, request.packetSize());
        assertEquals(0, request.rateBps());
        BandwidthRequestBody.write(b, 0, BandwidthRequestBody.DUPLEX, 0, 1000, 0, 1_000_000_000L, 100_000_000L);
        assertTrue(request.wrap(b, 0, BandwidthRequestBody.LENGTH));
        assertEquals(BandwidthRequestBody.DUPLEX, request.direction());
        assertEquals(100_000_000L, request.rateBps());
        // a body without the rate (24 bytes, the first protocol version's) is accepted as unpaced
        assertTrue(request.wrap(b, 0, BandwidthRequestBody.LENGTH_WITHOUT_RATE));
        assertEquals(0, request.rateBps());
        BandwidthRequestBody.write(b, 0, BandwidthRequestBody.UP, 0, 1000, 0, 1_000_000_000L, -1);
        assertFalse(request.wrap(b, 0, BandwidthRequestBody.LENGTH), "negative rate");
        BandwidthRequestBody.write(b, 0, 3, 0, 1000, 0, 1_000_000_000L, 0);
        assertFalse(request.wrap(b, 0, BandwidthRequestBody.LENGTH), "unknown direction");
        BandwidthRequestBody.write(b, 0, BandwidthRequestBody.UP, 0, 0, 10, 0, 0);
        assertFalse(request.wrap(b, 0, BandwidthRequestBody.LENGTH), "packet size 0");
        BandwidthRequestBody.write(b, 0, BandwidthRequestBody.UP, 0, ProtocolLimits.MAX_DATA_PAYLOAD + 1, 10, 0, 0);
        assertFalse(request.wrap(b, 0, BandwidthRequestBody.LENGTH), "packet size too big");
        BandwidthRequestBody.write(b, 0, BandwidthRequestBody.UP, 0, 10, 0, 0, 0);
        assertFalse(request.wrap(b, 0, BandwidthRequestBody.LENGTH), "no limit");

        final BandwidthResultBody result = new BandwidthResultBody();
        BandwidthResultBody.write(b, 0, BandwidthRequestBody.UP, 3, 1000, 10, 5000);
        assertTrue(result.wrap(b, 0, BandwidthResultBody.LENGTH));
        assertEquals(3, result.verificationErrors());
        assertEquals(1000, result.bytes());

        final CloseBody close = new CloseBody();
        final int closeLength = CloseBody.write(b, 0, 2, "x".repeat(1000));
        assertEquals(CloseBody.MAX_LENGTH, closeLength);
        assertTrue(close.wrap(b, 0, closeLength));
        assertEquals(255, close.text().length());
    }

    @Test
    void randomBytesNeverThrow()
    {
        final Random random = new Random(42);
        final byte[] bytes = new byte[2048];
        final Recorder r = new Recorder();
        for (int i = 0; i < 2000; i++)
        {
            random.nextBytes(bytes);
            if (i % 2 == 0)
            {
                new UnsafeBuffer(bytes).putInt(0, FrameHeader.MAGIC, ByteOrder.BIG_ENDIAN);
                bytes[4] = 1;
            }
            final UnsafeBuffer b = new UnsafeBuffer(bytes);
            final int length = random.nextInt(bytes.length);
            new StreamFrameDecoder().onBytes(b, 0, length, r);
            new DatagramFrameDecoder().onDatagram(b, 0, length, r);
        }
    }

    @Test
    void verificationPatternCountsCorruptedBytes()
    {
        final VerificationPattern pattern = new VerificationPattern();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100_000]);
        final long k = 12_345;
        final int seed = 77;
        int done = 0;
        while (done < payload.capacity())
        {
            final int chunk = Math.min(VerificationPattern.MAX_CHUNK, payload.capacity() - done);
            payload.putBytes(done, pattern.buffer(), VerificationPattern.offsetFor(k + done, seed), chunk);
            done += chunk;
        }
        assertEquals(0, pattern.countErrors(payload, 0, 100_000, k, seed));
        assertEquals(0, pattern.countErrors(payload, 10, 99_990, k + 10, seed));
        payload.putByte(5, (byte)(payload.getByte(5) + 1));
        payload.putByte(99_999, (byte)(payload.getByte(99_999) + 1));
        assertEquals(2, pattern.countErrors(payload, 0, 100_000, k, seed));
        assertTrue(pattern.countErrors(payload, 0, 1000, k + 1, seed) > 900, "shifted stream is caught");
    }
}
