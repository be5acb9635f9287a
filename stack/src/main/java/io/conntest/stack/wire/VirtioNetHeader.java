package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A flyweight view of {@code struct virtio_net_hdr} (virtio 1.x §5.1.6; Linux {@code include/uapi/linux/virtio_net.h}),
 * the header a TAP opened with {@code IFF_VNET_HDR} puts in front of every frame: flags (u8), gso_type (u8),
 * hdr_len, gso_size, csum_start, csum_offset (le16 each), and in the 12-byte virtio 1.0 form num_buffers (le16).
 *
 * <p>Fields are little-endian: virtio 1.0 says so, and a legacy header is in the host's order, which is little-endian
 * on the hosts conntest runs on (x86-64, aarch64); a big-endian host would need {@code TUNSETVNETLE}.
 */
public final class VirtioNetHeader
{
    /** The legacy header ({@code struct virtio_net_hdr}), the TAP's default size. */
    public static final int LEGACY_LENGTH = 10;
    /** The virtio 1.0 header ({@code struct virtio_net_hdr_v1}) with {@code num_buffers}. */
    public static final int V1_LENGTH = 12;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Views the header at {@code offset}.
     *
     * @return false when {@code length} bytes cannot hold a legacy header; the view must then not be read.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return length >= LEGACY_LENGTH && offset >= 0 && offset + LEGACY_LENGTH <= buffer.capacity();
    }

    public int flags()
    {
        return buffer.getByte(offset + FLAGS) & 0xFF;
    }

    public int gsoType()
    {
        return buffer.getByte(offset + GSO_TYPE) & 0xFF;
    }

    public int headerLength()
    {
        return buffer.getShort(offset + HDR_LEN, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public int gsoSize()
    {
        return buffer.getShort(offset + GSO_SIZE, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public int csumStart()
    {
        return buffer.getShort(offset + CSUM_START, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public int csumOffset()
    {
        return buffer.getShort(offset + CSUM_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /** Writes a legacy header (10 bytes) at {@code offset} of {@code out}. */
    public static void write(
        final MutableDirectBuffer out, final int offset, final int flags, final int gsoType, final int headerLength,
        final int gsoSize, final int csumStart, final int csumOffset)
    {
        out.putByte(offset + FLAGS, (byte)flags);
        out.putByte(offset + GSO_TYPE, (byte)gsoType);
        out.putShort(offset + HDR_LEN, (short)headerLength, ByteOrder.LITTLE_ENDIAN);
        out.putShort(offset + GSO_SIZE, (short)gsoSize, ByteOrder.LITTLE_ENDIAN);
        out.putShort(offset + CSUM_START, (short)csumStart, ByteOrder.LITTLE_ENDIAN);
        out.putShort(offset + CSUM_OFFSET, (short)csumOffset, ByteOrder.LITTLE_ENDIAN);
    }
}
