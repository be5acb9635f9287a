package io.conntest.stack.phy;

import io.conntest.stack.wire.Checksum;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/** Builds well-formed Ethernet/IPv4/UDP frames that carry a sequence number, for the decorator tests. */
final class TestFrames
{
    static final int HEADERS = 14 + 20 + 8;
    static final int ID_OFFSET = HEADERS;
    static final int SRC_IP = 0x0A000002;
    static final int DST_IP = 0x0A000001;

    private TestFrames()
    {
    }

    /** Writes a frame of {@code length} bytes (at least 46) carrying {@code id}; returns the length. */
    static int write(final MutableDirectBuffer b, final int id, final int length)
    {
        final int ipLength = length - 14;
        b.putLong(0, 0L);
        b.putShort(0, (short)0x0200, ByteOrder.BIG_ENDIAN); // dst 02:00:00:00:00:01
        b.putInt(2, 0x00000001, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)0x0200, ByteOrder.BIG_ENDIAN); // src 02:00:00:00:00:02
        b.putInt(8, 0x00000002, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        b.putByte(14, (byte)0x45);
        b.putByte(15, (byte)0);
        b.putShort(16, (short)ipLength, ByteOrder.BIG_ENDIAN);
        b.putShort(18, (short)id, ByteOrder.BIG_ENDIAN);
        b.putShort(20, (short)0x4000, ByteOrder.BIG_ENDIAN);
        b.putByte(22, (byte)64);
        b.putByte(23, (byte)17);
        b.putShort(24, (short)0, ByteOrder.BIG_ENDIAN);
        b.putInt(26, SRC_IP, ByteOrder.BIG_ENDIAN);
        b.putInt(30, DST_IP, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)Checksum.compute(b, 14, 20), ByteOrder.BIG_ENDIAN);
        final int udpLength = ipLength - 20;
        b.putShort(34, (short)40000, ByteOrder.BIG_ENDIAN);
        b.putShort(36, (short)9, ByteOrder.BIG_ENDIAN);
        b.putShort(38, (short)udpLength, ByteOrder.BIG_ENDIAN);
        b.putShort(40, (short)0, ByteOrder.BIG_ENDIAN);
        b.putInt(ID_OFFSET, id, ByteOrder.BIG_ENDIAN);
        for (int i = ID_OFFSET + 4; i < length; i++)
        {
            b.putByte(i, (byte)(id + i));
        }
        long sum = Checksum.addPseudoHeader(0, SRC_IP, DST_IP, 17, udpLength);
        sum = Checksum.add(sum, b, 34, udpLength);
        int udpChecksum = Checksum.finish(sum);
        if (udpChecksum == 0)
        {
            udpChecksum = 0xFFFF;
        }
        b.putShort(40, (short)udpChecksum, ByteOrder.BIG_ENDIAN);
        return length;
    }

    static int id(final DirectBuffer b, final int offset)
    {
        return b.getInt(offset + ID_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** Whether the UDP checksum of the frame still verifies. */
    static boolean udpVerifies(final DirectBuffer b, final int offset, final int length)
    {
        final int udpLength = length - 34;
        long sum = Checksum.addPseudoHeader(0, SRC_IP, DST_IP, 17, udpLength);
        sum = Checksum.add(sum, b, offset + 34, udpLength);
        return Checksum.verifies(sum) && Checksum.compute(b, offset + 14, 20) == 0;
    }

    /** Sends frame {@code id} of {@code length} bytes on {@code device}; false on backpressure. */
    static boolean send(final FrameDevice device, final int id, final int length)
    {
        final MutableDirectBuffer b = device.claim(length);
        if (b == null)
        {
            return false;
        }
        device.commit(write(b, id, length));
        return true;
    }
}
