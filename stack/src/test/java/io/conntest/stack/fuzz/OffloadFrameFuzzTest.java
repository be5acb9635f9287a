package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.phy.SoftwareOffload;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.service.EchoService;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.VirtioNetHeader;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A frame behind an arbitrary virtio-net header (issue 9), as a TAP with offloads reads it: the header is parsed
 * into {@link FrameMetadata} and checked against the frame; whatever passes goes through {@link SoftwareOffload}
 * (every TCP segment it makes has a valid IPv4 and TCP checksum and fits the MTU) and, with its metadata, into a
 * stack with TCP over an offloading in-memory link. Nothing may throw. Input: {@code [10-byte header][frame]}; half
 * the inputs get a well-formed TCP/IPv4 frame to the stack built from the remaining bytes.
 */
class OffloadFrameFuzzTest
{
    private static final int OUR_IP = 0x0A000002;
    private static final int PEER_IP = 0x0A000001;
    private static final long OUR_MAC = 0x02_00_00_00_00_02L;

    private final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 8,
        InMemoryDevicePair.LinkOffload.SUPER_FRAMES);
    private final Interface iface = new Interface(pair.b(), InterfaceConfig.builder(OUR_IP, 24).mac(OUR_MAC).build());
    private final SoftwareOffload software = new SoftwareOffload(1514);
    private final VirtioNetHeader header = new VirtioNetHeader();
    private final FrameMetadata metadata = new FrameMetadata();
    private final TcpPacket tcp = new TcpPacket();
    private long nowNs = 1_000_000_000L;

    OffloadFrameFuzzTest()
    {
        final TcpProtocol protocol = new TcpProtocol(new TcpConfig(), OUR_IP, 1, 2);
        iface.addProtocol(protocol);
        new EchoService(protocol, 7, 4);
    }

    @FuzzTest(maxDuration = "150s")
    void virtioHeaderAndFrame(final FuzzedDataProvider data)
    {
        final byte[] head = data.consumeBytes(VirtioNetHeader.LEGACY_LENGTH);
        final boolean build = data.consumeBoolean();
        final byte[] rest = data.consumeRemainingAsBytes();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[Math.max(rest.length + 54, 64)]);
        int length = rest.length;
        if (build)
        {
            length = tcpFrame(frame, rest);
        }
        else
        {
            frame.putBytes(0, rest);
        }
        final UnsafeBuffer headerBytes = new UnsafeBuffer(new byte[VirtioNetHeader.LEGACY_LENGTH]);
        headerBytes.putBytes(0, head);
        if (head.length < VirtioNetHeader.LEGACY_LENGTH || !header.wrap(headerBytes, 0, head.length))
        {
            return; // a read shorter than the header: the TAP drops it before anything else
        }
        metadata.set(header.flags(), header.gsoType(), header.headerLength(), header.gsoSize(), header.csumStart(),
            header.csumOffset());
        if (!metadata.isConsistent(length))
        {
            return; // counted and dropped by the TAP
        }
        final int frameLength = length;
        software.resolve(frame, 0, length, metadata, (buffer, offset, len) ->
        {
            assertTrue(len <= Math.max(1514, frameLength), "a segment no longer than the frame or the MTU");
            if (metadata.isSuperFrame() && len >= 54)
            {
                // A cut TCP segment: its headers were checked by the segmenter; both checksums must hold.
                assertEquals(0, Checksum.compute(buffer, offset + 14, 20), "IPv4 header checksum");
                final int ihl = (buffer.getByte(offset + 14) & 0x0F) * 4;
                final int total = buffer.getShort(offset + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                assertTrue(tcp.wrap(buffer, offset + 14 + ihl, total - ihl));
                assertTrue(tcp.checksumValid(buffer.getInt(offset + 26, ByteOrder.BIG_ENDIAN),
                    buffer.getInt(offset + 30, ByteOrder.BIG_ENDIAN)), "TCP checksum");
            }
        });
        final FrameDevice peer = pair.a();
        final MutableDirectBuffer out = peer.claim(FrameMetadata.MAX_SUPER_FRAME);
        if (out != null && length <= FrameMetadata.MAX_SUPER_FRAME)
        {
            out.putBytes(0, frame, 0, length);
            peer.commit(length, metadata);
        }
        else if (out != null)
        {
            peer.abort();
        }
        nowNs += 1_000_000L;
        iface.poll(nowNs);
        peer.receive((buffer, offset, len) -> { }, 64);
    }

    /** A TCP/IPv4 frame to the stack's echo port with {@code rest} as its payload (a partial checksum). */
    private static int tcpFrame(final UnsafeBuffer b, final byte[] rest)
    {
        b.putShort(0, (short)(OUR_MAC >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(2, (int)OUR_MAC, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)0x0200, ByteOrder.BIG_ENDIAN);
        b.putInt(8, 1, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int payload = Math.min(rest.length, 65_535 - 40);
        b.putByte(14, (byte)0x45);
        b.putShort(16, (short)(40 + payload), ByteOrder.BIG_ENDIAN);
        b.putInt(18, 0x0001_4000, ByteOrder.BIG_ENDIAN);
        b.putByte(22, (byte)64);
        b.putByte(23, (byte)6);
        b.putInt(26, PEER_IP, ByteOrder.BIG_ENDIAN);
        b.putInt(30, OUR_IP, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)Checksum.compute(b, 14, 20), ByteOrder.BIG_ENDIAN);
        b.putShort(34, (short)40000, ByteOrder.BIG_ENDIAN);
        b.putShort(36, (short)7, ByteOrder.BIG_ENDIAN);
        b.putByte(46, (byte)(5 << 4));
        b.putByte(47, (byte)0x18);
        b.putShort(48, (short)65535, ByteOrder.BIG_ENDIAN);
        b.putBytes(54, rest, 0, payload);
        final TcpPacket t = new TcpPacket();
        t.wrapForWrite(b, 34, 20 + payload);
        t.fillPseudoHeaderChecksum(PEER_IP, OUR_IP);
        return 54 + payload;
    }
}
