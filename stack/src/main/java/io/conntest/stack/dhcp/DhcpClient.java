package io.conntest.stack.dhcp;

import io.conntest.stack.iface.ArpObserver;
import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.Ipv4Assignment;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.socket.UdpSockets;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.Ipv4Address;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * A DHCPv4 client (RFC 2131) for one {@link Interface}: INIT → SELECTING → REQUESTING → PROBING → BOUND →
 * RENEWING (T1, unicast to the leasing server) → REBINDING (T2, broadcast) → expiry back to INIT, with NAK and
 * DECLINE. It owns UDP port 68 and sets the interface's {@link Ipv4Assignment} when a lease is bound, clears it when
 * the lease ends.
 *
 * <p>Time-driven like the interface: the owner calls {@link #poll(long)} on every turn of its loop (before the
 * interface's poll, so what it sends leaves in that poll) and sleeps no longer than {@link #pollAtNs(long)}
 * ({@link io.conntest.stack.NetworkStack} does both). Retransmission follows RFC 2131 §4.1 (4 s doubling to 64 s,
 * each ±1 s at random) and §4.4.5 (in RENEWING and REBINDING, half the time left, at least 60 s); xid and chaddr
 * are checked on every reply; an offered address is probed with ARP before use (RFC 2131 §4.4.1, RFC 5227 §2.1.1)
 * and declined when another host answers for it. Every malformed or unexpected datagram is counted
 * ({@link DhcpCounter}) and dropped. Single-threaded; nothing is allocated per datagram but the
 * {@link DhcpLease} of each ACK.
 */
public final class DhcpClient implements UdpSocketListener, UdpDatagramHandler, ArpObserver, AutoCloseable
{
    public static final int CLIENT_PORT = 68;
    public static final int SERVER_PORT = 67;
    private static final long SECOND = 1_000_000_000L;
    /** While probing, a busy device is tried again this soon. */
    private static final long DEVICE_BUSY_RETRY_NS = 1_000_000L;
    /** RFC 2132 §9.8: the parameters we ask for, in our order of interest. */
    private static final byte[] PARAMETERS = {
        DhcpOption.SUBNET_MASK, DhcpOption.ROUTER, DhcpOption.DNS, DhcpOption.INTERFACE_MTU, DhcpOption.LEASE_TIME,
        DhcpOption.RENEWAL_TIME, DhcpOption.REBINDING_TIME};
    private static final DhcpListener NO_LISTENER = new DhcpListener()
    {
    };

    private final Interface iface;
    private final Ipv4Assignment assignment;
    private final DhcpConfig config;
    private final DhcpListener listener;
    private final UdpSocket socket;
    private final long mac;
    /** RFC 2132 §9.14 client identifier: type 1 (Ethernet) and the MAC, as most clients send. */
    private final byte[] clientId = new byte[7];
    private final DhcpCounters counters = new DhcpCounters();
    private final DhcpReply reply = new DhcpReply();
    private final DhcpMessage out = new DhcpMessage();
    private final UnsafeBuffer outBuffer = new UnsafeBuffer(new byte[DhcpMessage.MIN_MAX_MESSAGE]);
    private final SplittableRandom random;

    private DhcpState state = DhcpState.INIT;
    private boolean started;
    private long nowNs;
    private long deadlineNs = Deadline.NEVER;
    private int xid;
    private long exchangeStartNs;
    private int attempts;
    private int offered;
    private int server;
    private long lastRequestSentNs;
    /** The bound lease, or the one being probed (PROBING); null otherwise. */
    private DhcpLease lease;
    private long t1AtNs = Deadline.NEVER;
    private long t2AtNs = Deadline.NEVER;
    private long expiryAtNs = Deadline.NEVER;
    private int probesSent;
    private boolean conflict;
    private long conflictMac;

    /**
     * A client on {@code iface}, owning port 68 of {@code udp} (the interface's UDP), reporting to {@code listener}
     * (null for none). It starts at the first {@link #poll(long)}.
     *
     * @throws IllegalStateException when port 68 is taken.
     */
    public DhcpClient(final Interface iface, final UdpSockets udp, final DhcpConfig config, final DhcpListener listener)
    {
        this.iface = iface;
        this.assignment = iface.ipv4();
        this.config = config;
        this.listener = listener != null ? listener : NO_LISTENER;
        this.mac = iface.mac();
        this.random = new SplittableRandom(config.seed);
        clientId[0] = 1;
        for (int i = 0; i < 6; i++)
        {
            clientId[1 + i] = (byte)(mac >>> (40 - 8 * i));
        }
        this.socket = udp.open(this);
        socket.bind(CLIENT_PORT);
        iface.arpObserver(this);
    }

    /**
     * Runs what is due at {@code nowNs}: the first DISCOVER, retransmissions, ARP probes, T1, T2, expiry, the end of
     * the pause after a decline.
     *
     * @return whether anything was done.
     */
    public boolean poll(final long nowNs)
    {
        this.nowNs = nowNs;
        if (!started)
        {
            started = true;
            deadlineNs = nowNs;
        }
        if (conflict)
        {
            decline();
            return true;
        }
        if (!Deadline.isDue(deadlineNs, nowNs))
        {
            return false;
        }
        switch (state)
        {
            case INIT:
            case DECLINED:
                startDiscover();
                break;
            case SELECTING:
                retransmitted();
                sendDiscover();
                scheduleBackoff();
                break;
            case REQUESTING:
                if (attempts + 1 >= config.maxRequestAttempts)
                {
                    // RFC 2131 §4.4.1 / §3.1.5: no answer to our REQUESTs: start over
                    startDiscover();
                }
                else
                {
                    retransmitted();
                    sendRequest(DhcpMessage.FLAG_BROADCAST, 0, offered, server, Ipv4Address.BROADCAST);
                    scheduleBackoff();
                }
                break;
            case PROBING:
                probe();
                break;
            case BOUND:
                // RFC 2131 §4.4.5: at T1, renew with the server that leased it, by unicast
                state = DhcpState.RENEWING;
                newExchange();
                listener.onRenewing(lease, nowNs);
                sendRequest(0, lease.address(), 0, 0, lease.server());
                scheduleBefore(t2AtNs);
                break;
            case RENEWING:
                if (Deadline.isDue(t2AtNs, nowNs))
                {
                    // RFC 2131 §4.4.5: at T2, ask any server by broadcast
                    state = DhcpState.REBINDING;
                    listener.onRebinding(lease, nowNs);
                    sendRequest(0, lease.address(), 0, 0, Ipv4Address.BROADCAST);
                    scheduleBefore(expiryAtNs);
                }
                else
                {
                    retransmitted();
                    sendRequest(0, lease.address(), 0, 0, lease.server());
                    scheduleBefore(t2AtNs);
                }
                break;
            case REBINDING:
                if (Deadline.isDue(expiryAtNs, nowNs))
                {
                    expire();
                }
                else
                {
                    retransmitted();
                    sendRequest(0, lease.address(), 0, 0, Ipv4Address.BROADCAST);
                    scheduleBefore(expiryAtNs);
                }
                break;
            default:
                throw new IllegalStateException(state.name());
        }
        return true;
    }

    /** When {@link #poll(long)} next has something to do; {@code nowNs} when at once. */
    public long pollAtNs(final long nowNs)
    {
        return !started || conflict ? nowNs : deadlineNs;
    }

    public DhcpState state()
    {
        return state;
    }

    /** The bound lease (also while renewing and rebinding), or null. */
    public DhcpLease lease()
    {
        return state == DhcpState.BOUND || state == DhcpState.RENEWING || state == DhcpState.REBINDING ? lease : null;
    }

    public DhcpCounters counters()
    {
        return counters;
    }

    /** The current transaction id (for tests). */
    public int xid()
    {
        return xid;
    }

    /** Closes port 68 and stops watching ARP; the address stays as it is. */
    @Override
    public void close()
    {
        socket.close();
        iface.arpObserver(null);
    }

    // ---- receiving ------------------------------------------------------------------------------------------

    @Override
    public void onReadable(final UdpSocket socket, final long nowNs)
    {
        this.nowNs = nowNs;
        socket.receive(this, Integer.MAX_VALUE);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final DhcpCounter problem = reply.parse(buffer, offset, length);
        if (problem != null)
        {
            counters.increment(problem);
            return;
        }
        if (reply.xid() != xid || reply.chaddr() != mac)
        {
            counters.increment(DhcpCounter.NOT_OUR_TRANSACTION);
            return;
        }
        switch (reply.messageType())
        {
            case DhcpOption.OFFER:
                onOffer();
                break;
            case DhcpOption.ACK:
                onAck();
                break;
            case DhcpOption.NAK:
                onNak();
                break;
            default:
                counters.increment(DhcpCounter.UNEXPECTED_TYPE);
        }
    }

    private void onOffer()
    {
        if (state != DhcpState.SELECTING)
        {
            counters.increment(DhcpCounter.UNEXPECTED_TYPE);
            return;
        }
        counters.increment(DhcpCounter.OFFERS_RECEIVED);
        if (!usable(reply.yiaddr()) || reply.serverId() == 0)
        {
            counters.increment(DhcpCounter.UNUSABLE_REPLY);
            return;
        }
        // RFC 2131 §4.4.1: take the first acceptable offer; the REQUEST names it (50) and its server (54)
        offered = reply.yiaddr();
        server = reply.serverId();
        listener.onOffer(offered, server, nowNs);
        state = DhcpState.REQUESTING;
        attempts = 0;
        sendRequest(DhcpMessage.FLAG_BROADCAST, 0, offered, server, Ipv4Address.BROADCAST);
        scheduleBackoff();
    }

    private void onAck()
    {
        if (state != DhcpState.REQUESTING && state != DhcpState.RENEWING && state != DhcpState.REBINDING)
        {
            counters.increment(DhcpCounter.UNEXPECTED_TYPE);
            return;
        }
        counters.increment(DhcpCounter.ACKS_RECEIVED);
        final int expectedServer = state == DhcpState.REQUESTING ? server
            : state == DhcpState.RENEWING ? lease.server() : 0;
        if (expectedServer != 0 && reply.serverId() != 0 && reply.serverId() != expectedServer)
        {
            counters.increment(DhcpCounter.OTHER_SERVER);
            return;
        }
        if (!usable(reply.yiaddr()))
        {
            counters.increment(DhcpCounter.UNUSABLE_REPLY);
            return;
        }
        if (reply.leaseSecs() < 0)
        {
            counters.increment(DhcpCounter.NO_LEASE_TIME);
            return;
        }
        final DhcpLease acked = leaseFromReply(reply.serverId() != 0 ? reply.serverId() : expectedServer);
        // RFC 2131 §4.4.1: the lease runs from when the REQUEST was sent
        final boolean sameAddress = lease != null && state != DhcpState.REQUESTING
            && acked.address() == lease.address();
        lease = acked;
        setTimes(lastRequestSentNs);
        if (sameAddress)
        {
            if (acked.prefixLength() != assignment.prefixLength() || acked.gateway() != assignment.gateway()
                || acked.mtu() != assignment.mtu())
            {
                assignment.assign(acked.address(), acked.prefixLength(), acked.gateway(), acked.mtu());
            }
            state = DhcpState.BOUND;
            deadlineNs = t1AtNs;
            listener.onRenewed(acked, nowNs);
            return;
        }
        // a new address (the first, or another one after rebinding): check that nobody holds it before using it
        assignment.clear();
        startProbing();
    }

    private void onNak()
    {
        if (state != DhcpState.REQUESTING && state != DhcpState.RENEWING && state != DhcpState.REBINDING)
        {
            counters.increment(DhcpCounter.UNEXPECTED_TYPE);
            return;
        }
        if (state == DhcpState.REQUESTING && reply.serverId() != 0 && reply.serverId() != server)
        {
            counters.increment(DhcpCounter.OTHER_SERVER);
            return;
        }
        counters.increment(DhcpCounter.NAKS_RECEIVED);
        // RFC 2131 §3.1.4 (and §4.4.5 while renewing): stop using any address and start over
        assignment.clear();
        lease = null;
        listener.onNak(reply.serverId(), nowNs);
        state = DhcpState.INIT;
        deadlineNs = nowNs;
    }

    /**
     * RFC 5227 §2.1.1: while probing, the address is in use if anyone sends an ARP packet from it, or probes for it
     * as well (another host is trying to take it too).
     */
    @Override
    public void onArp(final int operation, final int senderIp, final long senderMac, final int targetIp)
    {
        if (state != DhcpState.PROBING || lease == null || senderMac == mac)
        {
            return;
        }
        final int address = lease.address();
        if (senderIp == address
            || (operation == ArpPacket.OPERATION_REQUEST && senderIp == 0 && targetIp == address))
        {
            // acted on at the next poll: an observer must not send
            conflict = true;
            conflictMac = senderMac;
        }
    }

    // ---- state changes ------------------------------------------------------------------------------------

    private void startDiscover()
    {
        state = DhcpState.SELECTING;
        newExchange();
        sendDiscover();
        scheduleBackoff();
    }

    private void newExchange()
    {
        xid = random.nextInt();
        exchangeStartNs = nowNs;
        attempts = 0;
    }

    private void startProbing()
    {
        if (config.probeCount == 0)
        {
            bind();
            return;
        }
        state = DhcpState.PROBING;
        probesSent = 0;
        conflict = false;
        deadlineNs = nowNs + uniform(0, config.probeWaitNs);
    }

    private void probe()
    {
        if (probesSent >= config.probeCount)
        {
            bind();
            return;
        }
        if (!iface.sendArpProbe(lease.address()))
        {
            deadlineNs = nowNs + DEVICE_BUSY_RETRY_NS;
            return;
        }
        probesSent++;
        counters.increment(DhcpCounter.ARP_PROBES_SENT);
        deadlineNs = nowNs + (probesSent < config.probeCount ? uniform(config.probeMinNs, config.probeMaxNs)
            : config.announceWaitNs);
    }

    private void bind()
    {
        // RFC 2132 §5.1: the interface MTU option lowers the MTU (never above the TAP's)
        assignment.assign(lease.address(), lease.prefixLength(), lease.gateway(), lease.mtu());
        state = DhcpState.BOUND;
        deadlineNs = t1AtNs;
        listener.onBound(lease, nowNs);
    }

    private void decline()
    {
        conflict = false;
        if (state != DhcpState.PROBING || lease == null)
        {
            return;
        }
        counters.increment(DhcpCounter.CONFLICTS);
        final DhcpLease declined = lease;
        // RFC 2131 §4.4.1: DHCPDECLINE names the address (50) and the server (54), broadcast, ciaddr 0
        writeHeader(0, 0);
        int at = out.putOptionByte(0, DhcpOption.MESSAGE_TYPE, DhcpOption.DECLINE);
        at = out.putOptionInt(at, DhcpOption.REQUESTED_ADDRESS, declined.address());
        at = out.putOptionInt(at, DhcpOption.SERVER_ID, declined.server());
        at = out.putOptionBytes(at, DhcpOption.CLIENT_ID, clientId, clientId.length);
        send(Ipv4Address.BROADCAST, out.finish(at), DhcpCounter.DECLINES_SENT);
        lease = null;
        listener.onDeclined(declined.address(), conflictMac, nowNs);
        // RFC 2131 §3.1.5: wait at least ten seconds before starting again, so a broken server is not hammered
        state = DhcpState.DECLINED;
        deadlineNs = nowNs + config.declineWaitNs;
    }

    private void expire()
    {
        counters.increment(DhcpCounter.LEASES_EXPIRED);
        final DhcpLease expired = lease;
        // RFC 2131 §4.4.5: at expiry the client MUST stop using the address and return to INIT
        assignment.clear();
        lease = null;
        listener.onExpired(expired, nowNs);
        startDiscover();
    }

    // ---- sending --------------------------------------------------------------------------------------------

    private void sendDiscover()
    {
        // RFC 2131 §4.1: a client that cannot take unicast before it has an address sets the broadcast bit
        writeHeader(DhcpMessage.FLAG_BROADCAST, 0);
        int at = out.putOptionByte(0, DhcpOption.MESSAGE_TYPE, DhcpOption.DISCOVER);
        at = commonOptions(at);
        send(Ipv4Address.BROADCAST, out.finish(at), DhcpCounter.DISCOVERS_SENT);
    }

    /**
     * A REQUEST: in REQUESTING with the requested address and the server id (ciaddr 0); in RENEWING and REBINDING
     * with ciaddr, and neither option (RFC 2131 §4.3.2 table 4).
     */
    private void sendRequest(final int flags, final int ciaddr, final int requested, final int serverId,
        final int dst)
    {
        writeHeader(flags, ciaddr);
        int at = out.putOptionByte(0, DhcpOption.MESSAGE_TYPE, DhcpOption.REQUEST);
        if (requested != 0)
        {
            at = out.putOptionInt(at, DhcpOption.REQUESTED_ADDRESS, requested);
            at = out.putOptionInt(at, DhcpOption.SERVER_ID, serverId);
        }
        at = commonOptions(at);
        lastRequestSentNs = nowNs;
        send(dst, out.finish(at), DhcpCounter.REQUESTS_SENT);
    }

    private void writeHeader(final int flags, final int ciaddr)
    {
        out.wrap(outBuffer, 0, outBuffer.capacity());
        // RFC 2131 §2: secs, the time since the client began the exchange
        out.writeRequestHeader(xid, (int)((nowNs - exchangeStartNs) / SECOND), flags, ciaddr, mac);
    }

    private int commonOptions(final int from)
    {
        int at = out.putOptionBytes(from, DhcpOption.CLIENT_ID, clientId, clientId.length);
        at = out.putOptionBytes(at, DhcpOption.PARAMETER_REQUEST_LIST, PARAMETERS, PARAMETERS.length);
        // RFC 2132 §9.10: we take as large a message as the interface's MTU carries in one datagram
        final int maxMessage = Math.max(576, Math.min(iface.mtu(), 0xFFFF));
        return out.putOptionShort(at, DhcpOption.MAX_MESSAGE_SIZE, maxMessage);
    }

    private void send(final int dst, final int length, final DhcpCounter sent)
    {
        if (socket.sendTo(dst, SERVER_PORT, outBuffer, 0, length))
        {
            counters.increment(sent);
        }
        else
        {
            counters.increment(DhcpCounter.SEND_FAILED);
        }
    }

    private void retransmitted()
    {
        attempts++;
        counters.increment(DhcpCounter.RETRANSMISSIONS);
    }

    // ---- timing ---------------------------------------------------------------------------------------------

    /** RFC 2131 §4.1: 4 s, 8 s, ... up to 64 s after the attempt just sent, each ±1 s uniformly at random. */
    private void scheduleBackoff()
    {
        final long base = Math.min(config.maxRetransmitNs,
            config.initialRetransmitNs << Math.min(attempts, 20));
        deadlineNs = nowNs + base + uniform(-config.jitterNs, config.jitterNs);
    }

    /** RFC 2131 §4.4.5: retransmit after half the time left until {@code limitNs}, at least the minimum (60 s). */
    private void scheduleBefore(final long limitNs)
    {
        if (limitNs == Deadline.NEVER)
        {
            deadlineNs = nowNs + config.renewRetransmitMinNs;
            return;
        }
        final long left = limitNs - nowNs;
        deadlineNs = left <= 0 ? nowNs : nowNs + Math.min(left, Math.max(left / 2, config.renewRetransmitMinNs));
    }

    private long uniform(final long from, final long to)
    {
        return from == to ? from : from + random.nextLong(to - from + 1);
    }

    private void setTimes(final long startNs)
    {
        if (lease.leaseSecs() == DhcpOption.INFINITE)
        {
            t1AtNs = t2AtNs = expiryAtNs = Deadline.NEVER;
            return;
        }
        t1AtNs = startNs + lease.t1Secs() * SECOND;
        t2AtNs = startNs + lease.t2Secs() * SECOND;
        expiryAtNs = startNs + lease.leaseSecs() * SECOND;
    }

    private DhcpLease leaseFromReply(final int serverId)
    {
        final int address = reply.yiaddr();
        final int prefix = reply.hasSubnetMask() ? Integer.bitCount(reply.subnetMask()) : classfulPrefix(address);
        int gateway = reply.router();
        if (gateway != 0 && (!Ipv4Address.sameNetwork(gateway, address, prefix) || gateway == address))
        {
            counters.increment(DhcpCounter.ROUTER_NOT_ON_LINK);
            gateway = 0;
        }
        final int[] dns = new int[reply.dnsCount()];
        for (int i = 0; i < dns.length; i++)
        {
            dns[i] = reply.dns(i);
        }
        final long leaseSecs = reply.leaseSecs();
        long t1;
        long t2;
        if (leaseSecs == DhcpOption.INFINITE)
        {
            t1 = t2 = DhcpOption.INFINITE;
        }
        else
        {
            // RFC 2131 §4.4.5: T1 defaults to 0.5 and T2 to 0.875 of the lease; given ones must keep T1 <= T2 <= lease
            t2 = reply.t2Secs() >= 0 && reply.t2Secs() <= leaseSecs ? reply.t2Secs() : leaseSecs * 7 / 8;
            t1 = reply.t1Secs() >= 0 && reply.t1Secs() <= t2 ? reply.t1Secs() : Math.min(leaseSecs / 2, t2);
            if (config.t1OverrideSecs > 0)
            {
                t1 = Math.min(config.t1OverrideSecs, t2);
            }
        }
        return new DhcpLease(address, prefix, gateway, dns, reply.mtu(), serverId, leaseSecs, t1, t2);
    }

    /** A usable unicast address for us: not 0, broadcast, multicast, class E or loopback. */
    private static boolean usable(final int address)
    {
        return address != 0 && address != Ipv4Address.BROADCAST && !Ipv4Address.isMulticast(address)
            && (address & 0xF000_0000) != 0xF000_0000 && !Ipv4Address.isLoopback(address);
    }

    /** RFC 2131 §4.4.1 leaves a missing mask to the client: the address's class (RFC 791) is the old rule. */
    private static int classfulPrefix(final int address)
    {
        final int first = address >>> 24;
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }
}
