package io.conntest.stack.phy;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Two {@link FrameDevice}s joined by a cable in memory, for tests and simulations: what one commits, the other
 * receives, in order. Each direction is a bounded queue of fixed-size slots in one pre-allocated direct buffer;
 * when it is full, {@link FrameDevice#claim(int)} returns null (backpressure), as a full TAP queue would.
 *
 * <p>Offloads ({@link LinkOffload}): the pair can be a plain link, a link between two offloading devices that
 * carries super-frames whole with their metadata (as a bridge between two TAPs does), or a device that offloads and a
 * wire behind it: super-frames are cut and checksums completed in software ({@link SoftwareOffload}) and the peer
 * receives plain frames whose checksums it verifies. Frames are then copied once more, from a claim frame into the
 * queue.
 *
 * <p>Single-threaded: both ends must be used from the same thread (a simulation steps both stacks in turn).
 */
public final class InMemoryDevicePair
{
    /** Default slot size: a 1500-byte MTU frame plus the Ethernet header, rounded up. */
    public static final int DEFAULT_SLOT_SIZE = 1536;
    public static final int DEFAULT_CAPACITY = 1024;

    /** What the link does with offloads. */
    public enum LinkOffload
    {
        /** Plain devices: no offload reported, plain frames only. */
        NONE,
        /**
         * Both ends report CSUM, TSO4 and USO4; super-frames and partial checksums reach the peer as sent, with their
         * metadata (a slot then holds a whole super-frame: keep the capacity small).
         */
        SUPER_FRAMES,
        /**
         * Both ends report CSUM, TSO4 and USO4; what is sent is segmented and checksummed in software, the peer receives
         * plain MTU-sized frames.
         */
        SEGMENTED
    }

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
        this(mtu, capacity, LinkOffload.NONE);
    }

    /**
     * @param mtu      the L3 MTU both ends report.
     * @param capacity frames each direction holds before backpressure.
     * @param offload  what the devices do with offloads.
     */
    public InMemoryDevicePair(final int mtu, final int capacity, final LinkOffload offload)
    {
        final int slot = offload == LinkOffload.SUPER_FRAMES ? FrameMetadata.MAX_SUPER_FRAME + 1 : mtu + 14;
        final Queue aToB = new Queue(slot, capacity);
        final Queue bToA = new Queue(slot, capacity);
        a = new End(mtu, bToA, aToB, offload);
        b = new End(mtu, aToB, bToA, offload);
    }

    /** Frames dropped on the way, each direction summed: a full queue in the middle of a segmented super-frame. */
    public long droppedFrames()
    {
        return a.dropped + b.dropped;
    }

    /** Super-frames committed to either end (0 on a plain link). */
    public long superFramesSent()
    {
        return a.superFrames + b.superFrames;
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
        /** Per slot: FrameMetadata fields (flags, gsoType, headerLength, gsoSize, csumStart, csumOffset). */
        final int[] metadata;
        long head;
        long tail;

        Queue(final int slotSize, final int capacity)
        {
            this.slotSize = slotSize;
            this.capacity = capacity;
            this.slots = new UnsafeBuffer(ByteBuffer.allocateDirect(slotSize * capacity));
            this.lengths = new int[capacity];
            this.metadata = new int[capacity * 6];
        }

        int free()
        {
            return capacity - (int)(tail - head);
        }

        void push(final DirectBuffer buffer, final int offset, final int length, final FrameMetadata m)
        {
            final int i = (int)(tail % capacity);
            slots.putBytes(slotOffset(tail), buffer, offset, length);
            lengths[i] = length;
            final int at = i * 6;
            metadata[at] = m.flags();
            metadata[at + 1] = m.gsoType();
            metadata[at + 2] = m.headerLength();
            metadata[at + 3] = m.gsoSize();
            metadata[at + 4] = m.csumStart();
            metadata[at + 5] = m.csumOffset();
            tail++;
        }

        void metadataOf(final long index, final FrameMetadata m)
        {
            final int at = (int)(index % capacity) * 6;
            m.set(metadata[at], metadata[at + 1], metadata[at + 2], metadata[at + 3], metadata[at + 4],
                metadata[at + 5]);
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

    private static final class End implements FrameDevice, SoftwareOffload.Sink
    {
        private final int mtu;
        private final Queue rx;
        private final Queue tx;
        private final LinkOffload offload;
        private final UnsafeBuffer claimView = new UnsafeBuffer(0, 0);
        /** Offload modes: the frame being claimed, copied into the queue on commit. */
        private final UnsafeBuffer claimFrame;
        private final SoftwareOffload software;
        private final FrameMetadata rxMetadata = new FrameMetadata();
        private final FrameMetadata plain = new FrameMetadata();
        private boolean claimOpen;
        private boolean closed;
        long dropped;
        long superFrames;

        End(final int mtu, final Queue rx, final Queue tx, final LinkOffload offload)
        {
            this.mtu = mtu;
            this.rx = rx;
            this.tx = tx;
            this.offload = offload;
            this.claimFrame = offload == LinkOffload.NONE ? null :
                new UnsafeBuffer(ByteBuffer.allocateDirect(FrameMetadata.MAX_SUPER_FRAME + 1));
            this.software = offload == LinkOffload.SEGMENTED ? new SoftwareOffload(mtu + 14) : null;
        }

        @Override
        public int offloads()
        {
            return offload == LinkOffload.NONE ? Offloads.NONE : Offloads.CSUM | Offloads.TSO4 | Offloads.USO4;
        }

        @Override
        public void onSegment(final DirectBuffer buffer, final int offset, final int length)
        {
            if (tx.full() || length > tx.slotSize)
            {
                dropped++;
                return;
            }
            tx.push(buffer, offset, length, plain);
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
                rx.metadataOf(index, rxMetadata);
                handler.onFrame(rx.slots, rx.slotOffset(index), rx.lengths[(int)(index % rx.capacity)], rxMetadata);
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
            if (offload != LinkOffload.NONE)
            {
                if (maxLength > claimFrame.capacity())
                {
                    throw new IllegalArgumentException("frame of " + maxLength + " bytes exceeds " +
                        claimFrame.capacity());
                }
                // Room for the segments of a super-frame cut at the smallest MSS a 1500-byte link uses.
                final int needed = offload == LinkOffload.SEGMENTED ? maxLength / Math.max(1, mtu - 80) + 1 : 1;
                if (tx.free() < needed)
                {
                    return null;
                }
                claimOpen = true;
                return claimFrame;
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
            if (offload != LinkOffload.NONE)
            {
                commit(length, plain);
                return;
            }
            if (length < 0 || length > tx.slotSize)
            {
                throw new IllegalArgumentException("bad frame length " + length);
            }
            tx.lengths[(int)(tx.tail % tx.capacity)] = length;
            tx.metadata[(int)(tx.tail % tx.capacity) * 6] = 0;
            tx.metadata[(int)(tx.tail % tx.capacity) * 6 + 1] = 0;
            tx.tail++;
            claimOpen = false;
        }

        @Override
        public void commit(final int length, final FrameMetadata metadata)
        {
            if (offload == LinkOffload.NONE)
            {
                FrameDevice.super.commit(length, metadata);
                return;
            }
            if (!claimOpen)
            {
                throw new IllegalStateException("no open claim");
            }
            claimOpen = false;
            if (length < 0 || length > claimFrame.capacity())
            {
                throw new IllegalArgumentException("bad frame length " + length);
            }
            if (metadata.isSuperFrame())
            {
                superFrames++;
            }
            if (offload == LinkOffload.SUPER_FRAMES)
            {
                if (tx.full() || length > tx.slotSize)
                {
                    dropped++;
                    return;
                }
                tx.push(claimFrame, 0, length, metadata);
                return;
            }
            if (software.resolve(claimFrame, 0, length, metadata, this) < 0)
            {
                dropped++;
            }
        }

        /** Offload modes gather as a TAP does, by copying the tail behind the claimed head (tests the senders' path). */
        @Override
        public boolean gathers()
        {
            return offload != LinkOffload.NONE;
        }

        @Override
        public void commitGather(final int headLength, final FrameMetadata metadata, final DirectBuffer tail,
            final int offset1, final int length1, final int offset2, final int length2)
        {
            if (offload == LinkOffload.NONE)
            {
                FrameDevice.super.commitGather(headLength, metadata, tail, offset1, length1, offset2, length2);
                return;
            }
            if (!claimOpen)
            {
                throw new IllegalStateException("no open claim");
            }
            final int length = headLength + length1 + length2;
            if (headLength < 0 || length1 < 0 || length2 < 0 || length > claimFrame.capacity())
            {
                claimOpen = false;
                throw new IllegalArgumentException("bad gathered frame " + headLength + "+" + length1 + "+" + length2);
            }
            claimFrame.putBytes(headLength, tail, offset1, length1);
            claimFrame.putBytes(headLength + length1, tail, offset2, length2);
            commit(length, metadata);
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
