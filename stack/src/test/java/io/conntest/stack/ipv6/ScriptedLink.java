package io.conntest.stack.ipv6;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv6Packet;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.NdpMessage;

/**
 * One interface (MAC 02:00:00:00:00:02) on an in-memory cable on a manual clock, and a scripted router/peer at the
 * other end ({@code fe80::1}, MAC 02:00:00:00:00:01): the test writes the peer's IPv6 frames (checksummed) and reads
 * the IPv6 frames the interface sent. Time moves only by {@link #runUntil}: to the interface's next deadline.
 */
final class ScriptedLink
{
    static final long MAC = 0x0200_0000_0002L;
    static final long PEER_MAC = 0x0200_0000_0001L;
    static final long[] ROUTER = Ipv6Address.parse("fe80::1");
    static final long[] PREFIX = Ipv6Address.parse("2001:db8:1::");
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    final ManualClock clock = new ManualClock(5_000_000_000L);
    final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 256);
    final FrameDevice peer = pair.a();
    final Interface iface;
    final Ipv6Host host;
    /** Every IPv6 frame the interface sent, in order (ARP and IPv4 left out). */
    final List<byte[]> sent = new ArrayList<>();
    /** When each of {@link #sent} was sent. */
    final List<Long> sentAtNs = new ArrayList<>();

    ScriptedLink(final long seed)
    {
        this(seed, true);
    }

    /** With autoconfiguration ({@link Ipv6Host#autoconfigure()}) or without. */
    ScriptedLink(final long seed, final boolean autoconfigure)
    {
        iface = new Interface(pair.b(), InterfaceConfig.builder("10.0.0.2/24").mac(MAC).seed(seed).build());
        host = iface.ipv6();
        if (autoconfigure)
        {
            host.autoconfigure();
        }
    }

    long now()
    {
        return clock.nowNs();
    }

    /** Polls, moving the clock to each next deadline, until {@code done} or {@code maxNs} of clock time passed. */
    void runUntil(final BooleanSupplier done, final long maxNs)
    {
        final long end = clock.nowNs() + maxNs;
        for (int turns = 0; turns < 100_000 && !done.getAsBoolean(); turns++)
        {
            iface.poll(clock.nowNs());
            collect();
            if (done.getAsBoolean())
            {
                return;
            }
            final long next = iface.pollAtNs(clock.nowNs());
            if (next - end > 0 || next == Long.MAX_VALUE)
            {
                clock.setNs(end);
                iface.poll(clock.nowNs());
                collect();
                return;
            }
            clock.setNs(Math.max(next, clock.nowNs()));
        }
    }

    /** Runs for {@code ns} of clock time. */
    void runFor(final long ns)
    {
        runUntil(() -> false, ns);
    }

    /** Brings the link-local address through DAD. */
    void start()
    {
        runUntil(host::linkLocalReady, 3_000_000_000L);
        if (!host.linkLocalReady())
        {
            throw new AssertionError("link-local not ready: " + host.addresses() + " " + host.counters());
        }
    }

    private void collect()
    {
        peer.receive((buffer, offset, length) ->
        {
            if (length > 14 && buffer.getShort(offset + 12, BE) == (short)0x86DD)
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                sent.add(copy);
                sentAtNs.add(clock.nowNs());
            }
        }, Integer.MAX_VALUE);
    }

    /** The ICMPv6 type of a sent frame (after a hop-by-hop header if any), -1 when not ICMPv6. */
    static int icmpType(final byte[] frame)
    {
        final int next = frame[14 + 6] & 0xFF;
        if (next == 58)
        {
            return frame[54] & 0xFF;
        }
        if (next == 0 && (frame[54] & 0xFF) == 58)
        {
            return frame[54 + 8 * ((frame[55] & 0xFF) + 1)] & 0xFF;
        }
        return -1;
    }

    List<byte[]> sentOfType(final int type)
    {
        return sent.stream().filter(f -> icmpType(f) == type).toList();
    }

    /** When the frames of {@code type} were sent. */
    List<Long> timesOfType(final int type)
    {
        final List<Long> times = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++)
        {
            if (icmpType(sent.get(i)) == type)
            {
                times.add(sentAtNs.get(i));
            }
        }
        return times;
    }

    static long dstMac(final byte[] frame)
    {
        return MacAddress.get(new UnsafeBuffer(frame), 0);
    }

    static long[] src(final byte[] frame)
    {
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        return new long[] {b.getLong(22, BE), b.getLong(30, BE)};
    }

    static long[] dst(final byte[] frame)
    {
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        return new long[] {b.getLong(38, BE), b.getLong(46, BE)};
    }

    /** The NS/NA target of a sent frame. */
    static long[] target(final byte[] frame)
    {
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        return new long[] {b.getLong(62, BE), b.getLong(70, BE)};
    }

    /** Writes a frame from the peer with an ICMPv6 {@code body} (type and code first; checksum filled) and polls. */
    void inject(final long dstMac, final long[] src, final long[] dst, final int hopLimit, final byte[] body)
    {
        final byte[] bytes = new byte[14 + 40 + body.length];
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        new EthernetFrame().wrap(b, 0, bytes.length).destination(dstMac).source(PEER_MAC)
            .etherType(EthernetFrame.ETHERTYPE_IPV6);
        new Ipv6Packet().wrap(b, 14, 40 + body.length).header(0, 0, body.length, 58, hopLimit, src[0], src[1], dst[0],
            dst[1]);
        b.putBytes(54, body);
        new Icmpv6Packet().wrap(b, 54, body.length).finish(body[0] & 0xFF, body[1] & 0xFF, src[0], src[1], dst[0],
            dst[1]);
        injectRaw(bytes);
    }

    void injectRaw(final byte[] frame)
    {
        final MutableDirectBuffer slot = peer.claim(frame.length);
        slot.putBytes(0, frame);
        peer.commit(frame.length);
        iface.poll(clock.nowNs());
        collect();
    }

    /** A Router Advertisement from {@link #ROUTER} to all nodes with one prefix option (and MTU option if > 0). */
    void advertise(final long[] prefix, final int prefixFlags, final long validS, final long preferredS,
        final int routerLifetimeS, final int mtu)
    {
        final byte[] ra = new byte[16 + 8 + 32 + (mtu > 0 ? 8 : 0)];
        final UnsafeBuffer b = new UnsafeBuffer(ra);
        b.putByte(0, (byte)Icmpv6Packet.TYPE_ROUTER_ADVERTISEMENT);
        b.putByte(4, (byte)64);
        b.putShort(6, (short)routerLifetimeS, BE);
        b.putByte(16, (byte)NdpMessage.OPTION_SOURCE_LINK_LAYER);
        b.putByte(17, (byte)1);
        MacAddress.put(b, 18, PEER_MAC);
        b.putByte(24, (byte)NdpMessage.OPTION_PREFIX_INFORMATION);
        b.putByte(25, (byte)4);
        b.putByte(26, (byte)64);
        b.putByte(27, (byte)prefixFlags);
        b.putInt(28, (int)validS, BE);
        b.putInt(32, (int)preferredS, BE);
        b.putLong(40, prefix[0], BE);
        b.putLong(48, prefix[1], BE);
        if (mtu > 0)
        {
            b.putByte(56, (byte)NdpMessage.OPTION_MTU);
            b.putByte(57, (byte)1);
            b.putInt(60, mtu, BE);
        }
        inject(Ipv6Address.multicastMac(1), ROUTER, new long[] {Ipv6Address.ALL_NODES_HI, 1}, 255, ra);
    }

    /** A Neighbor Solicitation or Advertisement body for {@code target}, with a link-layer option when asked. */
    static byte[] ndp(final int type, final int flags, final long[] target, final int optionType, final long mac)
    {
        final byte[] body = new byte[24 + (optionType > 0 ? 8 : 0)];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putByte(0, (byte)type);
        b.putByte(4, (byte)flags);
        b.putLong(8, target[0], BE);
        b.putLong(16, target[1], BE);
        if (optionType > 0)
        {
            b.putByte(24, (byte)optionType);
            b.putByte(25, (byte)1);
            MacAddress.put(b, 26, mac);
        }
        return body;
    }

    /** An echo request body with identifier, sequence and 8 data bytes. */
    static byte[] echoRequest(final int sequence)
    {
        final byte[] body = new byte[16];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putByte(0, (byte)Icmpv6Packet.TYPE_ECHO_REQUEST);
        b.putShort(4, (short)0x1234, BE);
        b.putShort(6, (short)sequence, BE);
        b.putLong(8, 0x636f_6e6e_7465_7374L, BE);
        return body;
    }

    static long[] parse(final String address)
    {
        return Ipv6Address.parse(address);
    }

    long count(final Ipv6Counter counter)
    {
        return host.counters().get(counter);
    }
}
