package io.conntest.stack.iface;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Cuts one datagram larger than the MTU into fragments (RFC 791 §3.2) and sends them as the device takes them:
 * when the device pushes back, the rest goes out on later polls. One datagram at a time; its bytes stay where
 * they are (the staging buffer or a held-datagram slot, released when done).
 */
final class Fragmenter
{
    private final FrameDevice device;
    private final FrameEmitter emitter;
    private final InterfaceCounters counters;
    private final HeldDatagrams held;
    /** Every fragment but the last carries a multiple of 8 bytes (the offset field counts 8-byte units). */
    private int maxFragment;

    private boolean active;
    private DirectBuffer source;
    private int length;
    private int sent;
    private int dst;
    private int protocol;
    private int identification;
    private long dstMac;
    private int heldSlot = -1;

    Fragmenter(final FrameDevice device, final FrameEmitter emitter, final InterfaceCounters counters,
        final HeldDatagrams held, final int mtu)
    {
        this.device = device;
        this.emitter = emitter;
        this.counters = counters;
        this.held = held;
        this.maxFragment = maxFragment(mtu);
    }

    private static int maxFragment(final int mtu)
    {
        return (mtu - Ipv4Packet.MIN_HEADER_LENGTH) & ~7;
    }

    boolean isActive()
    {
        return active;
    }

    /**
     * Starts sending {@code length} bytes of {@code source} (from offset 0) as fragments of one datagram.
     *
     * @param heldSlot the held-datagram slot to release when done, or -1.
     * @param mtu      the interface's MTU now (a DHCP lease may have lowered it).
     */
    void start(final DirectBuffer source, final int length, final int dst, final int protocol,
        final int identification, final long dstMac, final int heldSlot, final int mtu)
    {
        if (active)
        {
            throw new IllegalStateException("a fragmentation is already in progress");
        }
        this.active = true;
        this.source = source;
        this.length = length;
        this.sent = 0;
        this.dst = dst;
        this.protocol = protocol;
        this.identification = identification;
        this.dstMac = dstMac;
        this.heldSlot = heldSlot;
        this.maxFragment = maxFragment(mtu);
        resume();
    }

    /** Sends fragments while the device takes them; true once the whole datagram is sent (or none was started). */
    boolean resume()
    {
        while (active && sent < length)
        {
            final int fragment = Math.min(length - sent, maxFragment);
            final MutableDirectBuffer frame = device.claim(FrameEmitter.FRAME_HEADERS + fragment);
            if (frame == null)
            {
                return false;
            }
            final boolean more = sent + fragment < length;
            emitter.writeIpv4Headers(frame, dstMac, dst, protocol, fragment, false, identification, more, sent);
            frame.putBytes(FrameEmitter.FRAME_HEADERS, source, sent, fragment);
            emitter.send(FrameEmitter.FRAME_HEADERS + fragment);
            counters.increment(InterfaceCounter.FRAGMENTS_SENT);
            sent += fragment;
        }
        if (active)
        {
            active = false;
            source = null;
            if (heldSlot >= 0)
            {
                held.release(heldSlot);
                heldSlot = -1;
            }
        }
        return true;
    }
}
