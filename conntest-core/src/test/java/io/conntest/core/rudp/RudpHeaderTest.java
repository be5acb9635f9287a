package io.conntest.core.rudp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The flyweight: field round trip, the documented layout, and every length check. */
class RudpHeaderTest
{
    @Test
    void writesAndReadsEveryFieldAtTheDocumentedOffsets()
    {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[100]);
        final RudpHeader h = new RudpHeader();
        h.wrapForWrite(buf, 0).header(RudpHeader.TYPE_ACK, RudpHeader.FLAG_TS_ECR, 2, 0, 0x0102030405060708L,
            0xFFFF_FFF0, 7, 123_456, 654_321, 0);
        h.sackBlock(0, 9, 11);
        h.sackBlock(1, 0xFFFF_FFFE, 3);
        assertEquals(0x52, buf.getByte(0));
        assertEquals(0x55, buf.getByte(1));
        assertEquals(1, buf.getByte(2));
        assertEquals(RudpHeader.TYPE_ACK, buf.getByte(3));
        assertEquals(0x01, buf.getByte(8));
        assertEquals(0x08, buf.getByte(15));
        final int length = RudpHeader.datagramLength(2, 0);
        assertEquals(52, length);
        assertEquals(RudpHeader.OK, h.wrap(buf, 0, length).validate());
        assertEquals(RudpHeader.TYPE_ACK, h.type());
        assertEquals(RudpHeader.FLAG_TS_ECR, h.flags());
        assertEquals(2, h.sackCount());
        assertEquals(0, h.payloadLength());
        assertEquals(0x0102030405060708L, h.token());
        assertEquals(0xFFFF_FFF0, h.seq());
        assertEquals(7, h.ack());
        assertEquals(123_456, h.tsVal());
        assertEquals(654_321, h.tsEcr());
        assertEquals(9, h.sackStart(0));
        assertEquals(11, h.sackEnd(0));
        assertEquals(0xFFFF_FFFE, h.sackStart(1));
        assertEquals(52, h.payloadOffset());
    }

    @Test
    void rejectsEveryBadLength()
    {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[70_000]);
        final RudpHeader h = new RudpHeader();
        h.wrapForWrite(buf, 0).header(RudpHeader.TYPE_DATA, 0, 0, 10, 1, 0, 0, 0, 0, 0);
        assertEquals(RudpHeader.OK, h.wrap(buf, 0, 46).validate());
        assertEquals(RudpHeader.ERR_LENGTH, h.wrap(buf, 0, 45).validate());
        assertEquals(RudpHeader.ERR_LENGTH, h.wrap(buf, 0, 47).validate());
        assertEquals(RudpHeader.ERR_TRUNCATED, h.wrap(buf, 0, 35).validate());
        assertEquals(RudpHeader.ERR_TRUNCATED, h.wrap(buf, 0, 0).validate());
        assertEquals(RudpHeader.ERR_TRUNCATED, h.wrap(buf, 69_990, 46).validate()); // runs past the buffer
        assertEquals(RudpHeader.ERR_LENGTH, h.wrap(buf, 0, 65_508).validate());      // above the UDP maximum
        buf.putByte(RudpHeader.SACK_COUNT_OFFSET, (byte)1);                            // SACK on DATA
        assertEquals(RudpHeader.ERR_LENGTH, h.wrap(buf, 0, 54).validate());
        buf.putByte(RudpHeader.SACK_COUNT_OFFSET, (byte)0);
        buf.putByte(RudpHeader.TYPE_OFFSET, (byte)9);
        assertEquals(RudpHeader.ERR_TYPE, h.wrap(buf, 0, 46).validate());
        buf.putByte(RudpHeader.TYPE_OFFSET, (byte)RudpHeader.TYPE_ACK);
        buf.putByte(RudpHeader.SACK_COUNT_OFFSET, (byte)5);
        buf.putShort(RudpHeader.PAYLOAD_LENGTH_OFFSET, (short)0);
        assertEquals(RudpHeader.ERR_LENGTH, h.wrap(buf, 0, 76).validate());           // more than 4 blocks
        buf.putByte(RudpHeader.VERSION_OFFSET, (byte)2);
        assertEquals(RudpHeader.ERR_VERSION, h.wrap(buf, 0, 76).validate());
        buf.putByte(RudpHeader.MAGIC_OFFSET, (byte)0);
        assertEquals(RudpHeader.ERR_MAGIC, h.wrap(buf, 0, 76).validate());
    }

    @Test
    void configRejectsWindowsSmallerThanOneMessage()
    {
        final int max = ReliableUdpChannel.maxMessageLength();
        assertThrows(IllegalArgumentException.class, () -> ReliableUdpConfig.defaults().withRecvWindow(16, max - 1));
        assertThrows(IllegalArgumentException.class, () -> ReliableUdpConfig.defaults().withSendWindow(0, max));
        assertThrows(IllegalArgumentException.class, () -> ReliableUdpConfig.builder().minRtoNs(0).build());
        assertEquals(max, ReliableUdpConfig.defaults().withSendWindow(1, max).sendWindowBytes());
        assertEquals(5_000_000_000L, ReliableUdpConfig.defaults().idleTimeoutNs());
    }
}
