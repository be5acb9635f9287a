package io.conntest.bench.e2e;

import io.conntest.stack.phy.FrameHandler;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.EthernetRepr;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;
import io.conntest.tap.TapDevice;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The raw ceiling of the TAP path: frames moved through a {@link TapDevice} with no protocol work at all, in
 * each direction, so that every figure of the stack can be read as a fraction of what the device allows.
 */
public final class FramePump
{
    /** UDP payload of every pumped frame: a full 1500-byte MTU datagram (1,514-byte frame). */
    public static final int PAYLOAD = 1472;
    public static final int FRAME_LENGTH = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH
        + UdpPacket.HEADER_LENGTH + PAYLOAD;

    private FramePump()
    {
    }

    /** Builds one Ethernet/IPv4/UDP frame with valid checksums into {@code buffer} at 0; returns its length. */
    static int buildUdpFrame(final MutableDirectBuffer buffer, final long srcMac, final long dstMac,
        final int srcAddr, final int dstAddr, final int srcPort, final int dstPort)
    {
        final EthernetFrame eth = new EthernetFrame().wrap(buffer, 0, FRAME_LENGTH);
        new EthernetRepr().set(srcMac, dstMac, EthernetFrame.ETHERTYPE_IPV4).emit(eth);
        final int udpLength = UdpPacket.HEADER_LENGTH + PAYLOAD;
        final UdpPacket udp = new UdpPacket().wrap(buffer, EthernetFrame.HEADER_LENGTH + 20, udpLength);
        new UdpRepr().set(srcPort, dstPort, PAYLOAD).emit(udp, srcAddr, dstAddr);
        final Ipv4Packet ip = new Ipv4Packet().wrap(buffer, EthernetFrame.HEADER_LENGTH, 20 + udpLength);
        new Ipv4Repr().set(srcAddr, dstAddr, Ipv4Packet.PROTOCOL_UDP, udpLength, 1, true).emit(ip);
        return FRAME_LENGTH;
    }

    /**
     * Writes the same pre-built UDP frame to the TAP as fast as it can (the kernel on the other side verifies,
     * bridges, routes and delivers it to a socket): one {@code write(2)} per frame, nothing else.
     */
    public static final class Transmitter extends LoadThread
    {
        private final TapDevice tap;
        private final long dstMac;
        private final int dstPort;
        private final long maxFrames;
        private volatile long drops;

        public Transmitter(final TapDevice tap, final long dstMac, final int dstPort, final long maxFrames)
        {
            super("pump-tx");
            this.tap = tap;
            this.dstMac = dstMac;
            this.dstPort = dstPort;
            this.maxFrames = maxFrames;
        }

        @Override
        protected void run()
        {
            final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_LENGTH));
            final int length = buildUdpFrame(frame, Lab.PUMP_MAC, dstMac, Lab.PUMP_ADDRESS, Lab.KERNEL_ADDRESS,
                KernelUdp.SOURCE_PORT, dstPort);
            ready();
            MutableDirectBuffer filled = null;
            long sent = 0;
            final long dropsBefore = tap.txDropsBackpressure();
            while (sent < maxFrames && running())
            {
                final MutableDirectBuffer claimed = tap.claim(length);
                if (claimed != filled)
                {
                    // The TAP lends the same buffer every time: the frame is copied in once, not per write.
                    claimed.putBytes(0, frame, 0, length);
                    filled = claimed;
                }
                PumpExtraWork.perFrame();
                tap.commit(length);
                sent++;
                if ((sent & 63) == 0)
                {
                    units = sent;
                    bytes = sent * PAYLOAD;
                    drops = tap.txDropsBackpressure() - dropsBefore;
                }
            }
            units = sent;
            bytes = sent * PAYLOAD;
        }

        /** Frames the kernel refused (EAGAIN/ENOBUFS). */
        public long drops()
        {
            return drops;
        }
    }

    /**
     * Reads every frame the kernel sends to the TAP and counts it, sleeping in {@code ppoll(2)} when none is
     * waiting. Announces its MAC once first (a gratuitous ARP) so the bridge forwards to it instead of flooding.
     */
    public static final class Receiver extends LoadThread implements FrameHandler
    {
        private final TapDevice tap;
        private long frames;
        private long payloadBytes;

        public Receiver(final TapDevice tap)
        {
            super("pump-rx");
            this.tap = tap;
        }

        @Override
        protected void run()
        {
            announce();
            ready();
            while (running())
            {
                if (tap.receive(this, 64) == 0)
                {
                    units = frames;
                    bytes = payloadBytes;
                    tap.awaitReceive(1_000_000L);
                }
            }
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
            payloadBytes += Math.max(0, length - (FRAME_LENGTH - PAYLOAD));
            if ((frames & 63) == 0)
            {
                units = frames;
                bytes = payloadBytes;
            }
        }

        private void announce()
        {
            final MutableDirectBuffer buffer = tap.claim(64);
            final EthernetFrame eth = new EthernetFrame().wrap(buffer, 0, 60);
            new EthernetRepr().set(Lab.PUMP_MAC, MacAddress.BROADCAST, EthernetFrame.ETHERTYPE_ARP).emit(eth);
            new ArpRepr().set(ArpPacket.OPERATION_REQUEST, Lab.PUMP_MAC, Lab.PUMP_ADDRESS, 0, Lab.PUMP_ADDRESS)
                .emit(new ArpPacket().wrap(buffer, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH));
            buffer.setMemory(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH, 60 - 42, (byte)0);
            tap.commit(60);
        }
    }
}
