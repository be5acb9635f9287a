package io.conntest.bench.e2e;

import io.conntest.core.transport.stack.StackHost;
import io.conntest.stack.service.UdpDiscardService;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpStats;
import io.conntest.stack.tcp.service.TcpService;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/** What the stack does in each stack scenario. */
final class Workloads
{
    private Workloads()
    {
    }

    /** Sends {@code payload}-byte datagrams from port {@link KernelUdp#SOURCE_PORT} to a kernel socket, always. */
    static final class UdpBlast implements StackLoadThread.Workload, UdpSocketListener
    {
        private final int dstAddr;
        private final int dstPort;
        private final int payload;
        private final UnsafeBuffer data;
        /** IPv6 destination when {@link #ipv6} ({@link Ipv6Scenarios}). */
        private final boolean ipv6;
        private final long dstHi;
        private final long dstLo;
        private UdpSocket socket;

        UdpBlast(final int dstAddr, final int dstPort, final int payload)
        {
            this(false, dstAddr, 0, 0, dstPort, payload);
        }

        /** To an IPv6 destination. */
        UdpBlast(final long dstHi, final long dstLo, final int dstPort, final int payload)
        {
            this(true, 0, dstHi, dstLo, dstPort, payload);
        }

        private UdpBlast(final boolean ipv6, final int dstAddr, final long dstHi, final long dstLo, final int dstPort,
            final int payload)
        {
            this.ipv6 = ipv6;
            this.dstAddr = dstAddr;
            this.dstHi = dstHi;
            this.dstLo = dstLo;
            this.dstPort = dstPort;
            this.payload = payload;
            this.data = new UnsafeBuffer(ByteBuffer.allocateDirect(payload));
        }

        @Override
        public void start(final StackHost host)
        {
            socket = host.stack().udp().open(this);
            socket.bind(KernelUdp.SOURCE_PORT);
        }

        @Override
        public boolean onLoop(final long nowNs)
        {
            // Fill the send queue; the poll that follows drains it to the device.
            int queued = 0;
            while (queued < 256 && (ipv6 ? socket.sendTo6(dstHi, dstLo, dstPort, data, 0, payload)
                : socket.sendTo(dstAddr, dstPort, data, 0, payload)))
            {
                queued++;
            }
            return true;
        }

        @Override
        public long units()
        {
            return socket.datagramsSent();
        }

        @Override
        public long bytes()
        {
            return socket.bytesSent();
        }
    }

    /** The discard service: counts what arrives. */
    static final class Discard implements StackLoadThread.Workload
    {
        private final int port;
        private UdpDiscardService service;

        Discard(final int port)
        {
            this.port = port;
        }

        @Override
        public void start(final StackHost host)
        {
            service = new UdpDiscardService(host.stack().udp(), port);
        }

        @Override
        public boolean onLoop(final long nowNs)
        {
            return false;
        }

        @Override
        public long units()
        {
            return service.datagrams();
        }

        @Override
        public long bytes()
        {
            return service.bytes();
        }
    }

    /** The echo service: answers every datagram. */
    static final class Echo implements StackLoadThread.Workload
    {
        private final int port;
        private UdpEchoService service;

        Echo(final int port)
        {
            this.port = port;
        }

        @Override
        public void start(final StackHost host)
        {
            service = new UdpEchoService(host.stack().udp(), port);
        }

        @Override
        public boolean onLoop(final long nowNs)
        {
            return false;
        }

        @Override
        public long units()
        {
            return service.echoed();
        }

        @Override
        public long bytes()
        {
            return service.echoedBytes();
        }
    }

    /** A TCP service of the stack (source, discard or echo) on {@code port}, with Nagle off as latency probes use. */
    static final class Tcp implements StackLoadThread.Workload
    {
        private final String service;
        private final int port;
        private TcpService tcpService;
        private TcpProtocol tcp;

        Tcp(final String service, final int port)
        {
            this.service = service;
            this.port = port;
        }

        @Override
        public void start(final StackHost host)
        {
            tcp = host.tcp();
            tcpService = TcpService.create(service, tcp, port, 4);
        }

        @Override
        public boolean onLoop(final long nowNs)
        {
            return false;
        }

        @Override
        public long units()
        {
            return tcpService.connections();
        }

        @Override
        public long bytes()
        {
            return tcpService.bytesIn() + tcpService.bytesOut();
        }

        TcpProtocol protocol()
        {
            return tcp;
        }

        /** The last accepted connection's TCP figures, or null; read it after the stack's thread has stopped. */
        TcpStats lastConnectionStats()
        {
            final TcpSocket socket = tcpService == null ? null : tcpService.lastAccepted();
            return socket == null ? null : socket.stats(new TcpStats());
        }
    }
}
