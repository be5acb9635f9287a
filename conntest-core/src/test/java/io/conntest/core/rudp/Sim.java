package io.conntest.core.rudp;

import io.conntest.stack.testing.ManualClock;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Two channels joined by two {@link SimulatedLink}s on a {@link ManualClock}, stepped event by event. Each side can
 * stream {@link Pattern} messages to the other; receivers check order and content. Allocation-free once built.
 */
final class Sim
{
    final ManualClock clock = new ManualClock(1_000_000_000L);
    final ReliableUdpChannel client;
    final ReliableUdpChannel server;
    final SimulatedLink clientToServer;
    final SimulatedLink serverToClient;
    final Stream clientStream = new Stream();
    final Stream serverStream = new Stream();
    long steps;

    Sim(final ReliableUdpConfig config, final long seed, final int linkCapacity)
    {
        this(config, seed, linkCapacity, 0, 0);
    }

    /** With sequence numbers and stream offsets starting elsewhere than 0 in both directions (wrap-around tests). */
    Sim(final ReliableUdpConfig config, final long seed, final int linkCapacity, final long initialSeq,
        final long initialOffset)
    {
        client = new ReliableUdpChannel(config, Role.CLIENT, clock.nowNs(), initialSeq, initialOffset);
        server = new ReliableUdpChannel(config, Role.SERVER, clock.nowNs(), initialSeq, initialOffset);
        clientToServer = new SimulatedLink(clock, seed, linkCapacity, RudpHeader.MAX_DATAGRAM);
        serverToClient = new SimulatedLink(clock, seed * 31 + 7, linkCapacity, RudpHeader.MAX_DATAGRAM);
    }

    /** Messages a side sends, and what the other side has received and verified of them. */
    static final class Stream implements MessageHandler
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[RudpHeader.MAX_DATAGRAM]);
        int maxLength = ReliableUdpChannel.maxMessageLength();
        /** When &gt; 0: every message has this length and carries only its index (fast, for throughput). */
        int fixedLength;
        long toSend;
        long offered;
        long received;
        long receivedBytes;
        long errors;
        long firstErrorIndex = -1;

        void produce(final ReliableUdpChannel channel, final long nowNs)
        {
            while (offered < toSend)
            {
                if (fixedLength > 0)
                {
                    if (!channel.canOffer(fixedLength))
                    {
                        return;
                    }
                    out.putLong(0, offered);
                    channel.offer(out, 0, fixedLength, nowNs);
                    offered++;
                    continue;
                }
                final int length = Pattern.length(offered, maxLength);
                if (!channel.canOffer(length))
                {
                    return;
                }
                Pattern.fill(out, offered, length);
                if (!channel.offer(out, 0, length, nowNs))
                {
                    throw new AssertionError("canOffer said yes, offer said no");
                }
                offered++;
            }
        }

        @Override
        public void onMessage(final DirectBuffer buf, final int offset, final int length)
        {
            if (fixedLength > 0 ? length != fixedLength || buf.getLong(offset) != received :
                Pattern.check(buf, offset, length, received, maxLength) != -1)
            {
                if (firstErrorIndex < 0)
                {
                    firstErrorIndex = received;
                }
                errors++;
            }
            received++;
            receivedBytes += length;
        }

        boolean done()
        {
            return received == toSend;
        }
    }

    /** One event step: produce, poll both sides, deliver what is due, then move the clock to the next event. */
    void step()
    {
        step(Long.MAX_VALUE);
    }

    /** As {@link #step()}, never moving the clock past {@code limitNs}. */
    void step(final long limitNs)
    {
        steps++;
        final long now = clock.nowNs();
        clientStream.produce(client, now);
        serverStream.produce(server, now);
        client.poll(now, clientToServer);
        server.poll(now, serverToClient);
        clientToServer.deliverDue(server, clientStream);
        serverToClient.deliverDue(client, serverStream);
        clientStream.produce(client, now);
        serverStream.produce(server, now);
        client.poll(now, clientToServer);
        server.poll(now, serverToClient);
        long next = Math.min(Math.min(client.pollAtNs(), server.pollAtNs()),
            Math.min(clientToServer.nextDeliveryNs(), serverToClient.nextDeliveryNs()));
        if (next <= now)
        {
            next = now + 1_000L; // something wants the sink again (a full link): let time pass
        }
        clock.setNs(Math.max(now + 1, Math.min(limitNs, Math.min(next, now + 100_000_000L))));
    }

    /** Steps until both streams are complete and everything is acknowledged, or the simulated deadline. */
    boolean runTransfer(final long maxSimNs)
    {
        final long deadline = clock.nowNs() + maxSimNs;
        while (clock.nowNs() < deadline)
        {
            if (clientStream.done() && serverStream.done() && client.isSendIdle() && server.isSendIdle())
            {
                return true;
            }
            step();
        }
        return false;
    }

    void runFor(final long simNs)
    {
        final long deadline = clock.nowNs() + simNs;
        while (clock.nowNs() < deadline)
        {
            step(deadline);
        }
    }
}
