package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.EthernetRepr;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ethernet II header ({@link EthernetFrame}, {@link EthernetRepr}): wrapping arbitrary bytes never throws and
 * accepts exactly the inputs that hold a header; an accepted header emits back to the same bytes and parses to
 * the same repr. Input: {@code [frame bytes][offset 0..7]}.
 */
class EthernetFuzzTest
{
    @FuzzTest(maxDuration = "150s")
    void parseEmitRoundTrip(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = FuzzSupport.exact(bytes, offset);
        final int length = bytes.length;

        final EthernetFrame frame = new EthernetFrame();
        final boolean wrapped = frame.wrapChecked(buffer, offset, length);
        assertEquals(length >= EthernetFrame.HEADER_LENGTH, wrapped, "wrapChecked accepts exactly a full header");
        final EthernetRepr repr = new EthernetRepr();
        if (!wrapped)
        {
            assertFalse(repr.parse(frame), "a view that failed to wrap must not parse");
            return;
        }
        assertEquals(length - EthernetFrame.HEADER_LENGTH, frame.payloadLength());
        assertTrue(repr.parse(frame));

        final UnsafeBuffer out = new UnsafeBuffer(new byte[length]);
        out.putBytes(EthernetFrame.HEADER_LENGTH, buffer, offset + EthernetFrame.HEADER_LENGTH,
            length - EthernetFrame.HEADER_LENGTH);
        final EthernetFrame emitted = new EthernetFrame().wrap(out, 0, length);
        repr.emit(emitted);
        assertArrayEquals(bytes, out.byteArray(), "emit reproduces the header");

        final EthernetRepr again = new EthernetRepr();
        assertTrue(again.parse(emitted));
        assertEquals(repr.source(), again.source());
        assertEquals(repr.destination(), again.destination());
        assertEquals(repr.etherType(), again.etherType());
    }
}
