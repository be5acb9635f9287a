package io.conntest.stack.socket;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded datagram ring against a plain queue as the model, over seeded random offers and pops. */
class DatagramQueueTest
{
    private record Datagram(int addr, int port, int length, byte first)
    {
    }

    @Test
    void behavesAsABoundedFifo()
    {
        final Random random = new Random(862);
        final DatagramQueue queue = new DatagramQueue(8192);
        final ArrayDeque<Datagram> model = new ArrayDeque<>();
        final UnsafeBuffer source = new UnsafeBuffer(new byte[3000]);
        long modelUsed = 0;
        int refused = 0;
        for (int op = 0; op < 200_000; op++)
        {
            if (random.nextInt(100) < 55)
            {
                final int length = random.nextInt(random.nextBoolean() ? 100 : 3000);
                final byte first = (byte)random.nextInt(256);
                source.setMemory(0, Math.max(length, 1), first);
                final boolean offered = queue.offer(op, op & 0xFFFF, source, 0, length);
                final long record = (16 + length + 15) & ~15L;
                if (offered)
                {
                    model.add(new Datagram(op, op & 0xFFFF, length, first));
                    modelUsed += record;
                }
                else
                {
                    refused++;
                }
            }
            else if (!model.isEmpty())
            {
                final Datagram expected = model.remove();
                assertEquals(expected.addr(), queue.peekAddress());
                assertEquals(expected.port(), queue.peekPort());
                assertEquals(expected.length(), queue.peekLength());
                for (int i = 0; i < expected.length(); i += 97)
                {
                    assertEquals(expected.first(), queue.buffer().getByte(queue.peekOffset() + i));
                }
                queue.pop();
                modelUsed -= (16 + expected.length() + 15) & ~15L;
            }
            assertEquals(model.size(), queue.count());
            assertEquals(model.stream().mapToLong(Datagram::length).sum(), queue.bytes());
            assertTrue(queue.used() <= queue.capacity());
        }
        assertTrue(refused > 1000, "the bound was reached: " + refused);
        while (!model.isEmpty())
        {
            model.remove();
            queue.pop();
        }
        assertTrue(queue.isEmpty());
        assertThrows(IllegalStateException.class, queue::pop);
        assertTrue(queue.offer(1, 1, new UnsafeBuffer(new byte[8176]), 0, 8192 - 16),
            "an empty queue takes a datagram as big as it is");
    }

    /** IPv4 and IPv6 records mixed (different header sizes) against the model, wrapping round the ring. */
    @Test
    void mixesFamiliesInOrder()
    {
        final Random random = new Random(8200);
        final DatagramQueue queue = new DatagramQueue(4096);
        final ArrayDeque<long[]> model = new ArrayDeque<>();
        final UnsafeBuffer source = new UnsafeBuffer(new byte[1500]);
        for (int op = 0; op < 100_000; op++)
        {
            if (random.nextInt(100) < 55)
            {
                final int length = random.nextInt(1500);
                final boolean six = random.nextBoolean();
                final byte first = (byte)random.nextInt(256);
                source.setMemory(0, Math.max(length, 1), first);
                final long hi = random.nextLong();
                final long lo = random.nextLong();
                final boolean offered = six ? queue.offerIpv6(hi, lo, op & 0xFFFF, 64, 0x20, source, 0, length)
                    : queue.offer(op, op & 0xFFFF, source, 0, length);
                if (offered)
                {
                    model.add(new long[] {six ? 1 : 0, six ? hi : op, lo, op & 0xFFFF, length, first});
                }
            }
            else if (!model.isEmpty())
            {
                final long[] m = model.poll();
                assertEquals(m[0] == 1, queue.peekIpv6());
                if (m[0] == 1)
                {
                    assertEquals(m[1], queue.peekHi());
                    assertEquals(m[2], queue.peekLo());
                    assertEquals(64, queue.peekTtl());
                    assertEquals(0x20, queue.peekTos());
                }
                else
                {
                    assertEquals((int)m[1], queue.peekAddress());
                }
                assertEquals((int)m[3], queue.peekPort());
                assertEquals((int)m[4], queue.peekLength());
                if (m[4] > 0)
                {
                    assertEquals((byte)m[5], queue.buffer().getByte(queue.peekOffset()));
                    assertEquals((byte)m[5], queue.buffer().getByte(queue.peekOffset() + (int)m[4] - 1));
                }
                queue.pop();
            }
            assertEquals(model.size(), queue.count());
        }
    }
}
