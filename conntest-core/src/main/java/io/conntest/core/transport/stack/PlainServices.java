package io.conntest.core.transport.stack;

import java.util.ArrayList;
import java.util.List;

import io.conntest.core.engine.ListenSpec;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.service.UdpDiscardService;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.tcp.service.TcpService;

/**
 * The plain services of one stack ({@code --listen 'udp:7?service=echo'}, {@code tcp:9?service=discard},
 * {@code tcp:19?service=source}): started from their listen specs on a {@link StackHost}, beside conntest
 * listeners and peers or alone, and summed up in one line. Runs on the host's thread.
 */
public final class PlainServices implements AutoCloseable
{
    /** The accept backlog of a TCP service. */
    private static final int TCP_BACKLOG = 128;

    private final List<UdpEchoService> echoServices = new ArrayList<>();
    private final List<UdpDiscardService> discardServices = new ArrayList<>();
    private final List<TcpService> tcpServices = new ArrayList<>();
    private final List<String> tcpServiceNames = new ArrayList<>();

    /**
     * Starts every service in {@code listens} that is not a conntest listener.
     *
     * @param conntestAsEcho whether a conntest listener is served as an echo (the stack-only instance, which has no
     *                       engine to speak conntest) instead of being left to the engine
     * @throws IllegalStateException when a port is in use (EADDRINUSE)
     */
    public PlainServices(final StackHost host, final List<ListenSpec> listens, final boolean conntestAsEcho)
    {
        try
        {
            for (final ListenSpec listen : listens)
            {
                ListenSpec.Service service = listen.service();
                if (service == ListenSpec.Service.IPERF3)
                {
                    // iperf3 runs at the transport level, in the engine (core.iperf3.Iperf3Server).
                    continue;
                }
                if (service == ListenSpec.Service.CONNTEST)
                {
                    if (!conntestAsEcho)
                    {
                        continue;
                    }
                    service = ListenSpec.Service.ECHO;
                }
                start(host, listen, service);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private void start(final StackHost host, final ListenSpec listen, final ListenSpec.Service service)
    {
        if (listen.protocol() == TransportProtocol.TCP)
        {
            tcpServices.add(TcpService.create(service.lowerName(), host.tcp(), listen.port(), TCP_BACKLOG));
            tcpServiceNames.add(service.lowerName());
            return;
        }
        switch (service)
        {
            case ECHO:
                echoServices.add(new UdpEchoService(host.stack().udp(), listen.port()));
                break;
            case DISCARD:
                discardServices.add(new UdpDiscardService(host.stack().udp(), listen.port()));
                break;
            default:
                throw new IllegalArgumentException("service " + service.lowerName() + " is TCP only");
        }
    }

    /** Whether no service runs. */
    public boolean isEmpty()
    {
        return echoServices.isEmpty() && discardServices.isEmpty() && tcpServices.isEmpty();
    }

    /** Datagrams echoed by all UDP echo services so far. */
    public long echoed()
    {
        long sum = 0;
        for (final UdpEchoService echo : echoServices)
        {
            sum += echo.echoed();
        }
        return sum;
    }

    /** What each service did, {@code "; udp:7 echo 3 datagrams (120 B)"} per service, empty when none runs. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        for (final UdpEchoService echo : echoServices)
        {
            sb.append("; udp:").append(echo.port()).append(" echo ").append(echo.echoed()).append(" datagrams (")
                .append(echo.echoedBytes()).append(" B)");
        }
        for (final UdpDiscardService discard : discardServices)
        {
            sb.append("; udp:").append(discard.port()).append(" discard ").append(discard.datagrams())
                .append(" datagrams (").append(discard.bytes()).append(" B)");
        }
        for (int i = 0; i < tcpServices.size(); i++)
        {
            final TcpService service = tcpServices.get(i);
            sb.append("; tcp:").append(service.listener().port()).append(' ').append(tcpServiceNames.get(i))
                .append(' ').append(service.connections()).append(" connections (").append(service.bytesIn())
                .append(" B in, ").append(service.bytesOut()).append(" B out)");
        }
        return sb.toString();
    }

    /** Closes every service's socket or listener. */
    @Override
    public void close()
    {
        echoServices.forEach(UdpEchoService::close);
        discardServices.forEach(UdpDiscardService::close);
        tcpServices.forEach(TcpService::close);
        echoServices.clear();
        discardServices.clear();
        tcpServices.clear();
        tcpServiceNames.clear();
    }
}
