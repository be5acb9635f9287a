package io.conntest.stack.phy;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Two {@link FrameDevice}s joined by a cable in memory, for tests and simulations: what one commits, the other
 * receives, in order. Each direction is a bounded queue of fixed-size slots in one pre-allocated direct buffer;
 * when it is full, {@link FrameDevice#claim(int)} returns null (backpressure), as a full TAP queue would.
 *
 * <p>Single-threaded: both ends must be used from the same thread (a simulation steps both stacks in turn).
 */
public final class InMemoryDevicePair
{
    /** Default slot size: a 1500-byte MTU frame plus the Ethernet header, rounded up. */
    public static final int DEFAULT_SLOT_SIZE = 1536;
    public static final int DEFAULT_CAPACITY = 1024;

    private final End a;
    private final End b;

    public InMemoryDevicePair()
    {
        this(1500, DEFAULT_CAPACITY);
    }

    /**
     * @param mtu      the L3 MTU both ends report; a slot holds {@code mtu + 14} bytes.
     * @param capacity frames each direction holds before backpressure.
     */
    public InMemoryDevicePair(final int mtu, final int capacity)
    {
        final Queue aToB = new Queue(mtu + 14, capacity);
        final Queue bToA = new Queue(mtu + 14, capacity);
        a = new End(mtu, bToA, aToB);
        b = new End(mtu, aToB, bToA);
    }

    public FrameDevice a()
    {
        return a;
    }

    public FrameDevice b()
    {
        return b;
    }

    /** A bounded FIFO of frames in one direct buffer. */
    private static final class Queue
    {
        final int slotSize;
        final int capacity;
        final UnsafeBuffer slots;
        final int[] lengths;
        long head;
        long tail;

        Queue(final int slotSize, final int capacity)
        {
            this.slotSize = slotSize;
            this.capacity = capacity;
            this.slots = new UnsafeBuffer(ByteBuffer.allocateDirect(slotSize * capacity));
            this.lengths = new int[capacity];
        }

        boolean full()
        {
            return tail - head >= capacity;
        }

        int slotOffset(final long index)
        {
            return (int)(index % capacity) * slotSize;
        }
    }

    private static final class End implements FrameDevice
    {
        private final int mtu;
        private final Queue rx;
        private final Queue tx;
        private final UnsafeBuffer claimView = new UnsafeBuffer(0, 0);
        private boolean claimOpen;
        private boolean closed;

        End(final int mtu, final Queue rx, final Queue tx)
        {
            this.mtu = mtu;
            this.rx = rx;
            this.tx = tx;
        }

        @Override
        public int mtu()
        {
            return mtu;
        }

        @Override
        public int receive(final FrameHandler handler, final int maxFrames)
        {
            int count = 0;
            while (count < maxFrames && rx.head < rx.tail)
            {
                final long index = rx.head++;
                handler.onFrame(rx.slots, rx.slotOffset(index), rx.lengths[(int)(index % rx.capacity)]);
                count++;
            }
            return count;
        }

        @Override
        public MutableDirectBuffer claim(final int maxLength)
        {
            if (closed)
            {
                throw new IllegalStateException("device closed");
            }
            if (claimOpen)
            {
                throw new IllegalStateException("a claim is already open");
            }
            if (maxLength > tx.slotSize)
            {
                throw new IllegalArgumentException("frame of " + maxLength + " bytes exceeds slot of " + tx.slotSize);
            }
            if (tx.full())
            {
                return null;
            }
            claimView.wrap(tx.slots, tx.slotOffset(tx.tail), tx.slotSize);
            claimOpen = true;
            return claimView;
        }

        @Override
        public void commit(final int length)
        {
            if (!claimOpen)
            {
                throw new IllegalStateException("no open claim");
            }
            if (length < 0 || length > tx.slotSize)
            {
                throw new IllegalArgumentException("bad frame length " + length);
            }
            tx.lengths[(int)(tx.tail % tx.capacity)] = length;
            tx.tail++;
            claimOpen = false;
        }

        @Override
        public void abort()
        {
            claimOpen = false;
        }

        @Override
        public void awaitReceive(final long timeoutNs)
        {
            // Single-threaded: nothing can arrive while we wait, so waiting would only stall the simulation.
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }
}
