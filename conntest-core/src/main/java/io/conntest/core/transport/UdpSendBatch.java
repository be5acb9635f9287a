package io.conntest.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The datagrams one reliable-UDP connection sends in one turn of its transport, gathered and handed over in one
 * segmented send ({@link ReliableUdpConnection#sendGathered}: {@code UDP_SEGMENT} on a kernel socket, a USO
 * super-datagram on the userspace stack) instead of one call each. A segmented send carries datagrams of one size,
 * only the last may be shorter: a datagram of another size, another connection's datagram, or a full batch
 * ({@code maxSegments}, 64 KB) sends what is gathered first. The owner sends the rest when its turn ends
 * ({@link #flush}).
 *
 * <p>When the socket would block, the gathered datagrams stay here and the new one is refused, as a plain socket
 * refuses it: the reliable channel keeps its datagrams and tries again on its next poll, which first retries this
 * batch. Nothing is dropped for want of room. One batch per transport (single-threaded): 64 KB of direct memory;
 * so while one connection's socket refuses, the transport's other connections wait for it too (rare: a UDP socket
 * refuses only while its send buffer, 4 MB here, is full).
 */
public final class UdpSendBatch
{
    /** Datagrams per segmented send at most: Linux's {@code UDP_MAX_SEGMENTS} (4.18 to 6.x). */
    public static final int MAX_SEGMENTS = 64;

    /**
     * A UDP datagram over IPv4 carries at most 65,507 bytes, and a segmented send counts all of its datagrams
     * towards that one limit; the largest reliable-UDP datagram fits alone.
     */
    static final int MAX_BYTES = 65_507;

    /** Linux's EINVAL and EMSGSIZE: what a segmented send of datagrams longer than the route's MTU gets. */
    private static final int EINVAL = 22;
    private static final int EMSGSIZE = 90;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_BYTES));
    private final int maxSegments;
    private ReliableUdpConnection owner;
    private int segmentSize;
    private int count;
    private int length;
    /**
     * Datagrams this long or longer go alone: the kernel refused a segmented send of them (EINVAL or EMSGSIZE: a
     * segment plus headers must fit the route's MTU, so datagrams that need IP fragmentation cannot be segmented).
     */
    private int unsegmentableFrom = Integer.MAX_VALUE;
    /** System calls made and datagrams they carried: the figures of how much the batching saves. */
    private long sendCalls;
    private long datagramsSent;

    public UdpSendBatch(final int maxSegments)
    {
        this.maxSegments = Math.max(1, maxSegments);
    }

    /**
     * Adds one datagram of {@code from} (for its peer).
     *
     * @return false when it cannot be taken now (the socket would block; the caller keeps it and retries later).
     */
    public boolean add(final ReliableUdpConnection from, final DirectBuffer src, final int offset,
        final int datagramLength)
    {
        if (count > 0 && (from != owner || datagramLength > segmentSize || count == maxSegments
            || length + datagramLength > MAX_BYTES || datagramLength >= unsegmentableFrom))
        {
            if (!flush())
            {
                return false;
            }
        }
        if (count == 0)
        {
            owner = from;
            segmentSize = datagramLength;
        }
        buffer.putBytes(length, src, offset, datagramLength);
        length += datagramLength;
        count++;
        if (datagramLength < segmentSize || datagramLength >= unsegmentableFrom)
        {
            flush(); // a shorter datagram can only be the last of a segmented send; if it would block it waits here
        }
        return true;
    }

    /** Sends what {@code from} gathered; false when its socket would block (the datagrams stay here). */
    public boolean flush(final ReliableUdpConnection from)
    {
        return owner != from || flush();
    }

    /** Sends what is gathered; false when the socket would block (the datagrams stay here). */
    public boolean flush()
    {
        if (count == 0)
        {
            return true;
        }
        long n = owner.sendGathered(buffer, 0, length, segmentSize);
        if (n == 0)
        {
            return false;
        }
        if ((n == -EINVAL || n == -EMSGSIZE) && count > 1)
        {
            unsegmentableFrom = Math.min(unsegmentableFrom, segmentSize);
            n = sendOneByOne();
        }
        else
        {
            sendCalls++;
            if (n > 0)
            {
                datagramsSent += count;
            }
        }
        final ReliableUdpConnection from = owner;
        clear();
        if (n < 0)
        {
            // The datagrams are lost, as if the network had dropped them (the channel retransmits); the socket's
            // error is the connection's.
            final IOException ex = new IOException(from.describeErrno((int)-n));
            from.failLater(ErrorClassifier.classify(ex), ErrorClassifier.describe(ex));
        }
        return true;
    }

    /**
     * Sends the gathered datagrams one per call, after the kernel refused to segment them; a socket that fills on
     * the way drops the rest (the channel retransmits them as lost). Returns 1, or {@code -errno} of a failed call.
     */
    private long sendOneByOne()
    {
        for (int at = 0; at < length; at += segmentSize)
        {
            final int size = Math.min(segmentSize, length - at);
            final long n = owner.sendGathered(buffer, at, size, size);
            if (n < 0)
            {
                return n;
            }
            if (n == 0)
            {
                break;
            }
            sendCalls++;
            datagramsSent++;
        }
        return 1;
    }

    /** Segmented sends made (one per call to the socket or device). */
    public long sendCalls()
    {
        return sendCalls;
    }

    /** The datagrams they carried. */
    public long datagramsSent()
    {
        return datagramsSent;
    }

    /** Forgets what {@code from} gathered (it is released). */
    public void discard(final ReliableUdpConnection from)
    {
        if (owner == from)
        {
            clear();
        }
    }

    private void clear()
    {
        owner = null;
        count = 0;
        length = 0;
    }
}
