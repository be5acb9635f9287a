package io.conntest.stack.iface;

import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Ipv4Packet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.conntest.stack.iface.RawLink.ADDR;
import static io.conntest.stack.iface.RawLink.ipv4Frame;
import static io.conntest.stack.iface.RawLink.udpDatagram;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPv4 reassembly (RFC 791, RFC 815, RFC 1122 §3.3.2) against hand-made fragments. */
class ReassemblyTest
{
    private static final int UDP = Ipv4Packet.PROTOCOL_UDP;
    private static final long SECOND = 1_000_000_000L;

    private final RawLink link = new RawLink();
    private final byte[][] received = new byte[1][];
    private final byte[] payload = new byte[40];
    private byte[] datagram;

    ReassemblyTest()
    {
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(i + 1);
        }
        datagram = udpDatagram(1234, 5000, payload);
        final UdpSocket socket = link.udp.open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s)
            {
                s.receive((src, port, buf, off, len) ->
                {
                    received[0] = new byte[len];
                    buf.getBytes(off, received[0]);
                }, 10);
            }
        });
        socket.bind(5000);
    }

    @Test
    void fragmentsInAnyOrderMakeTheDatagram()
    {
        link.inject(ipv4Frame(ADDR, UDP, 7, false, 32, datagram, 32, 48));
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 16, datagram, 16, 32));
        assertEquals(1, link.iface.reassembliesInProgress());
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 0, datagram, 0, 16));
        assertArrayEquals(payload, received[0]);
        assertEquals(1, link.count(InterfaceCounter.DATAGRAMS_REASSEMBLED));
        assertEquals(0, link.iface.reassembliesInProgress());
    }

    @Test
    void exactDuplicateIsIgnoredAndTheDatagramStillCompletes()
    {
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 0, datagram, 0, 16));
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 0, datagram, 0, 16));
        link.inject(ipv4Frame(ADDR, UDP, 7, false, 16, datagram, 16, 48));
        assertEquals(1, link.count(InterfaceCounter.FRAGMENT_DUPLICATE));
        assertArrayEquals(payload, received[0]);
    }

    @Test
    void partialOverlapDropsTheWholeReassembly()
    {
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 0, datagram, 0, 16));
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 8, datagram, 8, 24));
        assertEquals(1, link.count(InterfaceCounter.REASSEMBLY_OVERLAP));
        assertEquals(0, link.iface.reassembliesInProgress());
        link.inject(ipv4Frame(ADDR, UDP, 7, false, 24, datagram, 24, 48));
        assertEquals(null, received[0], "nothing is delivered from a reassembly with overlapping fragments");
    }

    @Test
    void fragmentsDisagreeingAboutTheEndDropTheReassembly()
    {
        link.inject(ipv4Frame(ADDR, UDP, 7, false, 16, datagram, 16, 24));
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 24, datagram, 24, 48));
        assertEquals(1, link.count(InterfaceCounter.REASSEMBLY_INCONSISTENT));
        link.inject(ipv4Frame(ADDR, UDP, 8, true, 16, datagram, 16, 32));
        link.inject(ipv4Frame(ADDR, UDP, 8, false, 8, datagram, 8, 16));
        assertEquals(2, link.count(InterfaceCounter.REASSEMBLY_INCONSISTENT), "a last fragment before data");
        assertEquals(0, link.iface.reassembliesInProgress());
    }

    @Test
    void malformedFragmentsAreDropped()
    {
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 0, datagram, 0, 12));
        link.inject(ipv4Frame(ADDR, UDP, 7, true, 65_528, datagram, 0, 16));
        assertEquals(2, link.count(InterfaceCounter.FRAGMENT_MALFORMED));
        assertEquals(0, link.iface.reassembliesInProgress());
    }

    @Test
    void slotsAreBoundedAndTheOldestIsEvicted()
    {
        for (int id = 0; id < 9; id++)
        {
            link.clock.advanceMs(1);
            link.inject(ipv4Frame(ADDR, UDP, id, true, 0, datagram, 0, 16));
        }
        assertEquals(8, link.iface.reassembliesInProgress());
        assertEquals(1, link.count(InterfaceCounter.REASSEMBLY_OVERFLOW));
        // The newest reassembly survived and completes.
        link.inject(ipv4Frame(ADDR, UDP, 8, false, 16, datagram, 16, 48));
        assertArrayEquals(payload, received[0]);
    }

    @Test
    void timeoutDropsTheReassemblyAndSendsTimeExceeded()
    {
        link.introduce();
        link.sent();
        final byte[] first = ipv4Frame(ADDR, UDP, 7, true, 0, datagram, 0, 16);
        link.inject(first);
        link.clock.advanceNs(29 * SECOND);
        link.poll();
        assertEquals(1, link.iface.reassembliesInProgress());
        assertEquals(link.clock.nowNs() + SECOND, link.iface.pollAtNs(link.clock.nowNs()));
        link.clock.advanceNs(SECOND);
        link.poll();
        assertEquals(0, link.iface.reassembliesInProgress());
        assertEquals(1, link.count(InterfaceCounter.REASSEMBLY_TIMEOUT));
        final List<byte[]> sent = link.sent();
        assertEquals(1, sent.size());
        final UnsafeBuffer reply = new UnsafeBuffer(sent.get(0));
        final Ipv4Packet ip = new Ipv4Packet();
        assertTrue(ip.wrapChecked(reply, EthernetFrame.HEADER_LENGTH, reply.capacity() - EthernetFrame.HEADER_LENGTH));
        assertEquals(RawLink.PEER, ip.destinationAddress());
        final Icmpv4Packet icmp = new Icmpv4Packet();
        assertTrue(icmp.wrapChecked(ip.buffer(), ip.payloadOffset(), ip.payloadLength()));
        assertTrue(icmp.verifyChecksum());
        assertEquals(Icmpv4Packet.TYPE_TIME_EXCEEDED, icmp.type());
        assertEquals(Icmpv4Packet.CODE_REASSEMBLY_TIME_EXCEEDED, icmp.code());
        // RFC 792: the quote is the first fragment's IP header plus 8 bytes of its data.
        final byte[] quoted = new byte[28];
        icmp.buffer().getBytes(8, quoted);
        assertArrayEquals(Arrays.copyOfRange(first, 14, 42), quoted);
    }
}
