package io.conntest.stack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** RFC 8200 §4's verdicts on extension header chains, and that no chain walks past its packet. */
class Ipv6ExtensionWalkerTest
{
    private static final boolean[] KNOWN = new boolean[256];

    static
    {
        KNOWN[Ipv6Packet.NEXT_HEADER_TCP] = true;
        KNOWN[Ipv6Packet.NEXT_HEADER_UDP] = true;
        KNOWN[Ipv6Packet.NEXT_HEADER_ICMPV6] = true;
    }

    private final Ipv6ExtensionWalker walker = new Ipv6ExtensionWalker();
    private final UnsafeBuffer b = new UnsafeBuffer(new byte[512]);
    private int length;

    /** A packet: the fixed header naming {@code first}, then the given extension header bytes, then 8 bytes. */
    private void packet(final int first, final int... extensionBytes)
    {
        new Ipv6Packet().wrap(b, 0, 40).header(0, 0, extensionBytes.length + 8, first, 64, 0, 1, 0, 2);
        for (int i = 0; i < extensionBytes.length; i++)
        {
            b.putByte(40 + i, (byte)extensionBytes[i]);
        }
        length = 40 + extensionBytes.length + 8;
    }

    private int walk(final boolean multicast)
    {
        return walker.walk(b, 0, length, KNOWN, multicast);
    }

    @Test
    void anUpperLayerRightAfterTheHeader()
    {
        packet(Ipv6Packet.NEXT_HEADER_UDP);
        assertEquals(Ipv6ExtensionWalker.UPPER, walk(false));
        assertEquals(17, walker.upperProtocol());
        assertEquals(40, walker.upperOffset());
    }

    @Test
    void optionsArePaddedSkippedOrActedOnByTheirHighBits()
    {
        // hop-by-hop: next UDP, length 0 (8 bytes): Pad1, PadN of 4, Pad1
        packet(0, 17, 0, 0, 1, 2, 0, 0, 0);
        assertEquals(Ipv6ExtensionWalker.UPPER, walk(false));
        assertEquals(48, walker.upperOffset());
        // an unknown option of action 00: skipped
        packet(0, 17, 0, 0x1E, 2, 0, 0, 1, 0);
        assertEquals(Ipv6ExtensionWalker.UPPER, walk(false));
        // 01: discarded silently
        packet(0, 17, 0, 0x5E, 2, 0, 0, 1, 0);
        assertEquals(Ipv6ExtensionWalker.DISCARD, walk(false));
        // 10: a Parameter Problem code 2 pointing at the option's type octet
        packet(60, 17, 0, 1, 1, 0, 0x9E, 0, 0);
        assertEquals(Ipv6ExtensionWalker.PARAMETER_PROBLEM, walk(true));
        assertEquals(Ipv6ExtensionWalker.CODE_UNRECOGNIZED_OPTION, walker.problemCode());
        assertEquals(45, walker.problemPointer());
        // 11: the same, but silent when the destination was multicast
        packet(60, 17, 0, 0xDE, 2, 0, 0, 1, 0);
        assertEquals(Ipv6ExtensionWalker.PARAMETER_PROBLEM, walk(false));
        assertEquals(Ipv6ExtensionWalker.DISCARD, walk(true));
        // an option whose length runs past its header
        packet(60, 17, 0, 0x1E, 9, 0, 0, 0, 0);
        assertEquals(Ipv6ExtensionWalker.DISCARD, walk(false));
    }

    @Test
    void hopByHopOnlyFirst()
    {
        // destination options, then hop-by-hop: code 1 at the destination options header's next-header field
        packet(60, 0, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0);
        assertEquals(Ipv6ExtensionWalker.PARAMETER_PROBLEM, walk(false));
        assertEquals(Ipv6ExtensionWalker.CODE_UNRECOGNIZED_NEXT_HEADER, walker.problemCode());
        assertEquals(40, walker.problemPointer());
    }

    @Test
    void routingHeadersAHostDoesNotProcess()
    {
        // type 0 (deprecated), segments left 0: ignored
        packet(43, 17, 0, 0, 0, 0, 0, 0, 0);
        assertEquals(Ipv6ExtensionWalker.UPPER, walk(false));
        // segments left 1: a Parameter Problem code 0 at the routing type
        packet(43, 17, 0, 0, 1, 0, 0, 0, 0);
        assertEquals(Ipv6ExtensionWalker.PARAMETER_PROBLEM, walk(false));
        assertEquals(Ipv6ExtensionWalker.CODE_ERRONEOUS_FIELD, walker.problemCode());
        assertEquals(42, walker.problemPointer());
    }

    @Test
    void fragmentsAndAtomicFragments()
    {
        // RFC 6946: offset 0 and no more fragments: the whole packet, processed as if unfragmented
        packet(44, 17, 0, 0, 0, 0x12, 0x34, 0x56, 0x78);
        assertEquals(Ipv6ExtensionWalker.UPPER, walk(false));
        assertEquals(48, walker.upperOffset());
        // offset 1480 (185 << 3), more fragments
        packet(44, 58, 0, 0x05, 0xC9, 0xCA, 0xFE, 0xBA, 0xBE);
        assertEquals(Ipv6ExtensionWalker.FRAGMENT, walk(false));
        assertEquals(1480, walker.fragmentOffset());
        assertTrue(walker.moreFragments());
        assertEquals(0xCAFEBABE, walker.fragmentId());
        assertEquals(58, walker.fragmentNextHeader());
        assertEquals(48, walker.fragmentableOffset());
    }

    @Test
    void unknownNextHeadersNoNextHeaderAndLongChains()
    {
        packet(99);
        assertEquals(Ipv6ExtensionWalker.PARAMETER_PROBLEM, walk(false));
        assertEquals(Ipv6ExtensionWalker.CODE_UNRECOGNIZED_NEXT_HEADER, walker.problemCode());
        assertEquals(Ipv6Packet.NEXT_HEADER_OFFSET, walker.problemPointer());
        packet(59);
        assertEquals(Ipv6ExtensionWalker.DISCARD, walk(false));
        // nine destination options headers: past the bound
        final int[] chain = new int[9 * 8];
        for (int i = 0; i < 9; i++)
        {
            chain[i * 8] = i == 8 ? 17 : 60;
            chain[i * 8 + 2] = 1;
            chain[i * 8 + 3] = 4;
        }
        packet(60, chain);
        assertEquals(Ipv6ExtensionWalker.DISCARD, walk(false));
        // a header longer than the packet
        packet(60, 17, 30, 1, 4, 0, 0, 0, 0);
        length = 48;
        assertEquals(Ipv6ExtensionWalker.DISCARD, walk(false));
    }

    @Test
    void randomChainsNeverPointOutsideThePacket()
    {
        final SplittableRandom random = new SplittableRandom(13);
        final int[] nexts = {0, 43, 44, 60, 6, 17, 58, 59, 99};
        for (int i = 0; i < 50_000; i++)
        {
            final int n = random.nextInt(0, 200);
            final int[] bytes = new int[n];
            for (int k = 0; k < n; k++)
            {
                bytes[k] = k % 8 == 0 ? nexts[random.nextInt(nexts.length)] : random.nextInt(256);
            }
            packet(nexts[random.nextInt(nexts.length)], bytes);
            length = 40 + random.nextInt(0, n + 9);
            final int verdict = walk(random.nextBoolean());
            if (verdict == Ipv6ExtensionWalker.UPPER)
            {
                assertTrue(walker.upperOffset() <= length, "upper offset inside the packet");
            }
            else if (verdict == Ipv6ExtensionWalker.FRAGMENT)
            {
                assertTrue(walker.fragmentableOffset() <= length);
            }
            else if (verdict == Ipv6ExtensionWalker.PARAMETER_PROBLEM)
            {
                assertTrue(walker.problemPointer() < length, "pointer " + walker.problemPointer() + " in " + length);
            }
            assertFalse(verdict < 0 || verdict > 3);
        }
    }
}
