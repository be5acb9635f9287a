package io.conntest.bench.e2e;

import io.conntest.stack.phy.FrameHandler;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.EthernetRepr;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.tap.TapDevice;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The raw ceiling of the TAP path for TCP: a TAP moving TCP frames with no protocol work beyond the least a kernel TCP
 * peer needs to keep sending or receiving, so that the kernel's side does a TCP connection's work, as it does for
 * the stack. With the virtio-net header (checksum and TCP segmentation offload negotiated) it moves 64 KB
 * super-frames; on a plain TAP (the solo5 position) one MTU-sized frame per system call, its checksum filled in
 * Java, and it acknowledges once after each read of up to 64 frames, as the stack does (its ACK at least every
 * second segment, RFC 5681 §4.2, goes out after the poll's receive batch, so one ACK covers the batch). The UDP pumps ({@link FramePump}) are the ceilings of UDP: a kernel UDP
 * socket does far less per frame than a TCP one, so they are no ceiling for TCP.
 *
 * <ul>
 *   <li>{@link Transmitter}: 64 KB TSO frames (plain: 1,460-byte segments) towards the kernel ({@code GSO_TCPV4}, {@code gso_size} 1,460, only
 *   the pseudo-header sum in the checksum field, {@code NEEDS_CSUM}), as many as the kernel's window allows; the
 *   ACKs read back only move the window.</li>
 *   <li>{@link Receiver}: the kernel's TCP sender hands the TAP its 64 KB segments whole; the pump counts them and
 *   answers each in-order one with a cumulative ACK.</li>
 * </ul>
 *
 * The pump is a passive opener with the least TCP that keeps a Linux peer going: it answers the kernel's SYN
 * with MSS 1,460 and window scale 7 (no timestamps, no SACK), keeps no timers beyond a go-back-N restart when no
 * ACK moved for {@link #STALL_NS}, and drops out-of-order data (the kernel then retransmits). No allocation per
 * frame: one pre-built frame per direction, a few fields rewritten before each write.
 */
public final class TcpPump
{
    /** The pump's MSS and the {@code gso_size} of its super-frames: 1,500-byte MTU less IPv4 and TCP headers. */
    static final int MSS = 1460;
    /** Payload of one super-frame: whole MSS pieces in an IPv4 datagram of at most 65,535 bytes. */
    static final int SUPER_PAYLOAD = (65_535 - 40) / MSS * MSS;
    private static final int HEADERS = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH
        + TcpPacket.HEADER_LENGTH;
    private static final int TCP_OFFSET = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;
    private static final int WINDOW_SCALE = 7;
    /** Go back to the oldest unacknowledged byte when no ACK moved for this long. */
    static final long STALL_NS = 20_000_000L;

    private TcpPump()
    {
    }

    /** What both pumps share: the TAP, the handshake, frame building. Runs on its load thread. */
    abstract static class Peer extends LoadThread implements FrameHandler
    {
        final TapDevice tap;
        final int port;
        final long bridgeMac;
        final UnsafeBuffer ackFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(HEADERS + 4 + 4));
        final TcpPacket rxTcp = new TcpPacket();
        final TcpPacket ackTcp = new TcpPacket();
        final FrameMetadata plain = new FrameMetadata();
        boolean established;
        int kernelPort;
        int iss;
        int irs;
        int peerWindowShift;
        long frames;
        long payloadBytes;

        Peer(final String name, final TapDevice tap, final long bridgeMac, final int port)
        {
            super(name);
            this.tap = tap;
            this.bridgeMac = bridgeMac;
            this.port = port;
        }

        /**
         * Frames read before each turn of {@link #work}: up to 64 as the stack's interface reads per poll (its ingress
         * batch).
         */
        int readBatch()
        {
            return 64;
        }

        /** The pump's work between reading frames; returns whether it did something. */
        abstract boolean work(long nowNs);

        /** A segment of the established connection (ACK and maybe data). */
        abstract void onSegment(TcpPacket tcp, int payloadLength);

        @Override
        protected final void run()
        {
            announce(tap);
            iss = 0x1234_5678;
            ready();
            while (running())
            {
                final int read = tap.receive(this, readBatch());
                final boolean worked = established && work(System.nanoTime());
                if (read == 0 && !worked)
                {
                    tap.awaitReceive(1_000_000L);
                }
                units = frames;
                bytes = payloadBytes;
            }
        }

        @Override
        public final void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            onFrame(buffer, offset, length, plain);
        }

        @Override
        public final void onFrame(final DirectBuffer buffer, final int offset, final int length,
            final FrameMetadata metadata)
        {
            if (length < HEADERS || buffer.getShort(offset + 12, java.nio.ByteOrder.BIG_ENDIAN)
                != (short)EthernetFrame.ETHERTYPE_IPV4 || buffer.getByte(offset + 23) != Ipv4Packet.PROTOCOL_TCP
                || buffer.getInt(offset + 30, java.nio.ByteOrder.BIG_ENDIAN) != Lab.PUMP_ADDRESS)
            {
                return;
            }
            final int ipHeader = (buffer.getByte(offset + 14) & 0x0F) * 4;
            final int ipTotal = buffer.getShort(offset + 16, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (ipTotal > length - EthernetFrame.HEADER_LENGTH
                || !rxTcp.wrap(buffer, offset + EthernetFrame.HEADER_LENGTH + ipHeader, ipTotal - ipHeader)
                || rxTcp.dstPort() != port)
            {
                return;
            }
            final int flags = rxTcp.flags();
            if ((flags & TcpPacket.FLAG_SYN) != 0 && (flags & TcpPacket.FLAG_ACK) == 0)
            {
                // A (new) connection: answer its SYN; the kernel's first ACK establishes it.
                kernelPort = rxTcp.srcPort();
                irs = rxTcp.seq();
                peerWindowShift = windowScaleOption(rxTcp);
                established = false;
                onSyn(irs + 1);
                sendSynAck();
                return;
            }
            if (rxTcp.srcPort() != kernelPort || (flags & TcpPacket.FLAG_RST) != 0)
            {
                return;
            }
            if ((flags & TcpPacket.FLAG_ACK) != 0 && !established && rxTcp.ack() == iss + 1)
            {
                established = true;
            }
            if (established)
            {
                onSegment(rxTcp, rxTcp.payloadLength());
            }
        }

        /** The connection starts: the kernel's first data byte will be {@code rcvNxt}. */
        abstract void onSyn(int rcvNxt);

        private void sendSynAck()
        {
            final MutableDirectBuffer frame = tap.claim(HEADERS + 8);
            final int tcpLength = TcpPacket.HEADER_LENGTH + 8;
            writeHeaders(frame, bridgeMac, tcpLength);
            final TcpPacket tcp = new TcpPacket();
            tcp.wrapForWrite(frame, TCP_OFFSET, tcpLength);
            tcp.srcPort(port);
            tcp.dstPort(kernelPort);
            tcp.seq(iss);
            tcp.ack(irs + 1);
            tcp.headerLength(tcpLength);
            tcp.flags(TcpPacket.FLAG_SYN | TcpPacket.FLAG_ACK);
            tcp.window(65_535);
            tcp.urgentPointer(0);
            // MSS 1460; NOP; window scale 7 (RFC 7323 §2.2).
            frame.putInt(TCP_OFFSET + 20, 0x0204_0000 | MSS, java.nio.ByteOrder.BIG_ENDIAN);
            frame.putInt(TCP_OFFSET + 24, 0x0103_0300 | WINDOW_SCALE, java.nio.ByteOrder.BIG_ENDIAN);
            tcp.fillChecksum(Lab.PUMP_ADDRESS, Lab.KERNEL_ADDRESS);
            tap.commit(HEADERS + 8);
        }

        /** Sends a bare ACK of {@code rcvNxt} from {@code sndNxt}, with the largest window. */
        final void sendAck(final int sndNxt, final int rcvNxt)
        {
            final MutableDirectBuffer frame = tap.claim(HEADERS);
            writeHeaders(frame, bridgeMac, TcpPacket.HEADER_LENGTH);
            ackTcp.wrapForWrite(frame, TCP_OFFSET, TcpPacket.HEADER_LENGTH);
            ackTcp.srcPort(port);
            ackTcp.dstPort(kernelPort);
            ackTcp.seq(sndNxt);
            ackTcp.ack(rcvNxt);
            ackTcp.headerLength(TcpPacket.HEADER_LENGTH);
            ackTcp.flags(TcpPacket.FLAG_ACK);
            ackTcp.window(65_535);
            ackTcp.urgentPointer(0);
            ackTcp.fillChecksum(Lab.PUMP_ADDRESS, Lab.KERNEL_ADDRESS);
            tap.commit(HEADERS);
        }
    }

    /** Ethernet and IPv4 headers (DF, valid header checksum) of a pump → kernel frame with {@code tcpLength}. */
    static void writeHeaders(final MutableDirectBuffer frame, final long bridgeMac, final int tcpLength)
    {
        final EthernetFrame eth = new EthernetFrame().wrap(frame, 0, HEADERS);
        new EthernetRepr().set(Lab.PUMP_MAC, bridgeMac, EthernetFrame.ETHERTYPE_IPV4).emit(eth);
        final Ipv4Packet ip = new Ipv4Packet().wrap(frame, EthernetFrame.HEADER_LENGTH, 20 + tcpLength);
        new Ipv4Repr().set(Lab.PUMP_ADDRESS, Lab.KERNEL_ADDRESS, Ipv4Packet.PROTOCOL_TCP, tcpLength, 0, true)
            .emit(ip);
    }

    /** The window scale a SYN offers (RFC 7323 §2.2), 0 when it offers none. */
    static int windowScaleOption(final TcpPacket syn)
    {
        final DirectBuffer b = syn.buffer();
        int i = syn.optionsOffset();
        final int end = i + syn.optionsLength();
        while (i < end)
        {
            final int kind = b.getByte(i) & 0xFF;
            if (kind == 0)
            {
                break;
            }
            if (kind == 1)
            {
                i++;
                continue;
            }
            if (i + 1 >= end)
            {
                break;
            }
            final int len = b.getByte(i + 1) & 0xFF;
            if (len < 2)
            {
                break;
            }
            if (kind == 3 && len == 3 && i + 2 < end)
            {
                return Math.min(14, b.getByte(i + 2) & 0xFF);
            }
            i += len;
        }
        return 0;
    }

    /** Gratuitous ARP, so the bridge learns the pump's port instead of flooding. */
    static void announce(final TapDevice tap)
    {
        final MutableDirectBuffer buffer = tap.claim(64);
        final EthernetFrame eth = new EthernetFrame().wrap(buffer, 0, 60);
        new EthernetRepr().set(Lab.PUMP_MAC, MacAddress.BROADCAST, EthernetFrame.ETHERTYPE_ARP).emit(eth);
        new ArpRepr().set(ArpPacket.OPERATION_REQUEST, Lab.PUMP_MAC, Lab.PUMP_ADDRESS, 0, Lab.PUMP_ADDRESS)
            .emit(new ArpPacket().wrap(buffer, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH));
        buffer.setMemory(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH, 60 - 42, (byte)0);
        tap.commit(60);
    }

    /**
     * Sends 64 KB TSO super-frames to a kernel socket that connected to the pump, as far as the kernel's window
     * lets it; counts what the kernel acknowledged. The receiving kernel socket counts the goodput.
     */
    public static final class Transmitter extends Peer
    {
        private final FrameMetadata tso = new FrameMetadata();
        private final TcpPacket txTcp = new TcpPacket();
        private int sndUna;
        private int sndNxt;
        private int rcvNxt;
        private long sendWindow;
        private long lastProgressNs;
        private final Ipv4Packet ip = new Ipv4Packet();
        private boolean filled;
        private MutableDirectBuffer filledBuffer;
        private int builtPayload = -1;

        public Transmitter(final TapDevice tap, final long bridgeMac, final int port)
        {
            super("vnet-pump-tx", tap, bridgeMac, port);
        }

        /**
         * Every frame waiting (bounded): a turn sends up to 8 super-frames' worth of MSS frames, and the kernel ACKs
         * about every second one. Reading only 64 of them per turn left most ACKs to overflow the TAP's queue, where
         * the kernel dropped them (69 % in one plain run, counted as the TAP's {@code tx_dropped}): I/O the stack,
         * which has to read every frame, cannot skip, so the ceiling was too high.
         */
        @Override
        int readBatch()
        {
            return 4096;
        }

        @Override
        void onSyn(final int rcvNxt)
        {
            this.rcvNxt = rcvNxt;
            sndUna = iss + 1;
            sndNxt = iss + 1;
            sendWindow = 0;
            lastProgressNs = System.nanoTime();
            // The SYN,ACK is written into the TAP's one transmit buffer: the super-frame is built again after it.
            filled = false;
        }

        /** Whether the TAP cuts super-frames: else plain MTU-sized frames with the checksum filled here. */
        private boolean offloaded()
        {
            return io.conntest.stack.phy.Offloads.tcpSegmentation(tap.offloads());
        }

        @Override
        void onSegment(final TcpPacket tcp, final int payloadLength)
        {
            if ((tcp.flags() & TcpPacket.FLAG_ACK) == 0)
            {
                return;
            }
            final int ack = tcp.ack();
            if (ack - sndUna >= 0 && ack - sndNxt <= 0)
            {
                if (ack != sndUna)
                {
                    payloadBytes += ack - sndUna;
                    sndUna = ack;
                    lastProgressNs = System.nanoTime();
                }
                sendWindow = (long)tcp.window() << peerWindowShift;
            }
        }

        @Override
        boolean work(final long nowNs)
        {
            boolean worked = false;
            if (sndNxt != sndUna && nowNs - lastProgressNs > STALL_NS)
            {
                sndNxt = sndUna;
                lastProgressNs = nowNs;
            }
            // Up to 8 super-frames per turn (plain: as many MSS frames as 8 super-frames hold), then read the ACKs
            // that came back meanwhile. A window smaller than 64 KB takes what whole MSS pieces fit (the kernel's
            // receive window opens gradually).
            final boolean offloaded = offloaded();
            final int framePayload = offloaded ? SUPER_PAYLOAD : MSS;
            final int turn = offloaded ? 8 : 8 * (SUPER_PAYLOAD / MSS);
            for (int i = 0; i < turn; i++)
            {
                final long room = sendWindow - (sndNxt - sndUna);
                if (room < MSS)
                {
                    break;
                }
                if (offloaded)
                {
                    send((int)Math.min(framePayload, room / MSS * MSS));
                }
                else
                {
                    sendPlain();
                }
                worked = true;
            }
            return worked;
        }

        /** The fixed fields of the data segments' TCP header, for {@code payload} bytes behind it. */
        private void wrapTcpHeader(final MutableDirectBuffer frame, final int payload)
        {
            txTcp.wrapForWrite(frame, TCP_OFFSET, TcpPacket.HEADER_LENGTH + payload);
            txTcp.srcPort(port);
            txTcp.headerLength(TcpPacket.HEADER_LENGTH);
            txTcp.flags(TcpPacket.FLAG_ACK | TcpPacket.FLAG_PSH);
            txTcp.window(65_535);
            txTcp.urgentPointer(0);
        }

        /** One MSS segment on a plain TAP: the whole checksum here, as the stack computes it in plain mode. */
        private void sendPlain()
        {
            final int length = HEADERS + MSS;
            final MutableDirectBuffer frame = tap.claim(length);
            if (!filled || frame != filledBuffer)
            {
                frame.setMemory(0, length, (byte)0);
                writeHeaders(frame, bridgeMac, TcpPacket.HEADER_LENGTH + MSS);
                wrapTcpHeader(frame, MSS);
                filled = true;
                filledBuffer = frame;
            }
            txTcp.dstPort(kernelPort);
            txTcp.seq(sndNxt);
            txTcp.ack(rcvNxt);
            txTcp.fillChecksum(Lab.PUMP_ADDRESS, Lab.KERNEL_ADDRESS);
            PumpExtraWork.perFrame();
            tap.commit(length);
            sndNxt += MSS;
            frames++;
        }

        private void send(final int payload)
        {
            final int maxLength = HEADERS + SUPER_PAYLOAD;
            final MutableDirectBuffer frame = tap.claim(maxLength);
            if (!filled || frame != filledBuffer)
            {
                // The TAP lends the same buffer every time: headers and zero payload are written once.
                frame.setMemory(0, maxLength, (byte)0);
                writeHeaders(frame, bridgeMac, TcpPacket.HEADER_LENGTH + SUPER_PAYLOAD);
                ip.wrap(frame, EthernetFrame.HEADER_LENGTH, maxLength - EthernetFrame.HEADER_LENGTH);
                filled = true;
                filledBuffer = frame;
                builtPayload = -1;
            }
            if (payload != builtPayload)
            {
                ip.totalLength(Ipv4Packet.MIN_HEADER_LENGTH + TcpPacket.HEADER_LENGTH + payload);
                ip.fillChecksum();
                wrapTcpHeader(frame, payload);
                txTcp.fillPseudoHeaderChecksum(Lab.PUMP_ADDRESS, Lab.KERNEL_ADDRESS);
                builtPayload = payload;
            }
            txTcp.dstPort(kernelPort);
            txTcp.seq(sndNxt);
            txTcp.ack(rcvNxt);
            tso.set(FrameMetadata.NEEDS_CSUM, payload > MSS ? FrameMetadata.GSO_TCPV4 : FrameMetadata.GSO_NONE,
                HEADERS, payload > MSS ? MSS : 0, TCP_OFFSET, 16);
            PumpExtraWork.copyPayload(frame, HEADERS, payload);
            tap.commit(HEADERS + payload, tso);
            sndNxt += payload;
            frames++;
        }
    }

    /**
     * Receives from a kernel socket that connected to the pump: counts in-order payload (super-frames as the kernel
     * hands them over) and acknowledges every frame that carried data; on a plain TAP once after each read batch,
     * as the stack does.
     */
    public static final class Receiver extends Peer
    {
        private int rcvNxt;
        private int unacked;

        public Receiver(final TapDevice tap, final long bridgeMac, final int port)
        {
            super("vnet-pump-rx", tap, bridgeMac, port);
        }

        @Override
        void onSyn(final int rcvNxt)
        {
            this.rcvNxt = rcvNxt;
        }

        @Override
        void onSegment(final TcpPacket tcp, final int payloadLength)
        {
            if (payloadLength == 0)
            {
                return;
            }
            final boolean inOrder = tcp.seq() == rcvNxt;
            if (inOrder)
            {
                rcvNxt += payloadLength;
                payloadBytes += payloadLength;
                frames++;
            }
            // In order: acknowledge it (plain: once after the read batch, see work); out of order: a duplicate ACK
            // at once, so the kernel retransmits.
            if (!inOrder || io.conntest.stack.phy.Offloads.tcpSegmentation(tap.offloads()))
            {
                sendAck(iss + 1, rcvNxt);
                unacked = 0;
            }
            else
            {
                unacked++;
            }
        }

        @Override
        boolean work(final long nowNs)
        {
            // called after each read of the TAP's queue: what is left unacknowledged gets its ACK now
            if (unacked > 0)
            {
                sendAck(iss + 1, rcvNxt);
                unacked = 0;
                return true;
            }
            return false;
        }
    }
}
