package io.conntest.stack.dhcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DHCP replies ({@link DhcpReply}, RFC 2131 §2 / RFC 2132): parsing arbitrary bytes never throws or reads past them,
 * accepts exactly what a plain walk of the options finds well formed (fixed part, BOOTREPLY over Ethernet, the
 * cookie, options that end with the end option, a message type), and is repeatable; and the client fed mutated
 * OFFERs and ACKs for its own transaction never throws, counts every datagram it does not take, and binds only
 * usable addresses. Input: {@code [mode][offset 0..7][bytes]}.
 */
class DhcpFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void parseIsTotalAndAgreesWithAPlainWalk(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final boolean template = data.consumeBoolean();
        final byte[] raw = data.consumeRemainingAsBytes();
        final byte[] bytes = template ? overTemplate(raw) : raw;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + bytes.length]);
        buffer.putBytes(offset, bytes);

        final DhcpReply reply = new DhcpReply();
        final DhcpCounter result = reply.parse(buffer, offset, bytes.length);
        final DhcpCounter again = new DhcpReply().parse(new UnsafeBuffer(bytes), 0, bytes.length);
        assertEquals(result, again, "the same bytes parse the same wherever they are");
        if (bytes.length < DhcpMessage.OPTIONS_OFFSET)
        {
            assertEquals(DhcpCounter.MALFORMED_SHORT, result);
            return;
        }
        final boolean header = (bytes[0] & 0xFF) == DhcpMessage.OP_REPLY && bytes[1] == 1 && bytes[2] == 6;
        final boolean cookie = buffer.getInt(offset + DhcpMessage.FIXED_LENGTH, ByteOrder.BIG_ENDIAN)
            == DhcpMessage.MAGIC_COOKIE;
        if (!header || !cookie)
        {
            assertEquals(header ? DhcpCounter.MALFORMED_COOKIE : DhcpCounter.MALFORMED_HEADER, result);
            return;
        }
        final boolean ended = optionsEnd(bytes);
        if (!ended)
        {
            assertTrue(result == DhcpCounter.MALFORMED_OPTIONS || result == DhcpCounter.MALFORMED_OPTION_VALUE,
                String.valueOf(result));
            return;
        }
        if (result == null)
        {
            assertTrue(reply.messageType() >= DhcpOption.DISCOVER && reply.messageType() <= DhcpOption.INFORM);
            assertTrue(reply.dnsCount() <= DhcpReply.MAX_DNS);
            assertTrue(reply.mtu() == 0 || reply.mtu() >= 68);
            if (reply.hasSubnetMask())
            {
                final int inverted = ~reply.subnetMask();
                assertEquals(0, inverted & (inverted + 1), "only contiguous masks");
            }
        }
        else
        {
            assertTrue(result == DhcpCounter.MALFORMED_OPTION_VALUE || result == DhcpCounter.NO_MESSAGE_TYPE,
                String.valueOf(result));
        }
    }

    @FuzzTest(maxDuration = "60s")
    void clientTakesAnyReplyForItsTransactionWithoutThrowing(final FuzzedDataProvider data)
    {
        final DhcpLink link = new DhcpLink(DhcpConfig.builder().seed(data.consumeLong()));
        link.server.discover = ScriptedDhcpServer.Answer.IGNORE;
        link.runTo(link.clock.nowNs() + 1_000_000);
        final int xid = link.client.xid();
        int datagrams = 0;
        while (data.remainingBytes() > 2 && datagrams < 8)
        {
            final int type = data.pickValue(new int[] {DhcpOption.OFFER, DhcpOption.ACK, DhcpOption.NAK});
            final byte[] mutations = data.consumeBytes(data.consumeInt(0, 64));
            final UnsafeBuffer reply = new UnsafeBuffer(new byte[DhcpMessage.MIN_MAX_MESSAGE]);
            final DhcpMessage m = new DhcpMessage().wrap(reply, 0, reply.capacity());
            m.writeReplyHeader(xid, 0, Ipv4Address.parse("10.0.0.50"), 0, DhcpLink.CLIENT_MAC);
            int at = m.putOptionByte(0, DhcpOption.MESSAGE_TYPE, type);
            at = m.putOptionInt(at, DhcpOption.SERVER_ID, ScriptedDhcpServer.SERVER);
            at = m.putOptionInt(at, DhcpOption.LEASE_TIME, 100);
            at = m.putOptionInt(at, DhcpOption.SUBNET_MASK, 0xFFFF_FF00);
            at = m.putOptionInt(at, DhcpOption.ROUTER, ScriptedDhcpServer.ROUTER);
            int length = m.finish(at);
            // each mutation pair: a position in the options area (or the fixed part) and a new byte
            for (int i = 0; i + 1 < mutations.length; i += 2)
            {
                final int position = (mutations[i] & 0xFF) + ((mutations[i] & 1) == 0 ? DhcpMessage.FIXED_LENGTH : 0);
                reply.putByte(Math.min(position, reply.capacity() - 1), mutations[i + 1]);
            }
            length = Math.min(reply.capacity(), length + data.consumeInt(-length, 16));
            final long dropsBefore = link.client.counters().totalDrops();
            final int eventsBefore = link.events.size();
            final DhcpState stateBefore = link.client.state();
            link.server.sendUdp(Ipv4Address.BROADCAST, MacAddress.BROADCAST, DhcpClient.SERVER_PORT,
                DhcpClient.CLIENT_PORT, reply, Math.max(0, length));
            link.runTo(link.clock.nowNs() + 1_000_000);
            datagrams++;
            final boolean taken = link.events.size() != eventsBefore || link.client.state() != stateBefore;
            assertTrue(taken || link.client.counters().totalDrops() > dropsBefore
                || link.client.counters().get(DhcpCounter.OFFERS_RECEIVED) + link.client.counters()
                .get(DhcpCounter.ACKS_RECEIVED) + link.client.counters().get(DhcpCounter.NAKS_RECEIVED) > 0
                || link.stack.udp().malformed() + link.stack.udp().badChecksum() > 0
                || link.stack.iface().counters().totalDrops() > 0,
                "a datagram was neither taken nor counted: " + link.client.counters());
        }
        // whatever happened, the run goes on: a lease bound now is a usable one
        link.runTo(link.clock.nowNs() + 30 * DhcpLink.SECOND);
        final int address = link.stack.iface().ipv4().address();
        assertTrue(address == 0 || (address != -1 && !Ipv4Address.isMulticast(address)), Ipv4Address.toString(address));
    }

    /** A valid OFFER's fixed part and cookie with {@code raw} as its options (reaches the option walk at once). */
    private static byte[] overTemplate(final byte[] raw)
    {
        final byte[] bytes = new byte[DhcpMessage.OPTIONS_OFFSET + raw.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        new DhcpMessage().wrap(buffer, 0, bytes.length).writeReplyHeader(1, 0, Ipv4Address.parse("10.0.0.50"), 0,
            DhcpLink.CLIENT_MAC);
        buffer.putBytes(DhcpMessage.OPTIONS_OFFSET, raw);
        return bytes;
    }

    /** A plain walk: pad, end, or code-length-value within the bytes, until the end option. */
    private static boolean optionsEnd(final byte[] bytes)
    {
        int i = DhcpMessage.OPTIONS_OFFSET;
        while (i < bytes.length)
        {
            final int code = bytes[i] & 0xFF;
            if (code == 255)
            {
                return true;
            }
            if (code == 0)
            {
                i++;
                continue;
            }
            if (i + 1 >= bytes.length)
            {
                return false;
            }
            i += 2 + (bytes[i + 1] & 0xFF);
        }
        return false;
    }
}
