package io.conntest.stack.phy;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * A {@link FrameDevice} decorator that describes every frame, received and sent, in one line of text for a
 * log: direction, length, MACs, EtherType and, for IPv4, addresses and protocol (ports for UDP and TCP). Meant
 * for debugging: it builds a string per frame, which is exactly what the hot path otherwise never does.
 */
public final class TracingDevice extends ForwardingDevice
{
    private final Consumer<String> sink;
    private final Tap tap = new Tap();
    private MutableDirectBuffer claimed;

    /** @param sink receives one line per frame, on the device's thread. */
    public TracingDevice(final FrameDevice inner, final Consumer<String> sink)
    {
        super(inner);
        this.sink = sink;
    }

    @Override
    public int receive(final FrameHandler handler, final int maxFrames)
    {
        tap.downstream = handler;
        try
        {
            return inner.receive(tap, maxFrames);
        }
        finally
        {
            tap.downstream = null;
        }
    }

    @Override
    public MutableDirectBuffer claim(final int maxLength)
    {
        claimed = inner.claim(maxLength);
        return claimed;
    }

    @Override
    public void commit(final int length)
    {
        if (claimed != null)
        {
            sink.accept(describe("tx", claimed, 0, length));
            claimed = null;
        }
        inner.commit(length);
    }

    @Override
    public void commit(final int length, final FrameMetadata metadata)
    {
        if (claimed != null)
        {
            sink.accept(describe("tx", claimed, 0, length, metadata));
            claimed = null;
        }
        inner.commit(length, metadata);
    }

    /** {@link #describe(String, DirectBuffer, int, int)} plus the offload metadata, when the frame has any. */
    public static String describe(final String direction, final DirectBuffer b, final int offset, final int length,
        final FrameMetadata metadata)
    {
        final String line = describe(direction, b, offset, length);
        if (metadata.isPlain())
        {
            return line;
        }
        final StringBuilder sb = new StringBuilder(line.length() + 40).append(line);
        if (metadata.isSuperFrame())
        {
            final int type = metadata.gsoType() & ~FrameMetadata.GSO_ECN;
            sb.append(type == FrameMetadata.GSO_TCPV4 ? " tso4" : type == FrameMetadata.GSO_TCPV6 ? " tso6" :
                type == FrameMetadata.GSO_UDP_L4 ? " uso" : " gso " + type).append(' ').append(metadata.gsoSize());
        }
        if (metadata.needsChecksum())
        {
            sb.append(" csum-partial");
        }
        if (metadata.dataValid())
        {
            sb.append(" csum-valid");
        }
        return sb.toString();
    }

    @Override
    public void abort()
    {
        claimed = null;
        inner.abort();
    }

    /** One line about the frame, e.g. {@code rx 98 B 02:..:01 > 02:..:02 IPv4 10.0.0.1 > 10.0.0.2 ICMP}. */
    public static String describe(final String direction, final DirectBuffer b, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(96).append(direction).append(' ').append(length).append(" B");
        if (length < 14)
        {
            return sb.append(" (runt)").toString();
        }
        sb.append(' ');
        appendMac(sb, b, offset + 6).append(" > ");
        appendMac(sb, b, offset);
        final int type = b.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        switch (type)
        {
            case 0x0806:
                sb.append(" ARP");
                if (length >= 42)
                {
                    final int op = b.getShort(offset + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                    sb.append(op == 1 ? " who-has " : op == 2 ? " reply " : " op " + op + " ");
                    appendIpv4(sb, b, offset + 38).append(" from ");
                    appendIpv4(sb, b, offset + 28);
                }
                break;
            case 0x0800:
                sb.append(" IPv4");
                if (length >= 34)
                {
                    final int ihl = (b.getByte(offset + 14) & 0x0F) * 4;
                    final int protocol = b.getByte(offset + 23) & 0xFF;
                    final int fragment = b.getShort(offset + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                    sb.append(' ');
                    appendIpv4(sb, b, offset + 26).append(" > ");
                    appendIpv4(sb, b, offset + 30);
                    sb.append(protocol == 1 ? " ICMP" : protocol == 6 ? " TCP" : protocol == 17 ? " UDP"
                        : " proto " + protocol);
                    final int l4 = offset + 14 + ihl;
                    if ((fragment & 0x1FFF) == 0 && (protocol == 6 || protocol == 17) && l4 + 4 <= offset + length)
                    {
                        sb.append(' ').append(b.getShort(l4, ByteOrder.BIG_ENDIAN) & 0xFFFF).append(" > ")
                            .append(b.getShort(l4 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
                    }
                    if ((fragment & 0x3FFF) != 0)
                    {
                        sb.append(" fragment offset ").append((fragment & 0x1FFF) * 8)
                            .append((fragment & 0x2000) != 0 ? " MF" : "");
                    }
                }
                break;
            case 0x86DD:
                sb.append(" IPv6");
                break;
            default:
                sb.append(" type 0x").append(Integer.toHexString(type));
        }
        return sb.toString();
    }

    private static StringBuilder appendMac(final StringBuilder sb, final DirectBuffer b, final int at)
    {
        for (int i = 0; i < 6; i++)
        {
            final int octet = b.getByte(at + i) & 0xFF;
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (i < 5)
            {
                sb.append(':');
            }
        }
        return sb;
    }

    private static StringBuilder appendIpv4(final StringBuilder sb, final DirectBuffer b, final int at)
    {
        return sb.append(b.getByte(at) & 0xFF).append('.').append(b.getByte(at + 1) & 0xFF).append('.')
            .append(b.getByte(at + 2) & 0xFF).append('.').append(b.getByte(at + 3) & 0xFF);
    }

    /** Describes each received frame, then passes it on. */
    private final class Tap implements FrameHandler
    {
        FrameHandler downstream;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            sink.accept(describe("rx", buffer, offset, length));
            downstream.onFrame(buffer, offset, length);
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length,
            final FrameMetadata metadata)
        {
            sink.accept(describe("rx", buffer, offset, length, metadata));
            downstream.onFrame(buffer, offset, length, metadata);
        }
    }
}
