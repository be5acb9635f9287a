package io.conntest.stack.phy;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A device that moves whole Ethernet II frames: a TAP, an in-memory link, or a decorator around one of those
 * (pcap writer, fault injector). The interface of the stack owns one and is its only user, on one thread.
 *
 * <p>Zero-copy in both directions: received frames are lent to a {@link FrameHandler}; a frame to send is written
 * straight into memory the device owns, between {@link #claim(int)} and {@link #commit(int)}. Nothing here
 * allocates per frame.
 *
 * <p>Offloads: a device that reports {@link #offloads()} other than {@link Offloads#NONE} takes frames with
 * {@link FrameMetadata} through {@link #commit(int, FrameMetadata)} (a partial checksum to complete, a super-frame
 * to segment, claimed with up to {@link FrameMetadata#MAX_SUPER_FRAME} bytes) and hands up frames with their
 * metadata through {@link FrameHandler#onFrame(DirectBuffer, int, int, FrameMetadata)}. A device without offloads
 * sends and receives plain frames only; decorators pass the metadata through.
 */
public interface FrameDevice extends AutoCloseable
{
    /** Largest IP datagram (L3 MTU, without the 14-byte Ethernet header) this device carries, e.g. 1500. */
    int mtu();

    /**
     * Hands up to {@code maxFrames} received frames to {@code handler}, one call each, without blocking.
     *
     * @return the number of frames handed over; 0 when none was waiting.
     */
    int receive(FrameHandler handler, int maxFrames);

    /**
     * Claims room for one outgoing frame of up to {@code maxLength} bytes, written from index 0 of the returned
     * buffer. At most one claim is open at a time; it ends with {@link #commit(int)} or {@link #abort()}.
     *
     * @return the buffer to write the frame into, or {@code null} when the device cannot take a frame now
     *         (backpressure: try again on a later poll).
     */
    MutableDirectBuffer claim(int maxLength);

    /** Sends the first {@code length} bytes of the open claim. */
    void commit(int length);

    /**
     * Sends the first {@code length} bytes of the open claim with offload {@code metadata} (read during the call
     * only). A plain {@code metadata} is the same as {@link #commit(int)}.
     *
     * @throws IllegalStateException when the metadata asks for an offload this device does not do (a broken
     *         invariant: senders ask {@link #offloads()} first).
     */
    default void commit(final int length, final FrameMetadata metadata)
    {
        if (!metadata.isPlain())
        {
            abort();
            throw new IllegalStateException("device without offloads given " + metadata);
        }
        commit(length);
    }

    /**
     * Whether {@link #commitGather} works: the device sends a frame whose payload stays where the sender keeps it
     * (a TAP: one {@code writev(2)} of the claimed headers and the sender's memory), so a TCP sender's payload goes
     * from its send buffer to the kernel with no copy in between. Only with checksum offload (the payload is never
     * read in Java); decorators (pcap, faults, tracing) need the bytes in the frame and say false. Fixed once the
     * device is open.
     */
    default boolean gathers()
    {
        return false;
    }

    /**
     * Sends the first {@code headLength} bytes of the open claim followed by {@code length1} bytes of {@code tail}
     * from {@code offset1} and then {@code length2} bytes from {@code offset2} (a ring's two runs; 0 for none), as
     * one frame with {@code metadata} (see {@link #commit(int, FrameMetadata)}). {@code tail} is read during the
     * call only.
     *
     * @throws UnsupportedOperationException when the device does not {@link #gathers()} (the claim is dropped).
     */
    default void commitGather(final int headLength, final FrameMetadata metadata, final DirectBuffer tail,
        final int offset1, final int length1, final int offset2, final int length2)
    {
        abort();
        throw new UnsupportedOperationException("device does not gather");
    }

    /**
     * The offloads this device does, {@link Offloads} bits ({@link Offloads#NONE} unless it says otherwise). Fixed
     * once the device is open.
     */
    default int offloads()
    {
        return Offloads.NONE;
    }

    /** Drops the open claim without sending anything. */
    void abort();

    /**
     * Blocks the calling thread until a frame may be readable or {@code timeoutNs} has passed, so an idle
     * instance uses no CPU. Spurious wake-ups are allowed; a negative or zero timeout returns at once.
     */
    void awaitReceive(long timeoutNs);

    /**
     * Whether {@link #wakeup()} interrupts {@link #awaitReceive(long)} (a TAP waits on an eventfd beside its own fd).
     * An owner of a device that cannot be woken must bound its waits itself.
     */
    default boolean canWakeUp()
    {
        return false;
    }

    /**
     * Makes a current {@link #awaitReceive(long)} return at once, or the next one if none is waiting. The one call
     * that is safe from any thread; a device that cannot be woken ignores it (see {@link #canWakeUp()}).
     */
    default void wakeup()
    {
    }

    /**
     * Why the link cannot carry frames now, as a line for a person ({@code "link of tap0 is down, ..."}), or null
     * when it is up or the device cannot tell. Cheap enough to ask once a second; owner thread only.
     */
    default String linkWarning()
    {
        return null;
    }

    /** Releases the device. Further calls are not allowed. */
    @Override
    void close();
}
