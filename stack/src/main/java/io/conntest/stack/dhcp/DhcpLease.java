package io.conntest.stack.dhcp;

import io.conntest.stack.wire.Ipv4Address;

import java.util.Arrays;

/**
 * A bound lease as the client tells its listener: the address and what came with it. Immutable; made once per
 * ACK (not per packet).
 *
 * @param address     the leased address.
 * @param prefixLength from the subnet mask (option 1), or the address's class when the server gave none.
 * @param gateway     the first router (option 3) when on the subnet, else 0.
 * @param dns         the DNS servers (option 6), at most {@link DhcpReply#MAX_DNS}.
 * @param mtu         the interface MTU (option 26), or 0.
 * @param server      the server identifier (option 54).
 * @param leaseSecs   the lease time ({@link DhcpOption#INFINITE} for infinite).
 * @param t1Secs      when renewing starts, from the ACK (option 58) or 0.5 × lease (RFC 2131 §4.4.5).
 * @param t2Secs      when rebinding starts, from the ACK (option 59) or 0.875 × lease.
 */
public record DhcpLease(int address, int prefixLength, int gateway, int[] dns, int mtu, int server, long leaseSecs,
                        long t1Secs, long t2Secs)
{
    /** The DNS servers as dotted quads. */
    public String[] dnsText()
    {
        final String[] text = new String[dns.length];
        for (int i = 0; i < dns.length; i++)
        {
            text[i] = Ipv4Address.toString(dns[i]);
        }
        return text;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof DhcpLease l && l.address == address && l.prefixLength == prefixLength
            && l.gateway == gateway && Arrays.equals(l.dns, dns) && l.mtu == mtu && l.server == server
            && l.leaseSecs == leaseSecs && l.t1Secs == t1Secs && l.t2Secs == t2Secs;
    }

    @Override
    public int hashCode()
    {
        return address * 31 + server;
    }

    @Override
    public String toString()
    {
        return Ipv4Address.toString(address) + '/' + prefixLength
            + (gateway != 0 ? " router " + Ipv4Address.toString(gateway) : "")
            + (dns.length > 0 ? " dns " + String.join(",", dnsText()) : "")
            + (mtu != 0 ? " mtu " + mtu : "")
            + " lease " + (leaseSecs == DhcpOption.INFINITE ? "infinite" : leaseSecs + "s")
            + " from " + Ipv4Address.toString(server);
    }
}
