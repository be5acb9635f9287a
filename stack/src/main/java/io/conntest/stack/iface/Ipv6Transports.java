package io.conntest.stack.iface;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.conntest.stack.ipv6.Ipv6Host;
import io.conntest.stack.ipv6.Ipv6Transport;
import io.conntest.stack.wire.Ipv6Address;

/**
 * The interface's transport protocols on its IPv6 host: TCP and UDP packets the host takes in go to the handler of
 * their protocol number (the same handler as IPv4's, so one socket table serves both families), ICMPv6 errors to the
 * handler named by the quoted header, and the handlers send through this object as their {@link Ipv6Sender}.
 * Single-threaded, on the interface's thread; the clock is the poll's.
 */
final class Ipv6Transports implements Ipv6Transport, Ipv6Sender
{
    private final Ipv6Host host;
    private final IpProtocolHandler[] byProtocol = new IpProtocolHandler[256];
    private long nowNs;
    private Ipv4Sender.Refusal refusal = Ipv4Sender.Refusal.NONE;

    Ipv6Transports(final Ipv6Host host)
    {
        this.host = host;
        host.transport(this);
    }

    void add(final IpProtocolHandler handler)
    {
        byProtocol[handler.protocol()] = handler;
        handler.attachIpv6(this);
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    @Override
    public boolean onPacket(final int nextHeader, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo, final int hopLimit, final int trafficClass, final DirectBuffer buffer, final int offset,
        final int length, final boolean checksumTrusted, final long nowNs)
    {
        final IpProtocolHandler handler = byProtocol[nextHeader];
        if (handler == null)
        {
            return false;
        }
        handler.onIpHeader(hopLimit, trafficClass);
        return handler.processIpv6Datagram(srcHi, srcLo, dstHi, dstLo, buffer, offset, length, checksumTrusted,
            nowNs);
    }

    @Override
    public void onError(final int nextHeader, final int type, final int code, final long reporterHi,
        final long reporterLo, final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final DirectBuffer quoted, final int offset, final int length, final int mtu, final long nowNs)
    {
        final IpProtocolHandler handler = byProtocol[nextHeader];
        if (handler != null)
        {
            handler.onIcmpv6Error(type, code, reporterHi, reporterLo, dstHi, dstLo, quoted, offset, length, mtu,
                nowNs);
        }
    }

    /**
     * A connection or datagram to a global (or unique-local) destination waits for an address of that scope: RFC
     * 6724 §5 rule 2 prefers the destination's scope, and a link-local source would pin a connection to this link
     * (and to a name the peer cannot route back off it), so the caller sees "no address yet" and retries.
     */
    @Override
    public boolean selectSource(final long dstHi, final long dstLo)
    {
        return host.selectSource(dstHi)
            && (Ipv6Address.isLinkLocal(dstHi) || !Ipv6Address.isLinkLocal(host.sourceHi()));
    }

    @Override
    public long sourceHi()
    {
        return host.sourceHi();
    }

    @Override
    public long sourceLo()
    {
        return host.sourceLo();
    }

    @Override
    public boolean isLocalAddress(final long hi, final long lo)
    {
        return host.isOwnAddress(hi, lo);
    }

    @Override
    public MutableDirectBuffer claim(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int protocol, final int payloadLength)
    {
        final MutableDirectBuffer buffer = host.claimTransport(srcHi, srcLo, dstHi, dstLo, protocol, payloadLength,
            nowNs);
        refusal = buffer != null ? Ipv4Sender.Refusal.NONE : refusal(host.transportRefusal());
        return buffer;
    }

    private static Ipv4Sender.Refusal refusal(final int code)
    {
        switch (code)
        {
            case Ipv6Host.REFUSED_NO_ROUTE:
                return Ipv4Sender.Refusal.NO_ROUTE;
            case Ipv6Host.REFUSED_TOO_BIG:
                return Ipv4Sender.Refusal.TOO_BIG;
            case Ipv6Host.REFUSED_NEIGHBOUR_PENDING:
                return Ipv4Sender.Refusal.NEIGHBOUR_PENDING;
            default:
                return Ipv4Sender.Refusal.DEVICE_BUSY;
        }
    }

    @Override
    public int payloadOffset()
    {
        return Ipv6Host.transportPayloadOffset();
    }

    @Override
    public void commit()
    {
        host.commitTransport();
    }

    @Override
    public void abort()
    {
        host.abortTransport();
    }

    @Override
    public Ipv4Sender.Refusal lastRefusal()
    {
        return refusal;
    }

    @Override
    public int mtu()
    {
        return host.linkMtu();
    }
}
