package io.conntest.core.rudp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that knows the token and sends mutated datagrams (random fields, lengths, SACK blocks, sequence numbers far
 * away): the channel never throws, stays within its bounds, and keeps a sane schedule. Delivery is not asserted: a
 * peer that forges acknowledgements can only break its own stream.
 */
class HostilePeerTest
{
    @Test
    void mutatedDatagramsWithTheRightTokenNeverThrow()
    {
        final Sim sim = new Sim(ReliableUdpConfig.defaults(), 61, 512);
        sim.clientStream.toSend = 2000;
        sim.clientStream.maxLength = 3000;
        sim.serverStream.toSend = 2000;
        sim.serverStream.maxLength = 3000;
        final Capture fromClient = new Capture();
        sim.clientToServer.tap = fromClient;
        final Random random = new Random(62);
        final UnsafeBuffer mutated = new UnsafeBuffer(new byte[RudpHeader.MAX_DATAGRAM + 100]);
        final MessageHandler ignore = (buf, offset, length) -> { };
        for (int round = 0; round < 300; round++)
        {
            sim.step();
            // capture a genuine datagram from the client (so the token is right), mutate it, feed it to the server
            final long now = sim.clock.nowNs();
            for (final UnsafeBuffer genuine : fromClient.datagrams)
            {
                for (int k = 0; k < 5; k++)
                {
                    int length = genuine.capacity();
                    mutated.putBytes(0, genuine, 0, length);
                    final int mutations = 1 + random.nextInt(4);
                    for (int m = 0; m < mutations; m++)
                    {
                        final int field = random.nextInt(6);
                        if (field == 0)
                        {
                            mutated.putInt(RudpHeader.SEQ_OFFSET, random.nextInt());
                        }
                        else if (field == 1)
                        {
                            mutated.putInt(RudpHeader.ACK_OFFSET, random.nextInt(), java.nio.ByteOrder.BIG_ENDIAN);
                        }
                        else if (field == 2)
                        {
                            mutated.putInt(RudpHeader.STREAM_OFFSET_OFFSET, random.nextInt());
                        }
                        else if (field == 3)
                        {
                            // turn it into an ACK with random SACK blocks
                            final int blocks = random.nextInt(5);
                            mutated.putByte(RudpHeader.TYPE_OFFSET, (byte)RudpHeader.TYPE_ACK);
                            mutated.putByte(RudpHeader.SACK_COUNT_OFFSET, (byte)blocks);
                            mutated.putShort(RudpHeader.PAYLOAD_LENGTH_OFFSET, (short)0);
                            for (int b = 0; b < blocks; b++)
                            {
                                final int base =
                                    (int)(sim.client.stats().messagesReceived() + random.nextInt(3000) - 500);
                                mutated.putInt(RudpHeader.LENGTH + 8 * b, base, java.nio.ByteOrder.BIG_ENDIAN);
                                mutated.putInt(RudpHeader.LENGTH + 8 * b + 4, base + random.nextInt(50) - 5,
                                    java.nio.ByteOrder.BIG_ENDIAN);
                            }
                            length = RudpHeader.datagramLength(blocks, 0);
                        }
                        else if (field == 4)
                        {
                            // not CLOSE: keep the fight going
                            mutated.putByte(RudpHeader.TYPE_OFFSET, (byte)(1 + random.nextInt(4)));
                        }
                        else
                        {
                            mutated.putByte(random.nextInt(length), (byte)random.nextInt());
                        }
                    }
                    sim.server.onDatagram(mutated, 0, length, now, ignore);
                    final long at = sim.server.pollAtNs();
                    assertTrue(at == Long.MAX_VALUE || at >= now - 1_000_000_000L, "schedule went backwards");
                }
            }
            fromClient.datagrams.clear();
        }
        assertTrue(sim.server.stats().malformed() > 0);
        System.out.println("hostile peer: " + sim.server.stats());
    }
}
