package io.conntest.core.natprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.core.protocol.FrameHeader;

/** The NAT probe's wire format and the responder's rules: round trip, malformed input, bounds, rate. */
class NatProbeTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[NatProbe.MAX_SIZE_REQUEST_LENGTH + 8]);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);

    @Test
    void aRequestAndItsAnswerRoundTrip()
    {
        assertEquals(NatProbe.DELAYED_REQUEST_LENGTH, NatProbe.writeRequest(buffer, 4, NatProbe.KIND_DELAYED,
            0x1122334455667788L, 180_000));
        assertTrue(NatProbe.isProbe(buffer, 4, NatProbe.LENGTH));
        assertEquals(NatProbe.REQUEST, NatProbe.check(buffer, 4, NatProbe.DELAYED_REQUEST_LENGTH));
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 4, NatProbe.LENGTH), "a delayed request too short for"
            + " its two answers");
        assertEquals(NatProbe.LENGTH, NatProbe.writeAnswer(buffer, 4, out, 0, false, 0xC0A80702, 65_535, 41_000,
            true));
        assertEquals(NatProbe.ANSWER, NatProbe.check(out, 0, NatProbe.LENGTH));
        assertEquals(NatProbe.KIND_DELAYED | NatProbe.ANSWER_BIT, NatProbe.kind(out, 0));
        assertEquals(0x1122334455667788L, NatProbe.token(out, 0));
        assertEquals(180_000, NatProbe.delayMs(out, 0));
        assertEquals(0xC0A80702, NatProbe.seenAddr(out, 0));
        assertEquals(65_535, NatProbe.seenPort(out, 0));
        assertEquals(41_000, NatProbe.alternatePort(out, 0));
        assertTrue(NatProbe.fromAlternate(out, 0));
    }

    @Test
    void theMagicIsNeitherAFrameNorReliableUdp()
    {
        buffer.putInt(0, FrameHeader.MAGIC, ByteOrder.BIG_ENDIAN);
        assertFalse(NatProbe.isProbe(buffer, 0, 32));
        buffer.putShort(0, (short)0x5255, ByteOrder.BIG_ENDIAN); // "RU"
        assertFalse(NatProbe.isProbe(buffer, 0, 32));
        assertFalse(NatProbe.isProbe(buffer, 0, 3));
    }

    @Test
    void malformedProbesAreRecognisedAsSuch()
    {
        final int[][] cases = {{NatProbe.VERSION_OFFSET, 2}, {NatProbe.KIND_OFFSET, 0}, {NatProbe.KIND_OFFSET, 5},
            {NatProbe.KIND_OFFSET, 0x7F}, {NatProbe.RESERVED_OFFSET + 3, 1}, {NatProbe.SEEN_ADDR_OFFSET, 1},
            {NatProbe.ALT_PORT_OFFSET + 1, 1}, {NatProbe.FLAGS_OFFSET + 1, 1}};
        for (final int[] c : cases)
        {
            NatProbe.writeRequest(buffer, 0, NatProbe.KIND_MAPPING, 1, 0);
            buffer.putByte(c[0], (byte)c[1]);
            assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, NatProbe.LENGTH), "byte " + c[0]);
        }
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_MAPPING, 1, 5);
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, NatProbe.LENGTH), "a delay on a mapping request");
        final int delayed = NatProbe.DELAYED_REQUEST_LENGTH;
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_DELAYED, 1, 0);
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, delayed), "no delay");
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_DELAYED, 1, NatProbe.MAX_DELAY_MS + 1);
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, delayed), "over the bound");
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_DELAYED, 1, -1);
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, delayed), "2^32 - 1 ms");
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_DELAYED, 1, NatProbe.MAX_DELAY_MS);
        assertEquals(NatProbe.REQUEST, NatProbe.check(buffer, 0, delayed), "the bound itself");
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_MAPPING, 1, 0);
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, NatProbe.LENGTH - 1), "short");
        assertEquals(NatProbe.REQUEST, NatProbe.check(buffer, 0, NatProbe.MAX_REQUEST_LENGTH), "padded");
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, NatProbe.MAX_REQUEST_LENGTH + 1), "too long");
    }

    @Test
    void aSizeProbeMayBeAsLongAsAJumboPacketAndIsAnsweredWithWhatArrived()
    {
        NatProbe.writeSizeRequest(buffer, 0, 77, NatProbe.MAX_SIZE_REQUEST_LENGTH);
        assertEquals(NatProbe.REQUEST, NatProbe.check(buffer, 0, NatProbe.MAX_SIZE_REQUEST_LENGTH));
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, NatProbe.MAX_SIZE_REQUEST_LENGTH + 1), "too long");
        assertThrows(IllegalArgumentException.class, () -> NatProbe.writeSizeRequest(buffer, 0, 77, 31));
        final List<int[]> sent = new ArrayList<>();
        final UnsafeBuffer[] answer = new UnsafeBuffer[1];
        final NatResponder responder = new NatResponder(new NatResponder.Io()
        {
            @Override
            public boolean sendFromMain(final int dstAddr, final int dstPort, final DirectBuffer b, final int offset,
                final int length)
            {
                final byte[] copy = new byte[length];
                b.getBytes(offset, copy);
                answer[0] = new UnsafeBuffer(copy);
                sent.add(new int[] {length});
                return true;
            }

            @Override
            public boolean sendFromAlternate(final int dstAddr, final int dstPort, final DirectBuffer b,
                final int offset, final int length)
            {
                throw new AssertionError("a size probe is answered from the port it came to");
            }

            @Override
            public int alternatePort()
            {
                return 41_000;
            }
        });
        NatProbe.writeSizeRequest(buffer, 0, 78, 1472);
        responder.onProbe(0x0A000001, 5000, buffer, 0, 1472, false, 0);
        assertEquals(1, sent.size());
        assertEquals(NatProbe.LENGTH, sent.get(0)[0], "the answer is small whatever the probe's size");
        assertEquals(NatProbe.ANSWER, NatProbe.check(answer[0], 0, NatProbe.LENGTH));
        assertEquals(NatProbe.KIND_SIZE | NatProbe.ANSWER_BIT, NatProbe.kind(answer[0], 0));
        assertEquals(1472, NatProbe.receivedLength(answer[0], 0));
        assertEquals(78, NatProbe.token(answer[0], 0));
        // any other kind stays bounded by the short limit
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_MAPPING, 1, 0);
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, 1472));
    }

    @Test
    void randomBytesWithTheMagicNeverThrowAndAreCounted()
    {
        final List<int[]> sent = new ArrayList<>();
        final NatResponder responder = new NatResponder(io(sent, 41_000));
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++)
        {
            final int length = random.nextInt(NatProbe.MAX_REQUEST_LENGTH + 8);
            for (int b = 0; b < length; b++)
            {
                buffer.putByte(b, (byte)random.nextInt(256));
            }
            if (length >= 4)
            {
                buffer.putInt(0, NatProbe.MAGIC, ByteOrder.BIG_ENDIAN);
            }
            responder.onProbe(1, 2, buffer, 0, length, false, i * 1_000_000_000L);
        }
        assertEquals(10_000, responder.malformed());
        assertEquals(0, sent.size());
    }

    @Test
    void theResponderAnswersEachKindFromTheRightPortNoLargerThanTheRequest()
    {
        final List<int[]> sent = new ArrayList<>();
        final NatResponder responder = new NatResponder(io(sent, 41_000));
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_MAPPING, 9, 0);
        responder.onProbe(0x0A090001, 40_000, buffer, 0, NatProbe.LENGTH, false, 0);
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_MAPPING, 9, 0);
        responder.onProbe(0x0A090001, 40_000, buffer, 0, NatProbe.LENGTH, true, 0);
        NatProbe.writeRequest(buffer, 0, NatProbe.KIND_FROM_ALTERNATE, 9, 0);
        responder.onProbe(0x0A090001, 40_001, buffer, 0, NatProbe.LENGTH, false, 0);
        final int length = NatProbe.writeRequest(buffer, 0, NatProbe.KIND_DELAYED, 9, 2_000);
        responder.onProbe(0x0A090001, 40_002, buffer, 0, length, false, 0);
        responder.onProbe(0x0A090001, 40_002, buffer, 0, length, false, 0); // the prober's second copy
        assertEquals(3, sent.size());
        assertEquals(1, responder.pending());
        assertEquals(2_000_000_000L, responder.pollAtNs());
        assertEquals(0, responder.poll(1_999_999_999L));
        assertEquals(1, responder.poll(2_000_000_000L));
        assertEquals(2_000_000_000L + NatResponder.COPY_GAP_NS, responder.pollAtNs(), "the second answer");
        assertEquals(1, responder.poll(2_000_000_000L + NatResponder.COPY_GAP_NS));
        assertEquals(Long.MAX_VALUE, responder.pollAtNs());
        // {from alternate, dst port, length}: the delayed request's two answers together are its size
        assertEquals(List.of("0/40000/32", "1/40000/32", "1/40001/32", "0/40002/32", "0/40002/32"),
            sent.stream().map(s -> s[0] + "/" + s[1] + "/" + s[2]).toList());
        // an answer is never answered (two responders cannot play ping-pong)
        NatProbe.writeAnswer(buffer, 0, out, 0, false, 1, 2, 3, false);
        responder.onProbe(1, 2, out, 0, NatProbe.LENGTH, false, 3_000_000_000L);
        assertEquals(5, sent.size());
        assertEquals(1, responder.malformed());
    }

    @Test
    void delayedAnswersAreBoundedAndExtrasAreAnsweredBusy()
    {
        final List<int[]> sent = new ArrayList<>();
        final NatResponder responder = new NatResponder(io(sent, 41_000));
        long now = 0;
        for (int i = 0; i < NatResponder.MAX_PENDING + 5; i++)
        {
            now += 20_000_000L; // under the rate bound
            final int length = NatProbe.writeRequest(buffer, 0, NatProbe.KIND_DELAYED, i, NatProbe.MAX_DELAY_MS);
            responder.onProbe(7, 1_000 + i, buffer, 0, length, false, now);
        }
        assertEquals(NatResponder.MAX_PENDING, responder.pending());
        assertEquals(5, responder.busy());
        assertEquals(5, sent.size(), "the extras are told at once");
        responder.poll(now + NatProbe.MAX_DELAY_MS * 1_000_000L);
        assertEquals(NatResponder.MAX_PENDING + 5, sent.size());
        responder.poll(now + NatProbe.MAX_DELAY_MS * 1_000_000L + NatResponder.COPY_GAP_NS);
        assertEquals(0, responder.pending());
        assertEquals(2 * NatResponder.MAX_PENDING + 5, sent.size());
    }

    @Test
    void aFloodIsAnsweredWithinTheRateBound()
    {
        final List<int[]> sent = new ArrayList<>();
        final NatResponder responder = new NatResponder(io(sent, 41_000));
        // 10,000 requests over two seconds: at most the burst plus 100 a second get an answer
        for (int i = 0; i < 10_000; i++)
        {
            NatProbe.writeRequest(buffer, 0, NatProbe.KIND_MAPPING, i, 0);
            responder.onProbe(7, 1_000, buffer, 0, NatProbe.LENGTH, false, i * 200_000L);
        }
        assertTrue(sent.size() <= NatResponder.BURST + 2 * NatResponder.ANSWERS_PER_SECOND, "" + sent.size());
        assertTrue(sent.size() >= NatResponder.BURST + NatResponder.ANSWERS_PER_SECOND, "" + sent.size());
        assertEquals(10_000 - sent.size(), responder.rateLimited());
    }

    private static NatResponder.Io io(final List<int[]> sent, final int alternatePort)
    {
        return new NatResponder.Io()
        {
            @Override
            public boolean sendFromMain(final int dstAddr, final int dstPort, final DirectBuffer b, final int o,
                final int length)
            {
                sent.add(new int[] {0, dstPort, length});
                return true;
            }

            @Override
            public boolean sendFromAlternate(final int dstAddr, final int dstPort, final DirectBuffer b, final int o,
                final int length)
            {
                sent.add(new int[] {1, dstPort, length});
                return true;
            }

            @Override
            public int alternatePort()
            {
                return alternatePort;
            }
        };
    }

    @Test
    void anArrivalsRequestIsBoundedAndNeverSmallerThanItsAnswer()
    {
        final int length = NatProbe.writeArrivalsRequest(buffer, 0, 9, 6, 65_280, 256);
        assertEquals(NatProbe.LENGTH + 32, length);
        assertEquals(NatProbe.REQUEST, NatProbe.check(buffer, 0, length));
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, length - 1), "smaller than its answer");
        assertThrows(IllegalArgumentException.class, () -> NatProbe.writeArrivalsRequest(buffer, 0, 9, 6, 65_281, 256),
            "past port 65535");
        NatProbe.writeArrivalsRequest(buffer, 0, 9, 6, 80, 1);
        buffer.putByte(16, (byte)1); // protocol ICMP
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, NatProbe.LENGTH + 1));
        NatProbe.writeArrivalsRequest(buffer, 0, 9, 17, 80, 1);
        buffer.putShort(18, (short)0); // first port 0
        assertEquals(NatProbe.MALFORMED, NatProbe.check(buffer, 0, NatProbe.LENGTH + 1));
    }
}
