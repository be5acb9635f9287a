package io.conntest.core.transport;

import java.util.List;

/**
 * One step of the own stack's DHCP client ({@code --ipv4 dhcp}), as the outputs show it. Immutable.
 *
 * @param step         offer, bound, renewing, renewed, rebinding, expired, nak or declined
 * @param address      the address concerned (offered, leased, declined), or null (nak)
 * @param prefixLength the lease's prefix length, or -1 when the step has no lease
 * @param gateway      the lease's router, or null
 * @param dns          the lease's DNS servers (empty when none or no lease)
 * @param mtu          the lease's interface MTU option, or 0
 * @param leaseSecs    the lease time in seconds (4294967295 = infinite), or -1
 * @param t1Secs       when renewing starts, or -1
 * @param t2Secs       when rebinding starts, or -1
 * @param server       the DHCP server, or null
 * @param conflictMac  declined: the MAC that answered the ARP probe for the address, else null
 */
public record DhcpStep(String step, String address, int prefixLength, String gateway, List<String> dns, int mtu,
                       long leaseSecs, long t1Secs, long t2Secs, String server, String conflictMac)
{
    /** The step in words, for the text output and logs. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(step);
        switch (step)
        {
            case "offer" -> sb.append(' ').append(address).append(" from ").append(server);
            case "nak" -> sb.append(" from ").append(server).append(": address given up, starting over");
            case "declined" -> sb.append(' ').append(address).append(": in use by ").append(conflictMac)
                .append(" (ARP probe), starting over");
            case "expired" -> sb.append(' ').append(address).append(": no address until a new lease");
            default -> lease(sb);
        }
        return sb.toString();
    }

    private void lease(final StringBuilder sb)
    {
        sb.append(' ').append(address).append('/').append(prefixLength);
        if (gateway != null)
        {
            sb.append(" router ").append(gateway);
        }
        if (!dns.isEmpty())
        {
            sb.append(" dns ").append(String.join(",", dns));
        }
        if (mtu != 0)
        {
            sb.append(" mtu ").append(mtu);
        }
        sb.append(" lease ").append(leaseSecs == 0xFFFF_FFFFL ? "infinite" : leaseSecs + "s");
        if (leaseSecs != 0xFFFF_FFFFL)
        {
            sb.append(" (renew at ").append(t1Secs).append("s, rebind at ").append(t2Secs).append("s)");
        }
        sb.append(" from ").append(server);
    }
}
