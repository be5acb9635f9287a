package io.conntest.bench.micro;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.service.DiscardService;
import io.conntest.stack.tcp.service.TcpService;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * TCP segment processing in and out: an established connection between two {@link NetworkStack}s over an
 * {@link InMemoryDevicePair} on this thread moves 64 KiB per operation (45 full segments of 1,460 bytes out of
 * the sender, in at the receiver, plus the ACKs going back), polling both stacks until the receiver's discard
 * service has it. Divide the time by 45 for the cost per data segment (both ends). Allocation per operation
 * must be ~0 ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TcpTransferBenchmark
{
    private static final int CLIENT = 0x0A000001;
    private static final int SERVER = 0x0A000002;
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_POLLS = 100_000;

    private NetworkStack client;
    private NetworkStack server;
    private TcpService discard;
    private TcpSocket socket;
    private UnsafeBuffer data;
    private long nowNs;

    @Setup
    public void setUp()
    {
        // A queue deep enough for a full window: the in-memory cable stands for a TAP, which does not push back.
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 4096);
        client = new NetworkStack(pair.a(), InterfaceConfig.builder(CLIENT, 24).seed(1).build());
        server = new NetworkStack(pair.b(), InterfaceConfig.builder(SERVER, 24).seed(2).build());
        final TcpProtocol clientTcp = new TcpProtocol(new TcpConfig(), CLIENT);
        final TcpProtocol serverTcp = new TcpProtocol(new TcpConfig(), SERVER);
        client.addProtocol(clientTcp);
        server.addProtocol(serverTcp);
        discard = new DiscardService(serverTcp, 9, 4);
        data = new UnsafeBuffer(ByteBuffer.allocateDirect(CHUNK));
        nowNs = 1_000_000_000L;
        socket = clientTcp.openSocket();
        if (!socket.connect(SERVER, 9))
        {
            throw new IllegalStateException("connect refused");
        }
        for (int i = 0; i < MAX_POLLS && !socket.isEstablished(); i++)
        {
            pollBoth();
        }
        if (!socket.isEstablished())
        {
            throw new IllegalStateException("no connection: " + socket);
        }
    }

    private void pollBoth()
    {
        nowNs += 1_000;
        client.poll(nowNs);
        server.poll(nowNs);
    }

    @Benchmark
    public long transfer64KiB()
    {
        final long target = discard.bytesIn() + CHUNK;
        int written = 0;
        for (int i = 0; i < MAX_POLLS && discard.bytesIn() < target; i++)
        {
            if (written < CHUNK)
            {
                written += Math.max(0, socket.write(data, written, CHUNK - written));
            }
            pollBoth();
        }
        if (discard.bytesIn() < target)
        {
            throw new IllegalStateException("64 KiB not delivered in " + MAX_POLLS + " polls: " + socket);
        }
        return discard.bytesIn();
    }
}
