package io.conntest.stack.dhcp;

import org.agrona.DirectBuffer;

/**
 * A server's message parsed: the fixed fields and the options the client uses (RFC 2132). Reused for every
 * datagram; {@link #parse} walks the options once, bounded by the message's length, and says what was wrong instead
 * of throwing.
 */
public final class DhcpReply
{
    /** DNS servers kept from option 6 at most. */
    public static final int MAX_DNS = 3;

    private final DhcpMessage message = new DhcpMessage();
    private int xid;
    private long chaddr;
    private int yiaddr;
    private int messageType;
    private int serverId;
    private int subnetMask;
    private boolean hasSubnetMask;
    private int router;
    private final int[] dns = new int[MAX_DNS];
    private int dnsCount;
    private int mtu;
    private long leaseSecs;
    private long t1Secs;
    private long t2Secs;

    /**
     * Parses {@code length} bytes at {@code offset}.
     *
     * @return null when the message is a well-formed DHCP reply, else the drop counter saying why it is not.
     */
    public DhcpCounter parse(final DirectBuffer buffer, final int offset, final int length)
    {
        clear();
        if (!message.wrapChecked(buffer, offset, length))
        {
            return DhcpCounter.MALFORMED_SHORT;
        }
        if (message.op() != DhcpMessage.OP_REPLY || message.htype() != DhcpMessage.HTYPE_ETHERNET
            || message.hlen() != 6)
        {
            return DhcpCounter.MALFORMED_HEADER;
        }
        if (!message.hasMagicCookie())
        {
            return DhcpCounter.MALFORMED_COOKIE;
        }
        xid = message.xid();
        chaddr = message.chaddrMac();
        yiaddr = message.yiaddr();
        final DhcpCounter problem = parseOptions();
        if (problem != null)
        {
            return problem;
        }
        return messageType == 0 ? DhcpCounter.NO_MESSAGE_TYPE : null;
    }

    /** RFC 2132 §2: pad and end are one byte; every other option is code, length, value. */
    private DhcpCounter parseOptions()
    {
        final int n = message.optionsLength();
        int i = 0;
        while (i < n)
        {
            final int code = message.optionByte(i);
            if (code == DhcpOption.PAD)
            {
                i++;
                continue;
            }
            if (code == DhcpOption.END)
            {
                return null;
            }
            if (i + 1 >= n)
            {
                return DhcpCounter.MALFORMED_OPTIONS;
            }
            final int len = message.optionByte(i + 1);
            final int value = i + 2;
            if (value + len > n)
            {
                return DhcpCounter.MALFORMED_OPTIONS;
            }
            if (!option(code, value, len))
            {
                return DhcpCounter.MALFORMED_OPTION_VALUE;
            }
            i = value + len;
        }
        // RFC 2131 §4.1: the options end with the end option
        return DhcpCounter.MALFORMED_OPTIONS;
    }

    private boolean option(final int code, final int at, final int len)
    {
        switch (code)
        {
            case DhcpOption.SUBNET_MASK:
                if (len != 4 || !isContiguous(message.optionInt(at)))
                {
                    return false;
                }
                subnetMask = message.optionInt(at);
                hasSubnetMask = true;
                return true;
            case DhcpOption.ROUTER:
                if (len < 4 || (len & 3) != 0)
                {
                    return false;
                }
                router = message.optionInt(at); // RFC 2132 §3.5: in order of preference
                return true;
            case DhcpOption.DNS:
                if (len < 4 || (len & 3) != 0)
                {
                    return false;
                }
                dnsCount = Math.min(MAX_DNS, len / 4);
                for (int k = 0; k < dnsCount; k++)
                {
                    dns[k] = message.optionInt(at + 4 * k);
                }
                return true;
            case DhcpOption.INTERFACE_MTU:
                // RFC 2132 §5.1: two octets, minimum 68
                if (len != 2 || message.optionShort(at) < 68)
                {
                    return false;
                }
                mtu = message.optionShort(at);
                return true;
            case DhcpOption.LEASE_TIME:
            case DhcpOption.RENEWAL_TIME:
            case DhcpOption.REBINDING_TIME:
                if (len != 4)
                {
                    return false;
                }
                final long secs = message.optionInt(at) & 0xFFFF_FFFFL;
                if (code == DhcpOption.LEASE_TIME)
                {
                    leaseSecs = secs;
                }
                else if (code == DhcpOption.RENEWAL_TIME)
                {
                    t1Secs = secs;
                }
                else
                {
                    t2Secs = secs;
                }
                return true;
            case DhcpOption.MESSAGE_TYPE:
                if (len != 1 || message.optionByte(at) < DhcpOption.DISCOVER
                    || message.optionByte(at) > DhcpOption.INFORM)
                {
                    return false;
                }
                messageType = message.optionByte(at);
                return true;
            case DhcpOption.SERVER_ID:
                if (len != 4)
                {
                    return false;
                }
                serverId = message.optionInt(at);
                return true;
            default:
                return true; // options we do not use are skipped (RFC 2131 §4.1 lets a client ignore them)
        }
    }

    private static boolean isContiguous(final int mask)
    {
        final int inverted = ~mask;
        return (inverted & (inverted + 1)) == 0;
    }

    private void clear()
    {
        xid = 0;
        chaddr = 0;
        yiaddr = 0;
        messageType = 0;
        serverId = 0;
        subnetMask = 0;
        hasSubnetMask = false;
        router = 0;
        dnsCount = 0;
        mtu = 0;
        leaseSecs = -1;
        t1Secs = -1;
        t2Secs = -1;
    }

    public int xid()
    {
        return xid;
    }

    /** The client hardware address the reply is for. */
    public long chaddr()
    {
        return chaddr;
    }

    public int yiaddr()
    {
        return yiaddr;
    }

    /** Option 53, or 0 when absent. */
    public int messageType()
    {
        return messageType;
    }

    /** Option 54, or 0 when absent. */
    public int serverId()
    {
        return serverId;
    }

    public boolean hasSubnetMask()
    {
        return hasSubnetMask;
    }

    /** Option 1 (contiguous), valid when {@link #hasSubnetMask()}. */
    public int subnetMask()
    {
        return subnetMask;
    }

    /** The first router of option 3, or 0. */
    public int router()
    {
        return router;
    }

    public int dnsCount()
    {
        return dnsCount;
    }

    public int dns(final int index)
    {
        return dns[index];
    }

    /** Option 26, or 0 when absent. */
    public int mtu()
    {
        return mtu;
    }

    /** Option 51 in seconds ({@link DhcpOption#INFINITE} for infinite), or -1 when absent. */
    public long leaseSecs()
    {
        return leaseSecs;
    }

    /** Option 58 in seconds, or -1 when absent. */
    public long t1Secs()
    {
        return t1Secs;
    }

    /** Option 59 in seconds, or -1 when absent. */
    public long t2Secs()
    {
        return t2Secs;
    }
}
