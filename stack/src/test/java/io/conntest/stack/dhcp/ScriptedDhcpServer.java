package io.conntest.stack.dhcp;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A DHCP server the test scripts, on the raw end of an in-memory cable: it reads the client's frames (so it sees
 * exactly what went on the wire: source 0.0.0.0, broadcast MACs, ARP probes) and answers with frames it builds.
 * It answers ARP for its own address, and for {@link #holder} (a host that holds an address) ARP probes.
 */
final class ScriptedDhcpServer
{
    static final int SERVER = Ipv4Address.parse("10.0.0.1");
    static final long SERVER_MAC = 0x0200_0000_0001L;
    static final int ROUTER = Ipv4Address.parse("10.0.0.254");
    static final int DNS1 = Ipv4Address.parse("10.0.0.53");
    static final int DNS2 = Ipv4Address.parse("10.0.0.54");
    static final long HOLDER_MAC = 0x0200_0000_00EEL;

    /** What the server does with a message. */
    enum Answer { REPLY, NAK, IGNORE }

    /** One message the client sent, as seen on the wire. */
    record Seen(long atNs, int type, int xid, int flags, int ciaddr, int requested, int serverId, int srcIp,
                int dstIp, long dstMac, int secs, boolean clientId)
    {
    }

    /** One ARP packet the client sent. */
    record SeenArp(long atNs, int operation, int senderIp, int targetIp)
    {
    }

    private final FrameDevice device;
    private final LongSupplier clock;
    final List<Seen> seen = new ArrayList<>();
    final List<SeenArp> arps = new ArrayList<>();
    final List<byte[]> udpPayloads = new ArrayList<>();

    int offer = Ipv4Address.parse("10.0.0.50");
    int prefixLength = 24;
    long leaseSecs = 100;
    long t1Secs = -1;
    long t2Secs = -1;
    int mtu = 1400;
    Answer discover = Answer.REPLY;
    Answer select = Answer.REPLY;
    Answer renew = Answer.REPLY;
    Answer rebind = Answer.REPLY;
    /** An address another host holds: ARP probes for it are answered from {@link #HOLDER_MAC}. */
    int holder;
    /** Replies unicast to the offered address and the client's MAC even before it has one (as some servers do). */
    boolean unicastReplies;
    /** Added to the xid of every reply (non-zero: replies for another transaction). */
    int xidSkew;

    ScriptedDhcpServer(final FrameDevice device, final LongSupplier clock)
    {
        this.device = device;
        this.clock = clock;
    }

    /** Reads and answers everything the client sent. */
    void poll()
    {
        device.receive(this::onFrame, Integer.MAX_VALUE);
    }

    List<Seen> seen(final int type)
    {
        return seen.stream().filter(s -> s.type == type).toList();
    }

    Seen last()
    {
        return seen.get(seen.size() - 1);
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final int type = buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (type == EthernetFrame.ETHERTYPE_ARP)
        {
            onArp(buffer, offset + EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH);
            return;
        }
        if (type != EthernetFrame.ETHERTYPE_IPV4)
        {
            return;
        }
        long dstMac = 0;
        for (int i = 0; i < 6; i++)
        {
            dstMac = (dstMac << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        final int ip = offset + EthernetFrame.HEADER_LENGTH;
        final int ihl = (buffer.getByte(ip) & 0x0F) * 4;
        final int protocol = buffer.getByte(ip + 9) & 0xFF;
        final int src = buffer.getInt(ip + 12, ByteOrder.BIG_ENDIAN);
        final int dst = buffer.getInt(ip + 16, ByteOrder.BIG_ENDIAN);
        final int total = buffer.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (protocol != Ipv4Packet.PROTOCOL_UDP)
        {
            return;
        }
        final int udp = ip + ihl;
        final int dstPort = buffer.getShort(udp + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int payload = udp + UdpPacket.HEADER_LENGTH;
        final int payloadLength = total - ihl - UdpPacket.HEADER_LENGTH;
        if (dstPort != DhcpClient.SERVER_PORT)
        {
            final byte[] copy = new byte[payloadLength];
            buffer.getBytes(payload, copy);
            udpPayloads.add(copy);
            return;
        }
        onDhcp(buffer, payload, payloadLength, src, dst, dstMac);
    }

    private void onArp(final DirectBuffer buffer, final int offset, final int length)
    {
        final ArpPacket packet = new ArpPacket();
        final ArpRepr repr = new ArpRepr();
        if (!packet.wrapChecked(buffer, offset, length) || !repr.parse(packet))
        {
            return;
        }
        arps.add(new SeenArp(clock.getAsLong(), repr.operation(), repr.senderIp(), repr.targetIp()));
        if (repr.operation() != ArpPacket.OPERATION_REQUEST)
        {
            return;
        }
        if (repr.targetIp() == SERVER)
        {
            sendArpReply(SERVER_MAC, SERVER, repr.senderMac(), repr.senderIp());
        }
        else if (holder != 0 && repr.targetIp() == holder && repr.senderIp() == 0)
        {
            sendArpReply(HOLDER_MAC, holder, repr.senderMac(), 0);
        }
    }

    private void onDhcp(final DirectBuffer buffer, final int offset, final int length, final int src, final int dst,
        final long dstMac)
    {
        final DhcpMessage m = new DhcpMessage();
        if (!m.wrapChecked(buffer, offset, length))
        {
            return;
        }
        int type = 0;
        int requested = 0;
        int serverId = 0;
        boolean clientId = false;
        for (int i = 0; i < m.optionsLength() && m.optionByte(i) != DhcpOption.END; )
        {
            final int code = m.optionByte(i);
            if (code == DhcpOption.PAD)
            {
                i++;
                continue;
            }
            final int len = m.optionByte(i + 1);
            if (code == DhcpOption.MESSAGE_TYPE)
            {
                type = m.optionByte(i + 2);
            }
            else if (code == DhcpOption.REQUESTED_ADDRESS)
            {
                requested = m.optionInt(i + 2);
            }
            else if (code == DhcpOption.SERVER_ID)
            {
                serverId = m.optionInt(i + 2);
            }
            else if (code == DhcpOption.CLIENT_ID)
            {
                clientId = len == 7 && m.optionByte(i + 2) == 1;
            }
            i += 2 + len;
        }
        final int secs = m.buffer().getShort(8, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final Seen s = new Seen(clock.getAsLong(), type, m.xid(), m.flags(), m.ciaddr(), requested, serverId, src,
            dst, dstMac, secs, clientId);
        seen.add(s);
        final long clientMac = m.chaddrMac();
        switch (type)
        {
            case DhcpOption.DISCOVER:
                answer(discover, DhcpOption.OFFER, s, clientMac, offer);
                break;
            case DhcpOption.REQUEST:
                if (s.ciaddr != 0)
                {
                    answer(s.dstIp == Ipv4Address.BROADCAST ? rebind : renew, DhcpOption.ACK, s, clientMac, s.ciaddr);
                }
                else
                {
                    answer(select, DhcpOption.ACK, s, clientMac, s.requested);
                }
                break;
            default:
                break;
        }
    }

    private void answer(final Answer answer, final int type, final Seen s, final long clientMac, final int address)
    {
        if (answer == Answer.IGNORE)
        {
            return;
        }
        if (answer == Answer.NAK)
        {
            sendReply(DhcpOption.NAK, s, clientMac, 0, false);
            return;
        }
        sendReply(type, s, clientMac, address, true);
    }

    /** Builds and sends a reply: broadcast when the client asked so or has no address (RFC 2131 §4.1). */
    void sendReply(final int type, final Seen s, final long clientMac, final int yiaddr, final boolean full)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[DhcpMessage.MIN_MAX_MESSAGE]);
        final DhcpMessage m = new DhcpMessage().wrap(payload, 0, payload.capacity());
        m.writeReplyHeader(s.xid + xidSkew, s.flags, yiaddr, 0, clientMac);
        int at = m.putOptionByte(0, DhcpOption.MESSAGE_TYPE, type);
        at = m.putOptionInt(at, DhcpOption.SERVER_ID, SERVER);
        if (full)
        {
            at = m.putOptionInt(at, DhcpOption.LEASE_TIME, (int)leaseSecs);
            at = m.putOptionInt(at, DhcpOption.SUBNET_MASK, Ipv4Address.netmask(prefixLength));
            at = m.putOptionInt(at, DhcpOption.ROUTER, ROUTER);
            at = m.putOptionBytes(at, DhcpOption.DNS, new byte[] {10, 0, 0, 53, 10, 0, 0, 54}, 8);
            if (mtu != 0)
            {
                at = m.putOptionShort(at, DhcpOption.INTERFACE_MTU, mtu);
            }
            if (t1Secs >= 0)
            {
                at = m.putOptionInt(at, DhcpOption.RENEWAL_TIME, (int)t1Secs);
            }
            if (t2Secs >= 0)
            {
                at = m.putOptionInt(at, DhcpOption.REBINDING_TIME, (int)t2Secs);
            }
        }
        final int length = m.finish(at);
        final boolean broadcast = !unicastReplies && ((s.flags & DhcpMessage.FLAG_BROADCAST) != 0 || s.ciaddr == 0);
        final int to = s.ciaddr != 0 ? s.ciaddr : yiaddr != 0 ? yiaddr : Ipv4Address.BROADCAST;
        final long toMac = broadcast || to == Ipv4Address.BROADCAST ? MacAddress.BROADCAST : clientMac;
        sendUdp(broadcast ? Ipv4Address.BROADCAST : to, toMac, DhcpClient.SERVER_PORT, DhcpClient.CLIENT_PORT, payload,
            length);
    }

    /** Sends {@code length} bytes as a UDP datagram from the server. */
    void sendUdp(final int dst, final long dstMac, final int srcPort, final int dstPort, final DirectBuffer payload,
        final int length)
    {
        final int total = Ipv4Packet.MIN_HEADER_LENGTH + UdpPacket.HEADER_LENGTH + length;
        final MutableDirectBuffer frame = device.claim(EthernetFrame.HEADER_LENGTH + total);
        new EthernetFrame().wrap(frame, 0, EthernetFrame.HEADER_LENGTH + total).destination(dstMac)
            .source(SERVER_MAC).etherType(EthernetFrame.ETHERTYPE_IPV4);
        new Ipv4Repr().set(SERVER, dst, Ipv4Packet.PROTOCOL_UDP, UdpPacket.HEADER_LENGTH + length, 1, false)
            .emit(new Ipv4Packet().wrap(frame, EthernetFrame.HEADER_LENGTH, total));
        new UdpRepr().set(srcPort, dstPort, length).emit(
            new UdpPacket().wrap(frame, EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH,
                UdpPacket.HEADER_LENGTH + length), SERVER, dst, payload, 0);
        device.commit(EthernetFrame.HEADER_LENGTH + total);
    }

    private void sendArpReply(final long senderMac, final int senderIp, final long targetMac, final int targetIp)
    {
        final int length = EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH;
        final MutableDirectBuffer frame = device.claim(length);
        new EthernetFrame().wrap(frame, 0, length).destination(targetMac).source(senderMac)
            .etherType(EthernetFrame.ETHERTYPE_ARP);
        new ArpRepr().set(ArpPacket.OPERATION_REPLY, senderMac, senderIp, targetMac, targetIp)
            .emit(new ArpPacket().wrap(frame, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH));
        device.commit(length);
    }
}
