package io.conntest.bench.micro;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One UDP datagram from a client socket on one {@link NetworkStack} to the {@link UdpEchoService} of another and
 * back, both stacks over an {@link InMemoryDevicePair} on this thread: the whole per-datagram path twice (socket
 * queue, UDP, IPv4, Ethernet, device; and up again), with the ARP exchange done once in setup. The time is per
 * round trip; allocation per round trip must be ~0 ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class UdpEchoRoundTripBenchmark implements UdpSocketListener, UdpDatagramHandler
{
    private static final int CLIENT = 0x0A000001;
    private static final int SERVER = 0x0A000002;
    private static final int MAX_POLLS = 1_000;

    @Param({"64", "1472"})
    public int payload;

    private NetworkStack client;
    private NetworkStack server;
    private UdpSocket socket;
    private UnsafeBuffer data;
    private long nowNs;
    private int received;

    @Setup
    public void setUp()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair();
        client = new NetworkStack(pair.a(), InterfaceConfig.builder(CLIENT, 24).seed(1).build());
        server = new NetworkStack(pair.b(), InterfaceConfig.builder(SERVER, 24).seed(2).build());
        new UdpEchoService(server.udp(), 7);
        socket = client.udp().open(this);
        socket.bind(40000);
        data = new UnsafeBuffer(ByteBuffer.allocateDirect(payload));
        nowNs = 1_000_000_000L;
        // The first round trip resolves ARP on both sides; every later one is the steady state.
        roundTrip();
    }

    @Benchmark
    public int roundTrip()
    {
        final int before = received;
        if (!socket.sendTo(SERVER, 7, data, 0, payload))
        {
            throw new IllegalStateException("send queue full");
        }
        for (int i = 0; i < MAX_POLLS && received == before; i++)
        {
            nowNs += 1_000;
            client.poll(nowNs);
            server.poll(nowNs);
        }
        if (received == before)
        {
            throw new IllegalStateException("no echo after " + MAX_POLLS + " polls");
        }
        return received;
    }

    @Override
    public void onReadable(final UdpSocket socket)
    {
        socket.receive(this, Integer.MAX_VALUE);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        received++;
    }
}
