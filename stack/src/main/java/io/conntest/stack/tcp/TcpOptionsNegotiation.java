package io.conntest.stack.tcp;

import io.conntest.stack.wire.TcpRepr;

/**
 * Options on the SYN exchange: MSS (RFC 9293 §3.7.1, RFC 6691), window scale and timestamps (RFC 7323),
 * SACK-permitted (RFC 2018). An option is in use only when both SYNs carried it.
 */
final class TcpOptionsNegotiation
{
    /** RFC 9293 §3.7.1 (MUST-15): without an MSS option the peer can take 536 bytes. */
    static final int DEFAULT_MSS = 536;
    static final int IPV4_TCP_HEADERS = 40;
    /** RFC 8200 §3: the IPv6 header is 40 bytes, so an IPv6 MSS is the MTU less 60 (RFC 6691 §2). */
    static final int IPV6_TCP_HEADERS = 60;
    static final int TIMESTAMP_OPTION_BYTES = 12;

    private TcpOptionsNegotiation()
    {
    }

    /** Options for our SYN (active open) or SYN,ACK (only what the peer offered, RFC 7323 §2.2, RFC 2018 §2). */
    static void fillSynOptions(final TcpConnection c, final TcpRepr repr, final int mtu, final long nowNs)
    {
        final boolean synAck = c.state == TcpState.SYN_RECEIVED;
        // RFC 6691 §2 / RFC 9293 §3.7.1: MSS = MTU - 20 (IPv4 header) - 20 (TCP header), options excluded; 40 for
        // the IPv6 header.
        repr.mss = Math.min(0xFFFF, mtu - c.ipAndTcpHeaders());
        if (c.wantWindowScale && (!synAck || c.snd.scale() >= 0 && c.peerOfferedWindowScale))
        {
            final int scale = c.rcv.chooseScale();
            c.rcv.setWindowScale(scale);
            repr.windowScale = scale;
        }
        else
        {
            c.rcv.setWindowScale(0);
        }
        repr.sackPermitted = c.wantSack && (!synAck || c.sackEnabled);
        if (c.wantTimestamps && (!synAck || c.tsEnabled))
        {
            repr.hasTimestamps = true;
            repr.tsVal = c.tsNow(nowNs);
            repr.tsEcr = synAck ? c.tsRecent : 0;
        }
    }

    /** Records what the peer's SYN (or SYN,ACK) offered and fixes what is in use. */
    static void onPeerSyn(final TcpConnection c, final TcpRepr seg)
    {
        final boolean active = c.state == TcpState.SYN_SENT;
        c.peerOfferedWindowScale = seg.windowScale >= 0;
        if (c.wantWindowScale && seg.windowScale >= 0)
        {
            c.snd.setWindowScale(seg.windowScale);
            if (!active)
            {
                c.rcv.setWindowScale(c.rcv.chooseScale());
            }
        }
        else
        {
            // RFC 7323 §2.2: both sides must send the option, or neither side scales.
            c.snd.setWindowScale(0);
            c.rcv.setWindowScale(0);
        }
        c.tsEnabled = c.wantTimestamps && seg.hasTimestamps;
        if (c.tsEnabled)
        {
            c.tsRecent = seg.tsVal;
        }
        c.sackEnabled = c.wantSack && seg.sackPermitted;
        final int peerMss = seg.mss != 0 ? seg.mss : DEFAULT_MSS;
        final int ours = c.protocol.mtu(c) - c.ipAndTcpHeaders();
        // RFC 6691 §3 / RFC 7323 §2.3: the data per segment is the MSS less the options every segment carries.
        c.snd.setMss(Math.max(64, Math.min(peerMss, ours) - (c.tsEnabled ? TIMESTAMP_OPTION_BYTES : 0)));
    }
}
