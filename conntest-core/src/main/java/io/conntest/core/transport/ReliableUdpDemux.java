package io.conntest.core.transport;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.rudp.ReliableUdpChannel;

/**
 * The one demultiplexer behind every reliable-UDP listener: datagrams arriving on the listener's one socket go to
 * the {@link ReliableUdpConnection} of their source (address and port, as a {@code long} key the I/O side computes),
 * in this order:
 * <ol>
 * <li>a known source gets its datagram; if that was a new handshake (the peer restarted), the old connection ends
 *     with {@link FailureReason#RESET} and the datagram is taken as a new peer's;</li>
 * <li>anything but a handshake INIT from an unknown source is junk, counted; if it is a reliable-UDP packet of a
 *     client of an earlier instance of this listener, that client gets a stateless CLOSE at once so it reconnects
 *     (never larger than what it answers: no amplification). This comes before the cap, so a full listener still
 *     tells old clients;</li>
 * <li>past {@code maxPeers} connections a new peer is refused (counted); otherwise a well-formed INIT creates one, so
 *     junk from spoofed addresses leaves no state, and the engine's {@link AcceptHandler} gets it.</li>
 * </ol>
 * The I/O side ({@link Io}) makes connections, registers them with its transport and sends the stateless CLOSE to
 * the source being handled. Single-threaded; nothing allocated per datagram except the new peer's state.
 *
 * @param <P> the transport's connection type
 */
public final class ReliableUdpDemux<P extends ReliableUdpConnection>
{
    /** What the demultiplexer needs of the transport, about the datagram being handled. */
    public interface Io<P>
    {
        /** A new server-side connection for the source of the datagram being handled (not yet registered). */
        P newPeer(long key, long nowNs);

        /** Registers an accepted connection with the transport (polled from now on). */
        void register(P peer);

        /** Sends {@code length} bytes to the source of the datagram being handled (best effort). */
        void sendToSource(DirectBuffer buffer, int offset, int length);
    }

    private final Long2ObjectHashMap<P> peers = new Long2ObjectHashMap<>();
    private final UnsafeBuffer closeBuffer = new UnsafeBuffer(new byte[64]);
    private final int maxPeers;
    private final AcceptHandler acceptHandler;
    private final Io<P> io;
    private long junkDatagrams;
    private long refusedPeers;

    public ReliableUdpDemux(final int maxPeers, final AcceptHandler acceptHandler, final Io<P> io)
    {
        this.maxPeers = maxPeers;
        this.acceptHandler = acceptHandler;
        this.io = io;
    }

    /** The connection of a source, or null. */
    public P peer(final long key)
    {
        return peers.get(key);
    }

    /** Handles one datagram from the source {@code key}, with no receive timestamp. */
    public void onDatagram(final long key, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        onDatagram(key, buffer, offset, length, nowNs, ReliableUdpConnection.NO_RECEIVE_TIMESTAMP);
    }

    /**
     * Handles one datagram from the source {@code key}, read from the system at {@code receivedAtNs}
     * ({@link ReliableUdpConnection#NO_RECEIVE_TIMESTAMP} when unknown).
     */
    public void onDatagram(final long key, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final long receivedAtNs)
    {
        final P known = peers.get(key);
        if (known != null)
        {
            known.onDatagram(buffer, offset, length, nowNs, receivedAtNs);
            if (!known.reliable().isPeerRestarted())
            {
                return;
            }
            known.fail(FailureReason.RESET, "peer restarted", nowNs);
            peers.remove(key);
        }
        if (!ReliableUdpChannel.isHandshakeInit(buffer, offset, length))
        {
            junkDatagrams++;
            final int n = ReliableUdpChannel.writeStatelessClose(buffer, offset, length, closeBuffer, 0);
            if (n > 0)
            {
                io.sendToSource(closeBuffer, 0, n);
            }
            return;
        }
        if (peers.size() >= maxPeers)
        {
            refusedPeers++;
            return;
        }
        final P fresh = io.newPeer(key, nowNs);
        if (fresh.onDatagram(buffer, offset, length, nowNs, receivedAtNs) == ReliableUdpChannel.MALFORMED ||
            !fresh.reliable().isOpen())
        {
            junkDatagrams++;
            return;
        }
        peers.put(key, fresh);
        io.register(fresh);
        fresh.markAccepted(null);
        final ConnectionHandler handler = acceptHandler.onAccepted(fresh, nowNs);
        fresh.markAccepted(handler);
        handler.onConnected(fresh, nowNs);
    }

    /** Forgets a connection that released itself (only if it is still the one of its source). */
    public void remove(final long key, final P peer)
    {
        if (peers.get(key) == peer)
        {
            peers.remove(key);
        }
    }

    /** Datagrams from unknown sources that were no handshake, and malformed handshakes. */
    public long junkDatagrams()
    {
        return junkDatagrams;
    }

    /** Handshakes refused because the listener had {@code maxPeers} connections. */
    public long refusedPeers()
    {
        return refusedPeers;
    }

    /** Live connections. */
    public int size()
    {
        return peers.size();
    }
}
