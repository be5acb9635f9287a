package io.conntest.stack.ipv6;

import java.util.function.IntConsumer;

import org.agrona.MutableDirectBuffer;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv6Packet;

/**
 * Writes the Ethernet and IPv6 headers of a frame in place and hands it to the device: the one place frames of the
 * IPv6 side are claimed and sent (control messages to a known MAC go straight through it; other packets pass the
 * neighbour cache in {@link Ipv6Egress} first). Every frame sent is reported to the interface's counters.
 */
final class Ipv6FrameWriter
{
    /** Where the IPv6 header starts in a frame, and where its payload starts (no extension headers). */
    static final int IP_AT = EthernetFrame.HEADER_LENGTH;
    static final int PAYLOAD_AT = EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH;

    private final FrameDevice device;
    private final Ipv6Counters counters;
    private final IntConsumer sentFrames;
    private final long mac;
    private final EthernetFrame eth = new EthernetFrame();
    private final Ipv6Packet ip = new Ipv6Packet();

    Ipv6FrameWriter(final FrameDevice device, final Ipv6Counters counters, final IntConsumer sentFrames,
        final long mac)
    {
        this.device = device;
        this.counters = counters;
        this.sentFrames = sentFrames;
        this.mac = mac;
    }

    long mac()
    {
        return mac;
    }

    /** A device frame for an IPv6 payload of {@code payloadLength} bytes; null (counted) when the device is full. */
    MutableDirectBuffer claim(final int payloadLength)
    {
        final MutableDirectBuffer frame = device.claim(PAYLOAD_AT + payloadLength);
        if (frame == null)
        {
            counters.increment(Ipv6Counter.IPV6_SEND_DROPPED);
        }
        return frame;
    }

    /** Writes both headers at the start of {@code frame}. */
    void headers(final MutableDirectBuffer frame, final long dstMac, final int payloadLength, final int nextHeader,
        final int hopLimit, final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        eth.wrap(frame, 0, PAYLOAD_AT);
        eth.destination(dstMac).source(mac).etherType(EthernetFrame.ETHERTYPE_IPV6);
        ip.wrap(frame, IP_AT, Ipv6Packet.HEADER_LENGTH + payloadLength)
            .header(0, 0, payloadLength, nextHeader, hopLimit, srcHi, srcLo, dstHi, dstLo);
    }

    /** Hands the claimed frame of {@code frameLength} bytes to the device. */
    void send(final int frameLength)
    {
        device.commit(frameLength);
        counters.increment(Ipv6Counter.IPV6_SENT);
        sentFrames.accept(frameLength);
    }

    void abort()
    {
        device.abort();
    }
}
