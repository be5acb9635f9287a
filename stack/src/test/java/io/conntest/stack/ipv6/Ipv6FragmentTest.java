package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.NdpMessage;

/**
 * IPv6 fragments (RFC 8200 §4.5) on an in-memory link: a fragmented echo request reassembled in any order and answered
 * with a reply in fragments that each fit the MTU; exact duplicates ignored, overlaps dropping the packet (RFC 5722);
 * a reassembly that times out answered with Time Exceeded code 1; a fragment of a bad length with a Parameter
 * Problem; no fragmented reply to a neighbour not yet resolved.
 */
class Ipv6FragmentTest
{
    private static final long[] PEER = Ipv6Address.parse("fe80::99");
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final long S = 1_000_000_000L;

    /** A started link whose neighbour cache knows the peer. */
    private static ScriptedLink started()
    {
        final ScriptedLink link = new ScriptedLink(21);
        link.start();
        final long[] us = us(link);
        final long group = Ipv6Address.solicitedNodeLo(us[1]);
        link.inject(Ipv6Address.multicastMac(group), PEER, new long[] {Ipv6Address.SOLICITED_NODE_HI, group}, 255,
            ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION, 0, us, NdpMessage.OPTION_SOURCE_LINK_LAYER,
                ScriptedLink.PEER_MAC));
        link.sent.clear();
        return link;
    }

    private static long[] us(final ScriptedLink link)
    {
        return Ipv6Address.parse(link.host.linkLocal());
    }

    /** An echo request of {@code dataLength} bytes of data from the peer to us, checksummed (the ICMPv6 message). */
    private static byte[] echo(final long[] us, final int dataLength)
    {
        final byte[] message = new byte[8 + dataLength];
        final UnsafeBuffer b = new UnsafeBuffer(message);
        b.putShort(4, (short)0x4242, BE);
        b.putShort(6, (short)9, BE);
        for (int i = 0; i < dataLength; i++)
        {
            message[8 + i] = (byte)(i * 7 + 3);
        }
        new Icmpv6Packet().wrap(b, 0, message.length).finish(Icmpv6Packet.TYPE_ECHO_REQUEST, 0, PEER[0], PEER[1],
            us[0], us[1]);
        return message;
    }

    /** One fragment frame of {@code message[from, to)} with identification {@code id}. */
    private static byte[] fragment(final long[] us, final byte[] message, final int from, final int to,
        final boolean more, final int id)
    {
        final int length = to - from;
        final byte[] frame = new byte[14 + 40 + 8 + length];
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        new EthernetFrame().wrap(b, 0, frame.length).destination(ScriptedLink.MAC).source(ScriptedLink.PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_IPV6);
        new Ipv6Packet().wrap(b, 14, 48 + length).header(0, 0, 8 + length, Ipv6Packet.NEXT_HEADER_FRAGMENT, 64,
            PEER[0], PEER[1], us[0], us[1]);
        b.putByte(54, (byte)Ipv6Packet.NEXT_HEADER_ICMPV6);
        b.putShort(56, (short)(from | (more ? 1 : 0)), BE);
        b.putInt(58, id, BE);
        b.putBytes(62, message, from, length);
        return frame;
    }

    /** The ICMPv6 message the stack sent in fragments, put together, after checking every fragment. */
    private static byte[] reassemble(final List<byte[]> frames)
    {
        final ByteArrayOutputStream message = new ByteArrayOutputStream();
        int expected = 0;
        int id = 0;
        for (int i = 0; i < frames.size(); i++)
        {
            final byte[] f = frames.get(i);
            final UnsafeBuffer b = new UnsafeBuffer(f);
            assertTrue(f.length <= 14 + 1500, "each fragment fits the MTU");
            assertEquals(Ipv6Packet.NEXT_HEADER_FRAGMENT, f[20] & 0xFF);
            assertEquals(Ipv6Packet.NEXT_HEADER_ICMPV6, f[54] & 0xFF);
            final int field = b.getShort(56, BE) & 0xFFFF;
            assertEquals(expected, field & 0xFFF8, "in order, no gap");
            assertEquals(i < frames.size() - 1, (field & 1) == 1, "M set on all but the last");
            if (i == 0)
            {
                id = b.getInt(58, BE);
            }
            assertEquals(id, b.getInt(58, BE), "one identification");
            final int dataLength = (b.getShort(18, BE) & 0xFFFF) - 8;
            assertTrue(i == frames.size() - 1 || dataLength % 8 == 0);
            message.write(f, 62, dataLength);
            expected += dataLength;
        }
        return message.toByteArray();
    }

    private static List<byte[]> fragmentsSent(final ScriptedLink link)
    {
        return link.sent.stream().filter(f -> (f[20] & 0xFF) == Ipv6Packet.NEXT_HEADER_FRAGMENT).toList();
    }

    @Test
    void rfc8200_4_5_aFragmentedEchoIsReassembledInAnyOrderAndAnsweredInFragments()
    {
        final ScriptedLink link = started();
        final long[] us = us(link);
        final byte[] request = echo(us, 4000);
        link.injectRaw(fragment(us, request, 2896, request.length, false, 77));
        link.injectRaw(fragment(us, request, 0, 1448, true, 77));
        link.injectRaw(fragment(us, request, 1448, 2896, true, 77));
        assertEquals(1, link.count(Ipv6Counter.IPV6_REASSEMBLED));
        final List<byte[]> fragments = fragmentsSent(link);
        assertEquals(3, fragments.size(), "4,008 bytes of reply in 1,448-byte pieces");
        final byte[] reply = reassemble(fragments);
        assertEquals(request.length, reply.length);
        assertEquals(Icmpv6Packet.TYPE_ECHO_REPLY, reply[0] & 0xFF);
        final byte[] data = java.util.Arrays.copyOfRange(request, 4, request.length);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(reply, 4, reply.length), "identifier, sequence, data");
        assertTrue(Checksum.verifies(Checksum.add(Checksum.addIpv6PseudoHeader(0, us[0], us[1], PEER[0], PEER[1],
            reply.length, 58), new UnsafeBuffer(reply), 0, reply.length)), "the whole reply's checksum verifies");
        assertEquals(3, link.count(Ipv6Counter.IPV6_FRAGMENTS_SENT));
    }

    @Test
    void rfc8200_4_5_anExactDuplicateIsIgnoredAndTheReassemblyGoesOn()
    {
        final ScriptedLink link = started();
        final long[] us = us(link);
        final byte[] request = echo(us, 2000);
        link.injectRaw(fragment(us, request, 0, 1024, true, 5));
        link.injectRaw(fragment(us, request, 0, 1024, true, 5));
        link.injectRaw(fragment(us, request, 1024, request.length, false, 5));
        assertEquals(1, link.count(Ipv6Counter.IPV6_FRAGMENT_DUPLICATE));
        assertEquals(1, link.count(Ipv6Counter.IPV6_REASSEMBLED));
        assertEquals(2, fragmentsSent(link).size());
    }

    @Test
    void rfc5722_overlappingFragmentsDropThePacket()
    {
        final ScriptedLink link = started();
        final long[] us = us(link);
        final byte[] request = echo(us, 2000);
        link.injectRaw(fragment(us, request, 0, 1024, true, 6));
        link.injectRaw(fragment(us, request, 512, 1536, true, 6));
        link.injectRaw(fragment(us, request, 1536, request.length, false, 6));
        assertEquals(1, link.count(Ipv6Counter.IPV6_REASSEMBLY_OVERLAP));
        assertEquals(0, link.count(Ipv6Counter.IPV6_REASSEMBLED));
        assertTrue(link.sent.isEmpty(), "nothing answered");
    }

    @Test
    void rfc8200_4_5_anUnfinishedReassemblyTimesOutWithTimeExceededQuotingTheFirstFragment()
    {
        final ScriptedLink link = started();
        final long[] us = us(link);
        final byte[] request = echo(us, 2000);
        final byte[] first = fragment(us, request, 0, 1024, true, 8);
        link.injectRaw(first);
        link.runFor(59 * S);
        assertTrue(link.sentOfType(Icmpv6Packet.TYPE_TIME_EXCEEDED).isEmpty());
        link.runFor(2 * S);
        // the peer's entry (learnt from its solicitation) expired meanwhile: the error waits for its advertisement
        link.inject(ScriptedLink.MAC, PEER, us, 255, ScriptedLink.ndp(Icmpv6Packet.TYPE_NEIGHBOR_ADVERTISEMENT,
            NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE, PEER, NdpMessage.OPTION_TARGET_LINK_LAYER,
            ScriptedLink.PEER_MAC));
        final List<byte[]> exceeded = link.sentOfType(Icmpv6Packet.TYPE_TIME_EXCEEDED);
        assertEquals(1, exceeded.size(), link.host.counters().toString());
        assertEquals(1, exceeded.get(0)[55], "code 1: fragment reassembly time exceeded");
        for (int i = 0; i < 40 + 8 + 64; i++)
        {
            assertEquals(first[14 + i], exceeded.get(0)[62 + i], "the first fragment quoted, byte " + i);
        }
        assertEquals(1, link.count(Ipv6Counter.IPV6_REASSEMBLY_TIMEOUT));
    }

    @Test
    void rfc8200_4_5_aFragmentNotAMultipleOf8BytesWithMoreToComeGetsAParameterProblem()
    {
        final ScriptedLink link = started();
        final long[] us = us(link);
        final byte[] request = echo(us, 2000);
        link.injectRaw(fragment(us, request, 0, 1001, true, 9));
        final List<byte[]> problems = link.sentOfType(Icmpv6Packet.TYPE_PARAMETER_PROBLEM);
        assertEquals(1, problems.size());
        assertEquals(0, problems.get(0)[55]);
        assertEquals(4, new UnsafeBuffer(problems.get(0)).getInt(58, BE), "at the Payload Length");
        assertEquals(1, link.count(Ipv6Counter.IPV6_FRAGMENT_MALFORMED));
    }

    @Test
    void aReplyAboveTheMtuToAnUnresolvedNeighbourIsNotHeldButItsResolutionStarts()
    {
        final ScriptedLink link = new ScriptedLink(21);
        link.start();
        link.sent.clear();
        final long[] us = us(link);
        final byte[] request = echo(us, 2000);
        link.injectRaw(fragment(us, request, 0, 1024, true, 10));
        link.injectRaw(fragment(us, request, 1024, request.length, false, 10));
        assertEquals(1, link.count(Ipv6Counter.IPV6_FRAGMENTED_UNRESOLVED));
        assertEquals(1, link.sentOfType(Icmpv6Packet.TYPE_NEIGHBOR_SOLICITATION).size());
        assertEquals("INCOMPLETE", link.host.neighbourState("fe80::99"));
    }
}
