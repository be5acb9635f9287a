package io.conntest.bench.e2e;

import io.conntest.stack.wire.Ipv4Address;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The kernel's cheapest way to send UDP: one {@code write(2)} of 64 KB that the kernel cuts into 44 datagrams of
 * 1,472 bytes (UDP generic segmentation offload, {@code UDP_SEGMENT}, Linux 4.18+), so that the kernel → TAP
 * direction is bounded by the path, not by a system call per datagram as a plain socket loop is. Falls back to
 * one datagram per write where the kernel refuses {@code UDP_SEGMENT}. Made with raw system calls (jnr-ffi)
 * because the JDK exposes no such option.
 */
public final class GsoUdpSource extends LoadThread
{
    /** The few socket calls needed; addresses of pre-allocated direct memory are passed as {@code long}. */
    public interface SocketCalls
    {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int optname, long optval, int optlen);

        int bind(int fd, long sockaddr, int length);

        int connect(int fd, long sockaddr, int length);

        long write(int fd, long buffer, long count);

        int close(int fd);
    }

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;
    private static final int SEGMENTS = 44;
    private static volatile SocketCalls calls;

    private final int local;
    private final int remote;
    private final int port;
    private final int payload;
    private final long maxDatagrams;
    private volatile boolean gso;
    private volatile int fd = -1;

    public GsoUdpSource(final int local, final int remote, final int port, final int payload, final long maxDatagrams)
    {
        super("kernel-udp-gso-source");
        this.local = local;
        this.remote = remote;
        this.port = port;
        this.payload = payload;
        this.maxDatagrams = maxDatagrams;
    }

    public GsoUdpSource(final String local, final String remote, final int port, final int payload,
        final long maxDatagrams)
    {
        this(Ipv4Address.parse(local), Ipv4Address.parse(remote), port, payload, maxDatagrams);
    }

    private static SocketCalls calls()
    {
        if (calls == null)
        {
            calls = LibraryLoader.create(SocketCalls.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        }
        return calls;
    }

    @Override
    protected void run()
    {
        final SocketCalls c = calls();
        final UnsafeBuffer scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        final UnsafeBuffer data = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SEGMENTS * payload, 64));
        final int s = c.socket(AF_INET, SOCK_DGRAM, 0);
        if (s < 0)
        {
            throw new IllegalStateException("socket(AF_INET, SOCK_DGRAM) failed");
        }
        fd = s;
        scratch.putInt(0, 4 * 1024 * 1024, ByteOrder.nativeOrder());
        c.setsockopt(s, SOL_SOCKET, SO_SNDBUF, scratch.addressOffset(), 4);
        scratch.putInt(0, payload, ByteOrder.nativeOrder());
        gso = c.setsockopt(s, SOL_UDP, UDP_SEGMENT, scratch.addressOffset(), 4) == 0;
        if (c.bind(s, sockaddr(scratch, 16, local, KernelUdp.SOURCE_PORT), 16) < 0
            || c.connect(s, sockaddr(scratch, 32, remote, port), 16) < 0)
        {
            throw new IllegalStateException("bind/connect of the UDP source failed");
        }
        ready();
        final int perWrite = gso ? SEGMENTS : 1;
        final long writeLength = (long)perWrite * payload;
        long sent = 0;
        while (sent < maxDatagrams && running())
        {
            final long n = c.write(s, data.addressOffset(), writeLength);
            if (n == writeLength)
            {
                sent += perWrite;
                units = sent;
                bytes = sent * payload;
            }
            else if (n < 0 && fd < 0)
            {
                break;
            }
            // Otherwise ENOBUFS/ECONNREFUSED (an ICMP error came back): try again, it stays bounded by time.
        }
    }

    /** Whether the kernel took UDP_SEGMENT (one write, 44 datagrams). */
    public boolean gso()
    {
        return gso;
    }

    @Override
    protected void onExit()
    {
        final int s = fd;
        fd = -1;
        if (s >= 0)
        {
            calls().close(s);
        }
    }

    /** A {@code struct sockaddr_in} at {@code offset}: family (host order), port and address (network order). */
    private static long sockaddr(final UnsafeBuffer b, final int offset, final int address, final int port)
    {
        b.setMemory(offset, 16, (byte)0);
        b.putShort(offset, (short)AF_INET, ByteOrder.nativeOrder());
        b.putShort(offset + 2, (short)port, ByteOrder.BIG_ENDIAN);
        b.putInt(offset + 4, address, ByteOrder.BIG_ENDIAN);
        return b.addressOffset() + offset;
    }
}
