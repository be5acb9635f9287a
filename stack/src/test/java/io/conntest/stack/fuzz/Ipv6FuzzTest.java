package io.conntest.stack.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.Ipv6ExtensionWalker;
import io.conntest.stack.wire.NdpMessage;
import io.conntest.stack.wire.Ipv6Packet;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IPv6 ({@link Ipv6Packet}, {@link Ipv6ExtensionWalker}, RFC 8200): wrapping never throws and accepts exactly a
 * version-6 header whose payload fits; the extension header walk of an accepted packet never throws and never points
 * outside it, whatever the chain says. Input: {@code [packet bytes][multicast?][offset 0..7]}.
 */
class Ipv6FuzzTest
{
    private static final boolean[] KNOWN = new boolean[256];

    static
    {
        KNOWN[Ipv6Packet.NEXT_HEADER_TCP] = true;
        KNOWN[Ipv6Packet.NEXT_HEADER_UDP] = true;
        KNOWN[Ipv6Packet.NEXT_HEADER_ICMPV6] = true;
    }

    /** A Neighbor Discovery message that validates reads within itself: every accessor and option walk. */
    private static void neighborDiscovery(final Ipv6Packet packet, final UnsafeBuffer buffer, final int at,
        final int length)
    {
        final NdpMessage ndp = new NdpMessage();
        if (!ndp.wrap(buffer, at, length, packet.hopLimit(), packet.sourceHi(), packet.sourceLo(),
            packet.destinationHi(), packet.destinationLo()))
        {
            return;
        }
        ndp.flags();
        ndp.linkLayerAddress(NdpMessage.OPTION_SOURCE_LINK_LAYER);
        ndp.linkLayerAddress(NdpMessage.OPTION_TARGET_LINK_LAYER);
        ndp.mtu();
        ndp.targetHi();
        ndp.targetLo();
        ndp.currentHopLimit();
        ndp.routerLifetime();
        ndp.reachableTime();
        ndp.retransTimer();
        int prefixes = 0;
        while (ndp.nextPrefix())
        {
            ndp.prefixHi();
            ndp.prefixLo();
            ndp.prefixPreferredLifetime();
            assertTrue(++prefixes <= length / 32, "each prefix option is 32 bytes of the message");
        }
    }

    @FuzzTest(maxDuration = "150s")
    void walkStaysInsideThePacket(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final boolean multicast = data.consumeBoolean();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = FuzzSupport.exact(bytes, offset);
        final Ipv6Packet packet = new Ipv6Packet();
        final boolean wrapped = packet.wrapChecked(buffer, offset, bytes.length);
        final boolean sound = bytes.length >= Ipv6Packet.HEADER_LENGTH && (bytes[0] & 0xF0) == 0x60
            && Ipv6Packet.HEADER_LENGTH + ((bytes[4] & 0xFF) << 8 | (bytes[5] & 0xFF)) <= bytes.length;
        assertEquals(sound, wrapped, "wrapChecked accepts exactly a sound header");
        if (!wrapped)
        {
            return;
        }
        final Ipv6ExtensionWalker walker = new Ipv6ExtensionWalker();
        final int end = offset + packet.length();
        switch (walker.walk(buffer, offset, packet.length(), KNOWN, multicast))
        {
            case Ipv6ExtensionWalker.UPPER -> {
                assertTrue(walker.upperOffset() <= end && KNOWN[walker.upperProtocol()]);
                if (walker.upperProtocol() == Ipv6Packet.NEXT_HEADER_ICMPV6)
                {
                    neighborDiscovery(packet, buffer, walker.upperOffset(), end - walker.upperOffset());
                }
            }
            case Ipv6ExtensionWalker.FRAGMENT -> assertTrue(walker.fragmentableOffset() <= end
                && walker.fragmentOffset() % 8 == 0);
            case Ipv6ExtensionWalker.PARAMETER_PROBLEM -> assertTrue(walker.problemPointer() < packet.length()
                && walker.problemCode() >= 0 && walker.problemCode() <= 2);
            case Ipv6ExtensionWalker.DISCARD -> { }
            default -> throw new AssertionError("unknown verdict");
        }
    }
}
