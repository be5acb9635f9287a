package io.conntest.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The datagrams one reliable-UDP connection sends in one turn of the {@code kernel} transport, gathered and handed
 * to the kernel with one {@link UdpSegmentation#send} ({@code UDP_SEGMENT}) instead of one system call each. A
 * segmented send carries datagrams of one size, only the last may be shorter: a datagram of another size, another
 * connection's datagram, or a full batch ({@link UdpSegmentation#maxSegments()}, 64 KB) sends what is gathered
 * first. The owner sends the rest when its turn ends ({@link #flush}).
 *
 * <p>When the socket would block, the gathered datagrams stay here and the new one is refused, as a plain socket
 * refuses it: the reliable channel keeps its datagrams and tries again on its next poll, which first retries this
 * batch. Nothing is dropped for want of room. One batch per transport (single-threaded): 64 KB of direct memory.
 */
final class UdpSendBatch
{
    /**
     * A UDP datagram over IPv4 carries at most 65,507 bytes, and a segmented send counts all of its datagrams
     * towards that one limit; the largest reliable-UDP datagram fits alone.
     */
    static final int MAX_BYTES = 65_507;

    /** Linux's EINVAL and EMSGSIZE: what a segmented send of datagrams longer than the route's MTU gets. */
    private static final int EINVAL = 22;
    private static final int EMSGSIZE = 90;

    private final UdpSegmentation segmentation;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_BYTES));
    private final int maxSegments;
    private ReliableUdpConnection owner;
    private int fd;
    private int dstAddress;
    private int dstPort;
    private int segmentSize;
    private int count;
    private int length;
    /**
     * Datagrams this long or longer go alone: the kernel refused a segmented send of them (EINVAL or EMSGSIZE: a
     * segment plus headers must fit the route's MTU, so datagrams that need IP fragmentation cannot be segmented).
     */
    private int unsegmentableFrom = Integer.MAX_VALUE;
    /** System calls made and datagrams they carried: the figures of how much the batching saves. */
    long sendCalls;
    long datagramsSent;

    UdpSendBatch(final UdpSegmentation segmentation)
    {
        this.segmentation = segmentation;
        this.maxSegments = Math.max(1, segmentation.maxSegments());
    }

    /**
     * Adds one datagram of {@code owner} for {@code dstAddress:dstPort} ({@code dstPort < 0}: the connected peer).
     *
     * @return false when it cannot be taken now (the socket would block; the caller keeps it and retries later).
     */
    boolean add(final ReliableUdpConnection from, final int socket, final int address, final int port,
        final DirectBuffer src, final int offset, final int datagramLength)
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
            fd = socket;
            dstAddress = address;
            dstPort = port;
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
    boolean flush(final ReliableUdpConnection from)
    {
        return owner != from || flush();
    }

    /** Sends what is gathered; false when the socket would block (the datagrams stay here). */
    boolean flush()
    {
        if (count == 0)
        {
            return true;
        }
        long n = segmentation.send(fd, buffer.addressOffset(), length, segmentSize, dstAddress, dstPort);
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
            final IOException ex = new IOException(segmentation.describe((int)-n));
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
            final long n = segmentation.send(fd, buffer.addressOffset() + at, size, size, dstAddress, dstPort);
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

    /** Forgets what {@code from} gathered (it is released). */
    void discard(final ReliableUdpConnection from)
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
