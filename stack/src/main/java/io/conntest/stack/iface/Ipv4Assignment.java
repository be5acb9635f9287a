package io.conntest.stack.iface;

import io.conntest.stack.wire.Ipv4Address;

/**
 * The interface's current IPv4 address assignment: address, prefix and default gateway. A static configuration
 * sets it once; a DHCP client ({@code io.conntest.stack.dhcp}) sets it when a lease is bound and clears it when the
 * lease ends. Address 0.0.0.0 means unassigned: the interface then sends only broadcasts, from 0.0.0.0 (a DHCP
 * client's, RFC 2131 §4.1, RFC 1122 §3.3.6), answers no ARP, and takes in broadcasts and unicast UDP to port 68 (the
 * DHCP server's replies, which may go to the address being offered). The egress, the ingress and TCP read it on every
 * datagram (plain field reads: nothing is allocated). Single-threaded, like the interface.
 */
public final class Ipv4Assignment
{
    private int address;
    private int prefixLength;
    private int netmask;
    private int directedBroadcast = Ipv4Address.BROADCAST;
    private int gateway;
    private int mtu;
    private int changes;

    /** Unassigned (0.0.0.0). */
    public Ipv4Assignment()
    {
    }

    /** A fixed assignment of {@code address/prefixLength} without a gateway (0 stays unassigned). */
    public static Ipv4Assignment of(final int address, final int prefixLength)
    {
        final Ipv4Assignment assignment = new Ipv4Assignment();
        if (address != 0)
        {
            assignment.assign(address, prefixLength, 0);
        }
        return assignment;
    }

    /**
     * Takes {@code address/prefixLength} with an optional default {@code gateway} (0 for none).
     *
     * @throws IllegalArgumentException for address 0, a bad prefix length or a gateway that is not on-link.
     */
    public void assign(final int address, final int prefixLength, final int gateway)
    {
        assign(address, prefixLength, gateway, 0);
    }

    /**
     * As {@link #assign(int, int, int)}, with the link's MTU as the address's network gives it (a DHCP lease's
     * option 26, RFC 2132 §5.1), or 0 for none: the interface then sends no datagram larger than it (it never goes
     * above the device's or the configured MTU, which the TAP enforces).
     *
     * @throws IllegalArgumentException also for an MTU other than 0 below 68 (RFC 791).
     */
    public void assign(final int address, final int prefixLength, final int gateway, final int mtu)
    {
        if (mtu != 0 && mtu < InterfaceConfig.MIN_MTU)
        {
            throw new IllegalArgumentException("MTU " + mtu + " is below " + InterfaceConfig.MIN_MTU);
        }
        if (address == 0)
        {
            throw new IllegalArgumentException("0.0.0.0 is not an address to assign; clear() unassigns");
        }
        final int mask = Ipv4Address.netmask(prefixLength);
        if (gateway != 0 && !Ipv4Address.sameNetwork(gateway, address, prefixLength))
        {
            throw new IllegalArgumentException("gateway " + Ipv4Address.toString(gateway) + " is not on-link");
        }
        this.address = address;
        this.prefixLength = prefixLength;
        this.netmask = mask;
        this.directedBroadcast = Ipv4Address.directedBroadcast(address, prefixLength);
        this.gateway = gateway;
        this.mtu = mtu;
        changes++;
    }

    /** Back to unassigned (0.0.0.0): a lease expired or was refused. */
    public void clear()
    {
        if (address == 0)
        {
            return;
        }
        address = 0;
        prefixLength = 0;
        netmask = 0;
        directedBroadcast = Ipv4Address.BROADCAST;
        gateway = 0;
        mtu = 0;
        changes++;
    }

    /** Whether an address is assigned. */
    public boolean isAssigned()
    {
        return address != 0;
    }

    /** The address, or 0 when unassigned. */
    public int address()
    {
        return address;
    }

    public int prefixLength()
    {
        return prefixLength;
    }

    public int netmask()
    {
        return netmask;
    }

    /** The subnet's directed broadcast address; 255.255.255.255 when unassigned. */
    public int directedBroadcast()
    {
        return directedBroadcast;
    }

    /** The default gateway, or 0 for none. */
    public int gateway()
    {
        return gateway;
    }

    /** The MTU that came with the address, or 0 for none (the device's or the configured one applies). */
    public int mtu()
    {
        return mtu;
    }

    /** The MTU to send with on a link whose own MTU is {@code linkMtu}: the assigned one when it is lower. */
    public int effectiveMtu(final int linkMtu)
    {
        return mtu != 0 && mtu < linkMtu ? mtu : linkMtu;
    }

    /** How many times the assignment changed: the interface announces each new address once (RFC 5227 §2.3). */
    public int changes()
    {
        return changes;
    }

    @Override
    public String toString()
    {
        return address == 0 ? "unassigned" : Ipv4Address.toString(address) + '/' + prefixLength
            + (gateway != 0 ? " via " + Ipv4Address.toString(gateway) : "") + (mtu != 0 ? " mtu " + mtu : "");
    }
}
