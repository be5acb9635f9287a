package io.conntest.stack.phy;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A {@link FrameDevice} decorator that impairs the link in each direction as its {@link FaultConfig} says:
 * seeded drop, duplicate, reorder, corrupt, delay with jitter and a rate limit, with bounded queues. The same
 * seed, config, clock readings and frames give the same result, so simulations are repeatable.
 *
 * <p>Time comes from the {@code clockNs} the owner gives (e.g. {@code System::nanoTime}, or a manual clock
 * in tests). Queued frames leave when the owner calls {@link #receive} (every poll of the interface does) or
 * commits a frame; {@link #awaitReceive(long)} wakes up in time for the next one, and {@link #nextDeadlineNs()}
 * tells an owner that computes its own sleep when that is.
 *
 * <p>Transmit side: {@link #claim(int)} hands out a pre-allocated scratch frame and never returns null unless
 * the inner device is used directly (a direction with {@link FaultConfig#none()} passes through without a
 * copy). A committed frame that does not fit the queue is dropped and counted in {@link FaultCounters#queueDrops()},
 * as a router's tail drop would. When the inner device pushes back, frames wait in the queue.
 *
 * <p>Offloads: the decorator reports the inner device's {@link #offloads()}. A direction without faults passes frames
 * and their {@link FrameMetadata} through untouched (super-frames included). A direction with faults impairs what a
 * wire would carry: super-frames are cut into segments and partial checksums completed first
 * ({@link SoftwareOffload}), so a corrupted bit is caught by the receiver's checksum, and the frames leave plain.
 *
 * <p>Single-threaded, like every device. Nothing is allocated per frame.
 */
public final class FaultInjectingDevice extends ForwardingDevice
{
    /** Extra room in a slot beyond MTU + Ethernet header, for a VLAN tag. */
    private static final int SLOT_EXTRA = 18;

    private final LongSupplier clockNs;
    private final FaultCounters rxCounters = new FaultCounters();
    private final FaultCounters txCounters = new FaultCounters();
    private final FaultPipeline rx;
    private final FaultPipeline tx;
    private final int slotSize;
    private final UnsafeBuffer txScratch;
    private final RxIngest rxIngest = new RxIngest();
    private final RxSink rxSink = new RxSink();
    private final TxSink txSink = new TxSink();
    private final SoftwareOffload rxSoftware;
    private final SoftwareOffload txSoftware;
    private final TxAccept txAccept = new TxAccept();
    private final FrameMetadata plain = new FrameMetadata();
    private boolean claimOpen;
    private boolean closed;

    /**
     * @param inner   the device to decorate; closed with this one.
     * @param rxFaults what happens to frames coming up from {@code inner}.
     * @param txFaults what happens to frames going down to {@code inner}.
     * @param seed    seeds the random decisions of both directions.
     * @param clockNs the current time in nanoseconds, read once per call.
     */
    public FaultInjectingDevice(
        final FrameDevice inner,
        final FaultConfig rxFaults,
        final FaultConfig txFaults,
        final long seed,
        final LongSupplier clockNs)
    {
        super(inner);
        this.clockNs = clockNs;
        this.slotSize = inner.mtu() + SLOT_EXTRA;
        final SplittableRandom root = new SplittableRandom(seed);
        final SplittableRandom rxRandom = root.split();
        final SplittableRandom txRandom = root.split();
        this.rx = rxFaults.isNone() ? null : new FaultPipeline(rxFaults, slotSize, rxRandom, rxCounters);
        this.tx = txFaults.isNone() ? null : new FaultPipeline(txFaults, slotSize, txRandom, txCounters);
        final boolean offloads = inner.offloads() != Offloads.NONE;
        this.txScratch = tx == null ? null :
            new UnsafeBuffer(ByteBuffer.allocateDirect(offloads ? FrameMetadata.MAX_SUPER_FRAME + 1 : slotSize));
        this.rxSoftware = rx != null && offloads ? new SoftwareOffload(slotSize) : null;
        this.txSoftware = tx != null && offloads ? new SoftwareOffload(slotSize) : null;
    }

    /** The same faults in both directions (with independent random decisions). */
    public static FaultInjectingDevice symmetric(
        final FrameDevice inner, final FaultConfig faults, final long seed, final LongSupplier clockNs)
    {
        return new FaultInjectingDevice(inner, faults, faults, seed, clockNs);
    }

    /** What was done to frames received from the inner device. */
    public FaultCounters rxCounters()
    {
        return rxCounters;
    }

    /** What was done to frames sent to the inner device. */
    public FaultCounters txCounters()
    {
        return txCounters;
    }

    /** Frames waiting in the receive and transmit queues together. */
    public int queuedFrames()
    {
        return (rx == null ? 0 : rx.queuedFrames()) + (tx == null ? 0 : tx.queuedFrames());
    }

    /**
     * When a queued frame is next due (possibly already past), {@link Long#MAX_VALUE} when nothing waits. An owner
     * that sleeps by itself rather than in {@link #awaitReceive(long)} wakes up by then and calls
     * {@link #receive}.
     */
    public long nextDeadlineNs()
    {
        final long nowNs = clockNs.getAsLong();
        return Math.min(
            rx == null ? Long.MAX_VALUE : rx.nextDeadlineNs(nowNs),
            tx == null ? Long.MAX_VALUE : tx.nextDeadlineNs(nowNs));
    }

    @Override
    public int receive(final FrameHandler handler, final int maxFrames)
    {
        final long nowNs = clockNs.getAsLong();
        if (tx != null)
        {
            tx.release(nowNs, txSink, Integer.MAX_VALUE);
        }
        if (rx == null)
        {
            final int n = inner.receive(handler, maxFrames);
            rxCounters.framesIn += n;
            rxCounters.framesOut += n;
            return n;
        }
        rxIngest.nowNs = nowNs;
        inner.receive(rxIngest, maxFrames);
        rxSink.handler = handler;
        try
        {
            return rx.release(nowNs, rxSink, maxFrames);
        }
        finally
        {
            rxSink.handler = null;
        }
    }

    @Override
    public MutableDirectBuffer claim(final int maxLength)
    {
        if (closed)
        {
            throw new IllegalStateException("device closed");
        }
        if (tx == null)
        {
            return inner.claim(maxLength);
        }
        if (claimOpen)
        {
            throw new IllegalStateException("a claim is already open");
        }
        if (maxLength > txScratch.capacity())
        {
            throw new IllegalArgumentException("frame of " + maxLength + " bytes exceeds slot of " + slotSize);
        }
        claimOpen = true;
        return txScratch;
    }

    @Override
    public void commit(final int length)
    {
        commit(length, plain);
    }

    @Override
    public void commit(final int length, final FrameMetadata metadata)
    {
        if (tx == null)
        {
            inner.commit(length, metadata);
            txCounters.framesIn++;
            txCounters.framesOut++;
            txCounters.bytesOut += length;
            return;
        }
        if (!claimOpen)
        {
            throw new IllegalStateException("no open claim");
        }
        if (length < 0 || length > txScratch.capacity())
        {
            throw new IllegalArgumentException("bad frame length " + length);
        }
        claimOpen = false;
        final long nowNs = clockNs.getAsLong();
        txAccept.nowNs = nowNs;
        if (metadata.isPlain())
        {
            tx.accept(txScratch, 0, length, nowNs);
        }
        else if (txSoftware == null || txSoftware.resolve(txScratch, 0, length, metadata, txAccept) < 0)
        {
            txCounters.framesIn++;
            txCounters.badOffload++;
        }
        tx.release(nowNs, txSink, Integer.MAX_VALUE);
    }

    @Override
    public void abort()
    {
        if (tx == null)
        {
            inner.abort();
        }
        claimOpen = false;
    }

    @Override
    public void awaitReceive(final long timeoutNs)
    {
        long waitNs = timeoutNs;
        final long deadlineNs = nextDeadlineNs();
        if (deadlineNs != Long.MAX_VALUE)
        {
            waitNs = Math.min(waitNs, deadlineNs - clockNs.getAsLong());
        }
        if (waitNs > 0)
        {
            inner.awaitReceive(waitNs);
        }
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            inner.close();
        }
    }

    /** Copies frames from the inner device into the receive queue, as plain frames a wire carries. */
    private final class RxIngest implements FrameHandler, SoftwareOffload.Sink
    {
        long nowNs;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            rx.accept(buffer, offset, length, nowNs);
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length,
            final FrameMetadata metadata)
        {
            if (metadata.isPlain())
            {
                rx.accept(buffer, offset, length, nowNs);
            }
            else if (rxSoftware == null || rxSoftware.resolve(buffer, offset, length, metadata, this) < 0)
            {
                rxCounters.framesIn++;
                rxCounters.badOffload++;
            }
        }

        @Override
        public void onSegment(final DirectBuffer buffer, final int offset, final int length)
        {
            rx.accept(buffer, offset, length, nowNs);
        }
    }

    /** Takes the plain frames a super-frame was cut into into the transmit queue. */
    private final class TxAccept implements SoftwareOffload.Sink
    {
        long nowNs;

        @Override
        public void onSegment(final DirectBuffer buffer, final int offset, final int length)
        {
            tx.accept(buffer, offset, length, nowNs);
        }
    }

    /** Hands released frames to the stack's handler. */
    private static final class RxSink implements FaultPipeline.Sink
    {
        FrameHandler handler;

        @Override
        public boolean emit(final DirectBuffer buffer, final int offset, final int length)
        {
            handler.onFrame(buffer, offset, length);
            return true;
        }
    }

    /** Writes released frames to the inner device; false when it pushes back. */
    private final class TxSink implements FaultPipeline.Sink
    {
        @Override
        public boolean emit(final DirectBuffer buffer, final int offset, final int length)
        {
            final MutableDirectBuffer out = inner.claim(length);
            if (out == null)
            {
                return false;
            }
            out.putBytes(0, buffer, offset, length);
            inner.commit(length);
            return true;
        }
    }
}
