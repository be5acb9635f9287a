package io.conntest.bench.micro;

import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.EthernetRepr;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Icmpv4Repr;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Parse (view + repr, checksums verified) and emit (repr into a view, checksums filled) of each header the stack
 * handles per packet: Ethernet, ARP, IPv4, ICMP echo with 56 data bytes, UDP with 1,472 payload bytes (a full
 * 1500-MTU datagram, so the payload checksum dominates). Each must allocate nothing: run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HeaderBenchmark
{
    private static final int SRC = 0x0A000001;
    private static final int DST = 0x0A000002;
    private static final long SRC_MAC = 0x02_00_00_00_00_01L;
    private static final long DST_MAC = 0x02_00_00_00_00_02L;
    private static final int UDP_PAYLOAD = 1472;
    private static final int ICMP_DATA = 56;

    private final UnsafeBuffer ethBytes = buffer(64);
    private final UnsafeBuffer arpBytes = buffer(64);
    private final UnsafeBuffer ipBytes = buffer(64);
    private final UnsafeBuffer icmpBytes = buffer(128);
    private final UnsafeBuffer udpBytes = buffer(1536);
    private final UnsafeBuffer scratch = buffer(1536);

    private final EthernetFrame eth = new EthernetFrame();
    private final EthernetRepr ethRepr = new EthernetRepr();
    private final ArpPacket arp = new ArpPacket();
    private final ArpRepr arpRepr = new ArpRepr();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv4Repr ipRepr = new Ipv4Repr();
    private final Icmpv4Packet icmp = new Icmpv4Packet();
    private final Icmpv4Repr icmpRepr = new Icmpv4Repr();
    private final UdpPacket udp = new UdpPacket();
    private final UdpRepr udpRepr = new UdpRepr();

    @Setup
    public void setUp()
    {
        final byte[] random = new byte[1536];
        new SplittableRandom(42).nextBytes(random);
        scratch.putBytes(0, random);

        ethRepr.set(SRC_MAC, DST_MAC, EthernetFrame.ETHERTYPE_IPV4).emit(eth.wrap(ethBytes, 0, 60));
        arpRepr.set(ArpPacket.OPERATION_REQUEST, SRC_MAC, SRC, 0, DST).emit(arp.wrap(arpBytes, 0, ArpPacket.LENGTH));
        ipRepr.set(SRC, DST, Ipv4Packet.PROTOCOL_UDP, 0, 1, true).emit(ip.wrap(ipBytes, 0, 20));
        icmpRepr.echo(true, 7, 1, scratch, 0, ICMP_DATA).emit(icmp.wrap(icmpBytes, 0, 8 + ICMP_DATA));
        udpRepr.set(40000, 7, UDP_PAYLOAD).emit(udp.wrap(udpBytes, 0, 8 + UDP_PAYLOAD), SRC, DST, scratch, 0);
    }

    private static UnsafeBuffer buffer(final int length)
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64));
    }

    @Benchmark
    public int ethernetParse()
    {
        if (!eth.wrapChecked(ethBytes, 0, 60) || !ethRepr.parse(eth))
        {
            throw new IllegalStateException();
        }
        return ethRepr.etherType();
    }

    @Benchmark
    public EthernetFrame ethernetEmit()
    {
        ethRepr.emit(eth.wrap(scratch, 0, 60));
        return eth;
    }

    @Benchmark
    public int arpParse()
    {
        if (!arp.wrapChecked(arpBytes, 0, ArpPacket.LENGTH) || !arpRepr.parse(arp))
        {
            throw new IllegalStateException();
        }
        return arpRepr.targetIp();
    }

    @Benchmark
    public ArpPacket arpEmit()
    {
        arpRepr.emit(arp.wrap(scratch, 0, ArpPacket.LENGTH));
        return arp;
    }

    @Benchmark
    public int ipv4Parse()
    {
        if (!ip.wrapChecked(ipBytes, 0, 20) || !ipRepr.parse(ip))
        {
            throw new IllegalStateException();
        }
        return ipRepr.destinationAddress();
    }

    @Benchmark
    public Ipv4Packet ipv4Emit()
    {
        ipRepr.emit(ip.wrap(scratch, 0, 20));
        return ip;
    }

    @Benchmark
    public int icmpParse()
    {
        if (!icmp.wrapChecked(icmpBytes, 0, 8 + ICMP_DATA) || !icmpRepr.parse(icmp))
        {
            throw new IllegalStateException();
        }
        return icmpRepr.sequence();
    }

    @Benchmark
    public Icmpv4Packet icmpEmit()
    {
        icmpRepr.echo(false, 7, 1, icmpBytes, 8, ICMP_DATA).emit(icmp.wrap(scratch, 0, 8 + ICMP_DATA));
        return icmp;
    }

    @Benchmark
    public int udpParse()
    {
        if (!udp.wrapChecked(udpBytes, 0, 8 + UDP_PAYLOAD) || !udpRepr.parse(udp, SRC, DST))
        {
            throw new IllegalStateException();
        }
        return udpRepr.destinationPort();
    }

    @Benchmark
    public UdpPacket udpEmit()
    {
        udpRepr.set(40000, 7, UDP_PAYLOAD).emit(udp.wrap(scratch, 0, 8 + UDP_PAYLOAD), SRC, DST);
        return udp;
    }
}
