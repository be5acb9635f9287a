package io.conntest.stack.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Deque;

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link Interface#receivedAtNs()}: with a receive clock, the reading taken as the newest frame of the poll was read
 * from the device (one reading per frame, the last one kept); without one, or when the poll read nothing, the poll's
 * time, so a stack on a manual clock stays deterministic.
 */
class ReceiveTimestampTest
{
    private final RawLink link = new RawLink();

    private void put(final int frames)
    {
        final byte[] datagram = RawLink.udpDatagram(1000, 9, new byte[8]);
        final byte[] frame = RawLink.ipv4Frame(RawLink.ADDR, 17, 1, false, 0, datagram, 0, datagram.length);
        for (int i = 0; i < frames; i++)
        {
            final MutableDirectBuffer slot = link.peer.claim(frame.length);
            slot.putBytes(0, frame);
            link.peer.commit(frame.length);
        }
    }

    @Test
    void withoutAClockFramesCarryThePollsTime()
    {
        put(2);
        link.poll();
        assertEquals(link.clock.nowNs(), link.iface.receivedAtNs());
    }

    @Test
    void withAClockEachFrameIsStampedAndTheNewestIsKept()
    {
        final Deque<Long> readings = new ArrayDeque<>();
        readings.add(5L);
        readings.add(7L);
        readings.add(9L);
        link.iface.receiveClock(readings::removeFirst);
        put(3);
        link.poll();
        assertEquals(9L, link.iface.receivedAtNs());
        assertEquals(0, readings.size(), "one reading per frame");
        link.clock.advanceNs(1_000);
        link.poll();
        assertEquals(link.clock.nowNs(), link.iface.receivedAtNs(), "a poll that read nothing: its own time");
    }
}
