package io.conntest.stack.offload;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpState;
import io.conntest.stack.tcp.service.EchoService;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv6Address;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Two interfaces with TCP, A (10.0.0.1, the client) and B (10.0.0.2, an echo service on port 7), over an
 * {@link InMemoryDevicePair} with or without offloads, optionally impaired on A's side by a seeded
 * {@link FaultInjectingDevice}, stepped on a manual clock. {@link #echo(long, long)} writes a position-derived
 * pattern and checks every echoed byte.
 */
final class OffloadLink
{
    static final int A = Ipv4Address.parse("10.0.0.1");
    static final int B = Ipv4Address.parse("10.0.0.2");
    static final long STEP_NS = 10_000;
    /** IPv6 mode: A and B also have these addresses (configured, through DAD), and the client connects to B's. */
    static final long[] A6 = Ipv6Address.parse("fd00:c0:6::1");
    static final long[] B6 = Ipv6Address.parse("fd00:c0:6::2");

    final ManualClock clock = new ManualClock(1_000_000_000L);
    final InMemoryDevicePair pair;
    final FaultInjectingDevice faults;
    final Interface a;
    final Interface b;
    final TcpProtocol tcpA;
    final TcpProtocol tcpB;
    final EchoService echo;
    final boolean ipv6;
    TcpSocket client;
    long written;
    long received;
    long mismatchAt = -1;

    OffloadLink(final InMemoryDevicePair.LinkOffload offload, final FaultConfig faultConfig, final long seed)
    {
        this(offload, faultConfig, seed, false);
    }

    /** With {@code ipv6}: TCP between A's and B's IPv6 addresses, once both passed DAD (simulated time). */
    OffloadLink(final InMemoryDevicePair.LinkOffload offload, final FaultConfig faultConfig, final long seed,
        final boolean ipv6)
    {
        this.ipv6 = ipv6;
        pair = new InMemoryDevicePair(1500, offload == InMemoryDevicePair.LinkOffload.SUPER_FRAMES ? 256 : 4096,
            offload);
        FrameDevice devA = pair.a();
        if (!faultConfig.isNone())
        {
            faults = FaultInjectingDevice.symmetric(pair.a(), faultConfig, seed, clock::nowNs);
            devA = faults;
        }
        else
        {
            faults = null;
        }
        a = new Interface(devA, InterfaceConfig.builder(A, 24).seed(seed).build());
        b = new Interface(pair.b(), InterfaceConfig.builder(B, 24).seed(seed + 1).build());
        final TcpConfig config = new TcpConfig().sendBufferBytes(1 << 20).receiveBufferBytes(1 << 20);
        tcpA = new TcpProtocol(config, A, seed + 2, seed + 3);
        tcpB = new TcpProtocol(config, B, seed + 4, seed + 5);
        a.addProtocol(tcpA);
        b.addProtocol(tcpB);
        echo = new EchoService(tcpB, 7, 4);
        if (ipv6)
        {
            a.ipv6().addStaticAddress(A6[0], A6[1], 64);
            b.ipv6().addStaticAddress(B6[0], B6[1], 64);
            for (int i = 0; i < 100_000 && (a.ipv6().globalAddress() == null || b.ipv6().globalAddress() == null); i++)
            {
                step();
            }
            if (a.ipv6().globalAddress() == null || b.ipv6().globalAddress() == null)
            {
                throw new IllegalStateException("DAD did not finish: " + a.ipv6().addresses() + " "
                    + b.ipv6().addresses());
            }
        }
    }

    /** Opens the client and connects it to B's echo service, over IPv6 in IPv6 mode. */
    TcpSocket connectClient()
    {
        client = tcpA.openSocket();
        if (ipv6)
        {
            client.connect6(B6[0], B6[1], 7);
        }
        else
        {
            client.connect(B, 7);
        }
        return client;
    }

    static byte pattern(final long position)
    {
        final long x = position * 0x9E3779B97F4A7C15L;
        return (byte)(x >>> 56 ^ x >>> 29);
    }

    /** Polls both interfaces once, then moves the clock by a step or to the next deadline. */
    void step()
    {
        final long now = clock.nowNs();
        final boolean busy = a.poll(now) | b.poll(now);
        if (busy)
        {
            clock.advanceNs(STEP_NS);
            return;
        }
        long next = Math.min(a.pollAtNs(now), b.pollAtNs(now));
        if (faults != null)
        {
            next = Math.min(next, faults.nextDeadlineNs());
        }
        clock.setNs(Math.max(now + STEP_NS, Math.min(next, now + 1_000_000_000L)));
    }

    /**
     * Sends {@code bytes} from A to B's echo service and reads them back, checking each byte; ends when all came
     * back or {@code maxSimNs} of simulated time passed.
     *
     * @return whether every byte came back.
     */
    boolean echo(final long bytes, final long maxSimNs)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[65536]);
        connectClient();
        final long end = clock.nowNs() + maxSimNs;
        while (received < bytes && clock.nowNs() < end && client.state() != TcpState.CLOSED)
        {
            if (client.isEstablished() && written < bytes)
            {
                final int chunk = (int)Math.min(Math.min(out.capacity(), client.writableBytes()), bytes - written);
                for (int i = 0; i < chunk; i++)
                {
                    out.putByte(i, pattern(written + i));
                }
                final int n = chunk > 0 ? client.write(out, 0, chunk) : 0;
                written += Math.max(0, n);
            }
            int n;
            while ((n = client.read(in, 0, in.capacity())) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (in.getByte(i) != pattern(received + i) && mismatchAt < 0)
                    {
                        mismatchAt = received + i;
                    }
                }
                received += n;
            }
            step();
        }
        return received == bytes && mismatchAt < 0;
    }
}
