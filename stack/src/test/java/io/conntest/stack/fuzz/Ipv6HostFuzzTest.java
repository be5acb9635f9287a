package io.conntest.stack.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.ipv6.Ipv6Host;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;

/**
 * The IPv6 host ({@link Ipv6Host}: Neighbor Discovery, router advertisements, SLAAC, DAD, MLD queries, errors) fed
 * one arbitrary IPv6 packet after its start (DAD over), to its MAC, all nodes or its solicited-node group, its ICMPv6
 * checksum fixed up for a share of the inputs so they reach the ND and MLD parsers; the clock then moves so the timers
 * run. It never throws, and every frame it sends is a sound IPv6 packet within the MTU whose ICMPv6 checksum verifies.
 * Input: {@code [IPv6 packet][clock steps][fix checksum?][destination kind]} (the last bytes read first).
 */
class Ipv6HostFuzzTest
{
    private static final long MAC = 0x0200_0000_0002L;
    private static final long PEER_MAC = 0x0200_0000_0001L;

    @FuzzTest(maxDuration = "150s")
    void arbitraryPacketsNeverBreakTheIpv6Host(final FuzzedDataProvider data)
    {
        final int destination = data.consumeInt(0, 2);
        final boolean fixChecksum = data.consumeBoolean();
        final int clockSteps = data.consumeInt(0, 3);
        final byte[] packet = data.consumeRemainingAsBytes();
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 64);
        final FrameDevice peer = pair.a();
        final Interface iface = new Interface(pair.b(), InterfaceConfig.builder("10.0.0.2/24").mac(MAC).seed(1)
            .build());
        iface.ipv6().autoconfigure();
        long now = 1_000_000_000L;
        for (int i = 0; i < 40; i++, now += 100_000_000L)
        {
            iface.poll(now);
            drainAndCheck(peer);
        }
        final int frameLength = EthernetFrame.HEADER_LENGTH + packet.length;
        if (frameLength <= 1514)
        {
            final MutableDirectBuffer frame = peer.claim(frameLength);
            final long dstMac = destination == 0 ? MAC : destination == 1 ? Ipv6Address.multicastMac(1)
                : Ipv6Address.multicastMac(Ipv6Address.solicitedNodeLo(0x00FF_FE00_0002L));
            new EthernetFrame().wrap(frame, 0, frameLength).destination(dstMac).source(PEER_MAC)
                .etherType(EthernetFrame.ETHERTYPE_IPV6);
            frame.putBytes(EthernetFrame.HEADER_LENGTH, packet);
            if (fixChecksum)
            {
                fixIcmpv6Checksum(frame, packet.length);
            }
            peer.commit(frameLength);
        }
        for (int i = 0; i <= clockSteps * 20; i++, now += 250_000_000L)
        {
            iface.poll(now);
            drainAndCheck(peer);
        }
    }

    /** When the packet is IPv6 with ICMPv6 right after its header, fills in the ICMPv6 checksum. */
    private static void fixIcmpv6Checksum(final MutableDirectBuffer frame, final int length)
    {
        final Ipv6Packet ip = new Ipv6Packet();
        if (!ip.wrapChecked(frame, EthernetFrame.HEADER_LENGTH, length) || ip.nextHeader() != 58
            || ip.payloadLength() < Icmpv6Packet.HEADER_LENGTH)
        {
            return;
        }
        final int at = EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH;
        new Icmpv6Packet().wrap(frame, at, ip.payloadLength()).finish(frame.getByte(at) & 0xFF,
            frame.getByte(at + 1) & 0xFF, ip.sourceHi(), ip.sourceLo(), ip.destinationHi(), ip.destinationLo());
    }

    private static void drainAndCheck(final FrameDevice peer)
    {
        peer.receive((buffer, offset, length) ->
        {
            assertTrue(length <= 1514, "within the MTU");
            if (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) != (short)EthernetFrame.ETHERTYPE_IPV6)
            {
                return;
            }
            final UnsafeBuffer copy = new UnsafeBuffer(FuzzSupport.copy(buffer, offset, length));
            final Ipv6Packet ip = new Ipv6Packet();
            assertTrue(ip.wrapChecked(copy, EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH),
                "a sound IPv6 header");
            if (ip.nextHeader() == Ipv6Packet.NEXT_HEADER_ICMPV6)
            {
                assertTrue(new Icmpv6Packet().wrap(copy, EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH,
                    ip.payloadLength()).verifyChecksum(ip.sourceHi(), ip.sourceLo(), ip.destinationHi(),
                        ip.destinationLo()), "the ICMPv6 checksum verifies");
            }
        }, Integer.MAX_VALUE);
    }
}
