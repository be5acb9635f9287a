package io.conntest.stack.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.conntest.stack.iface.RawLink;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Icmpv4Repr;
import io.conntest.stack.wire.Ipv4Packet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * An ICMP error reaches a UDP socket's listener with its type and code (as Linux's IP_RECVERR), so an owner can tell
 * "administratively prohibited" (3/13) from another host-unreachable; a listener that does not ask gets onError.
 */
class UdpIcmpErrorDetailTest
{
    private final RawLink link = new RawLink();

    private void answerWithIcmp(final UdpSocket socket, final int code)
    {
        link.introduce();
        link.sent();
        socket.bind(40000);
        assertTrue(socket.sendTo(RawLink.PEER, 9, new UnsafeBuffer(new byte[10]), 0, 10));
        link.poll();
        final byte[] original = link.sent().get(0);
        final byte[] quote = java.util.Arrays.copyOfRange(original, 14, 14 + 28);
        final byte[] icmp = new byte[8 + quote.length];
        new Icmpv4Repr().error(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, code, 0, new UnsafeBuffer(quote), 0,
            quote.length).emit(new Icmpv4Packet().wrap(new UnsafeBuffer(icmp), 0, icmp.length));
        link.inject(RawLink.ipv4Frame(RawLink.ADDR, Ipv4Packet.PROTOCOL_ICMP, 99, false, 0, icmp, 0, icmp.length));
    }

    @Test
    void adminProhibitedArrivesWithItsTypeAndCode()
    {
        final List<String> events = new ArrayList<>();
        final UdpSocket socket = link.udp.open(new UdpSocketListener()
        {
            @Override
            public void onIcmpError(final UdpSocket s, final int errno, final int type, final int code,
                final int remoteAddr, final int remotePort)
            {
                events.add(Errno.name(errno) + " " + type + "/" + code + " port " + remotePort);
            }
        });
        answerWithIcmp(socket, 13);
        assertEquals(List.of("EHOSTUNREACH 3/13 port 9"), events);
        assertEquals(Errno.EHOSTUNREACH, socket.takeError());
        assertEquals(RawLink.PEER, socket.icmpErrorFrom(), "the ICMP message's source: who rejected it");
    }

    @Test
    void aListenerWithoutOnIcmpErrorGetsOnError()
    {
        final List<String> events = new ArrayList<>();
        final UdpSocket socket = link.udp.open(new UdpSocketListener()
        {
            @Override
            public void onError(final UdpSocket s, final int errno, final int remoteAddr, final int remotePort)
            {
                events.add(Errno.name(errno));
            }
        });
        answerWithIcmp(socket, 3);
        assertEquals(List.of("ECONNREFUSED"), events);
    }
}
