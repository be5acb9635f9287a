package io.conntest.cli.options;

import java.util.ArrayList;
import java.util.List;

import io.conntest.stack.wire.Ipv6Address;

/**
 * The stack's IPv6 configuration from {@code --ipv6} (repeatable) and {@code --ipv6-gateway}, checked. As on Linux, a
 * node may have configured addresses and SLAAC ones at once ({@code --ipv6 auto --ipv6 fd00:c0::2/64}); every
 * address goes through Duplicate Address Detection (RFC 4862 §5.4) before it is used. Without any, the stack has its
 * link-local address only and sends no IPv6 unasked.
 *
 * @param auto      autoconfiguration from Router Advertisements ({@code --ipv6 auto})
 * @param addresses configured addresses ({@code --ipv6 ADDR/PREFIX}), each prefix on-link
 * @param gateway   the configured default router ({@code --ipv6-gateway}), used while no advertisement names one; null
 *                  for none
 */
public record Ipv6Settings(boolean auto, List<Ipv6Cidr> addresses, Ipv6Gateway gateway)
{
    /** The stack's limit of configured addresses (its table holds 8 with the link-local one). */
    public static final int MAX_ADDRESSES = 7;
    /** No {@code --ipv6} at all (or {@code off}): the link-local address only. */
    public static final Ipv6Settings NONE = new Ipv6Settings(false, List.of(), null);

    public Ipv6Settings
    {
        addresses = List.copyOf(addresses);
    }

    /**
     * The settings of the {@code --ipv6} values and the {@code --ipv6-gateway} address (or null).
     *
     * @throws IllegalArgumentException naming the option when they do not go together
     */
    public static Ipv6Settings of(final List<Ipv6Choice> choices, final Ipv6Gateway gateway)
    {
        boolean auto = false;
        boolean off = false;
        final List<Ipv6Cidr> addresses = new ArrayList<>();
        for (final Ipv6Choice choice : choices == null ? List.<Ipv6Choice>of() : choices)
        {
            auto |= choice.auto();
            off |= choice.off();
            if (choice.address() != null)
            {
                for (final Ipv6Cidr other : addresses)
                {
                    if (other.sameAddress(choice.address()))
                    {
                        throw new IllegalArgumentException("--ipv6 " + Ipv6Cidr.format(other.hi(), other.lo())
                            + " is given twice");
                    }
                }
                addresses.add(choice.address());
            }
        }
        if (off && (auto || !addresses.isEmpty()))
        {
            throw new IllegalArgumentException("--ipv6 off does not go with --ipv6 " + (auto ? "auto" : addresses.get(0))
                + " (off: the link-local address only)");
        }
        if (addresses.size() > MAX_ADDRESSES)
        {
            throw new IllegalArgumentException("--ipv6: at most " + MAX_ADDRESSES + " addresses (" + addresses.size()
                + " given)");
        }
        if (gateway == null)
        {
            return new Ipv6Settings(auto, addresses, null);
        }
        final String text = "--ipv6-gateway " + Ipv6Address.format(gateway.hi(), gateway.lo());
        if (!auto && addresses.isEmpty())
        {
            throw new IllegalArgumentException(text + " needs --ipv6 ADDR/PREFIX or --ipv6 auto (with the link-local "
                + "address only the stack sends nothing through a router)");
        }
        boolean onLink = Ipv6Address.isLinkLocal(gateway.hi());
        for (final Ipv6Cidr address : addresses)
        {
            if (address.hi() == gateway.hi() && address.lo() == gateway.lo())
            {
                throw new IllegalArgumentException(text + " is the stack's own address (the gateway is another "
                    + "node on the link)");
            }
            onLink |= address.contains(gateway.hi(), gateway.lo());
        }
        if (!onLink && !auto)
        {
            // RFC 4861 §6.3.6: a router is a neighbour; without auto no advertised prefix can make it on-link later
            throw new IllegalArgumentException(text + " is not on-link: give a link-local address (fe80::...) or one "
                + "in a --ipv6 prefix (" + addresses.get(0) + ")");
        }
        return new Ipv6Settings(auto, addresses, gateway);
    }

    /** Whether the stack's IPv6 addresses may change while it runs (autoconfiguration or DAD of a configured one). */
    public boolean addressesChange()
    {
        return auto || !addresses.isEmpty();
    }
}
