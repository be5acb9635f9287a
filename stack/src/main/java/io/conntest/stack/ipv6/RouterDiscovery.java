package io.conntest.stack.ipv6;

import java.util.Arrays;

import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;
import io.conntest.stack.wire.NdpMessage;

/**
 * Router and prefix discovery for a host (RFC 4861 §6.3): Router Solicitations when the interface starts
 * (MAX_RTR_SOLICITATIONS of them RTR_SOLICITATION_INTERVAL apart after a random delay, §6.3.7, from the link-local
 * address once DAD passed it), and the processing of Router Advertisements (§6.3.4): the Default Router List from the
 * router lifetime, the prefix list from on-link prefixes, CurHopLimit, BaseReachableTime, RetransTimer, the link MTU
 * from the MTU option (within 1280 and the device's MTU), the router's link-layer address into the neighbour cache,
 * and autonomous prefixes handed to SLAAC. Lists are bounded; entries expire with their lifetimes.
 */
final class RouterDiscovery
{
    /** RFC 4861 §10. */
    static final int MAX_RTR_SOLICITATIONS = 3;
    static final long RTR_SOLICITATION_INTERVAL_NS = 4_000_000_000L;
    static final long MAX_RTR_SOLICITATION_DELAY_NS = 1_000_000_000L;
    private static final long NS_PER_S = 1_000_000_000L;
    private static final long INFINITE = 0xFFFF_FFFFL;

    private final NdpSender ndp;
    private final Ipv6AddressTable addresses;
    private final NeighbourDiscovery neighbours;
    private final AddressAutoconfig autoconfig;
    private final LinkParameters link;
    private final Ipv6Counters counters;
    private final long[] routerHi;
    private final long[] routerLo;
    private final long[] routerUntilNs;
    private final long[] prefixHi;
    private final long[] prefixLo;
    private final int[] prefixLength;
    private final long[] prefixUntilNs;
    private int solicitationsSent;
    private long solicitAtNs = Deadline.NEVER;
    /** A configured default router ({@code --ipv6-gateway}), used when no advertised router is listed. */
    private boolean staticRouter;
    private long staticRouterHi;
    private long staticRouterLo;

    RouterDiscovery(final NdpSender ndp, final Ipv6AddressTable addresses, final NeighbourDiscovery neighbours,
        final AddressAutoconfig autoconfig, final LinkParameters link, final Ipv6Counters counters,
        final int maxRouters, final int maxPrefixes)
    {
        this.ndp = ndp;
        this.addresses = addresses;
        this.neighbours = neighbours;
        this.autoconfig = autoconfig;
        this.link = link;
        this.counters = counters;
        this.routerHi = new long[maxRouters];
        this.routerLo = new long[maxRouters];
        this.routerUntilNs = new long[maxRouters];
        this.prefixHi = new long[maxPrefixes];
        this.prefixLo = new long[maxPrefixes];
        this.prefixLength = new int[maxPrefixes];
        this.prefixUntilNs = new long[maxPrefixes];
        Arrays.fill(routerUntilNs, Deadline.NEVER); // NEVER marks a free router slot
        Arrays.fill(prefixUntilNs, Deadline.NEVER);
        Arrays.fill(prefixLength, -1); // -1 marks a free prefix slot
    }

    void start(final long nowNs)
    {
        solicitAtNs = nowNs + link.randomDelayNs(MAX_RTR_SOLICITATION_DELAY_NS);
    }

    int solicitationsSent()
    {
        return solicitationsSent;
    }

    /**
     * A configured on-link prefix (a static address's subnet, {@code --ipv6 ADDR/PREFIX}), kept with no lifetime.
     *
     * @return false when the prefix list is full.
     */
    boolean addStaticPrefix(final long hi, final long lo, final int length)
    {
        for (int i = 0; i < prefixLength.length; i++)
        {
            if (prefixLength[i] < 0)
            {
                prefixHi[i] = hi & maskHi(length);
                prefixLo[i] = lo & maskLo(length);
                prefixLength[i] = length;
                prefixUntilNs[i] = Deadline.NEVER;
                return true;
            }
        }
        return false;
    }

    /** A configured default router ({@code --ipv6-gateway}): the last choice, after every advertised one. */
    void staticRouter(final long hi, final long lo)
    {
        staticRouter = true;
        staticRouterHi = hi;
        staticRouterLo = lo;
    }

    /** §6.3.4: a Router Advertisement that passed {@link NdpMessage}'s validation. */
    void onAdvertisement(final NdpMessage ra, final long srcHi, final long srcLo, final long nowNs)
    {
        counters.increment(Ipv6Counter.NDP_ROUTER_ADVERTISEMENTS_RECEIVED);
        solicitAtNs = Deadline.NEVER; // §6.3.7: an advertisement came; no more solicitations
        if (ra.currentHopLimit() != 0)
        {
            link.hopLimit(ra.currentHopLimit());
        }
        router(srcHi, srcLo, ra.routerLifetime(), nowNs);
        if (ra.reachableTime() != 0)
        {
            link.baseReachableMs(ra.reachableTime());
        }
        if (ra.retransTimer() != 0)
        {
            link.retransTimerMs(ra.retransTimer());
        }
        final long sourceMac = ra.linkLayerAddress(NdpMessage.OPTION_SOURCE_LINK_LAYER);
        if (sourceMac >= 0)
        {
            neighbours.learn(srcHi, srcLo, sourceMac, true, nowNs);
        }
        final long mtu = ra.mtu();
        if (mtu >= 0)
        {
            if (mtu >= Ipv6Packet.MIN_MTU && mtu <= link.deviceMtu())
            {
                link.mtu((int)mtu);
            }
            else
            {
                counters.increment(Ipv6Counter.NDP_MTU_OPTION_IGNORED);
            }
        }
        while (ra.nextPrefix())
        {
            final int flags = ra.prefixFlags();
            if ((flags & NdpMessage.PREFIX_FLAG_ON_LINK) != 0 && !Ipv6Address.isLinkLocal(ra.prefixHi()))
            {
                prefix(ra.prefixHi(), ra.prefixLo(), ra.prefixLength(), ra.prefixValidLifetime(), nowNs);
            }
            autoconfig.onPrefix(ra.prefixHi(), ra.prefixLo(), ra.prefixLength(), flags, ra.prefixValidLifetime(),
                ra.prefixPreferredLifetime(), nowNs);
        }
    }

    private void router(final long hi, final long lo, final int lifetimeS, final long nowNs)
    {
        int free = -1;
        for (int i = 0; i < routerUntilNs.length; i++)
        {
            if (routerUntilNs[i] != Deadline.NEVER && routerHi[i] == hi && routerLo[i] == lo)
            {
                if (lifetimeS == 0)
                {
                    routerUntilNs[i] = Deadline.NEVER;
                }
                else
                {
                    routerUntilNs[i] = nowNs + lifetimeS * NS_PER_S;
                }
                return;
            }
            if (routerUntilNs[i] == Deadline.NEVER && free < 0)
            {
                free = i;
            }
        }
        if (lifetimeS != 0 && free >= 0)
        {
            routerHi[free] = hi;
            routerLo[free] = lo;
            routerUntilNs[free] = nowNs + lifetimeS * NS_PER_S;
        }
    }

    private void prefix(final long hi, final long lo, final int length, final long validS, final long nowNs)
    {
        if (length > 128)
        {
            counters.increment(Ipv6Counter.NDP_PREFIX_IGNORED);
            return;
        }
        final long maskHi = maskHi(length);
        final long maskLo = maskLo(length);
        int free = -1;
        for (int i = 0; i < prefixLength.length; i++)
        {
            if (prefixLength[i] == length && prefixHi[i] == (hi & maskHi) && prefixLo[i] == (lo & maskLo))
            {
                if (validS == 0)
                {
                    prefixLength[i] = -1; // §6.3.4: a zero valid lifetime times the prefix out at once
                }
                else
                {
                    prefixUntilNs[i] = validS == INFINITE ? Deadline.NEVER : nowNs + validS * NS_PER_S;
                }
                return;
            }
            if (prefixLength[i] < 0 && free < 0)
            {
                free = i;
            }
        }
        if (validS != 0 && free >= 0)
        {
            prefixHi[free] = hi & maskHi;
            prefixLo[free] = lo & maskLo;
            prefixLength[free] = length;
            prefixUntilNs[free] = validS == INFINITE ? Deadline.NEVER : nowNs + validS * NS_PER_S;
        }
    }

    private static long maskHi(final int length)
    {
        return length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    }

    private static long maskLo(final int length)
    {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    /** §7.2.5: a neighbour's advertisement said it is no longer a router: it leaves the Default Router List. */
    void forget(final long hi, final long lo)
    {
        for (int i = 0; i < routerUntilNs.length; i++)
        {
            if (routerUntilNs[i] != Deadline.NEVER && routerHi[i] == hi && routerLo[i] == lo)
            {
                routerUntilNs[i] = Deadline.NEVER;
            }
        }
    }

    /** §5.2: whether the destination is on-link (link-local, or in an on-link prefix). */
    boolean isOnLink(final long hi, final long lo)
    {
        if (Ipv6Address.isLinkLocal(hi))
        {
            return true;
        }
        for (int i = 0; i < prefixLength.length; i++)
        {
            final int length = prefixLength[i];
            if (length >= 0 && (hi & maskHi(length)) == prefixHi[i] && (lo & maskLo(length)) == prefixLo[i])
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The default router to use (§6.3.6): one whose neighbour entry is in any state but INCOMPLETE (reachable or
     * probably so) before one being resolved or not yet known; -1 when the list is empty. Its address by
     * {@link #routerHi(int)}.
     */
    int defaultRouter()
    {
        int unknown = -1;
        for (int i = 0; i < routerUntilNs.length; i++)
        {
            if (routerUntilNs[i] != Deadline.NEVER)
            {
                final int n = neighbours.cache().find(routerHi[i], routerLo[i]);
                if (n >= 0 && neighbours.cache().state(n) != Ipv6NeighbourCache.INCOMPLETE)
                {
                    return i;
                }
                if (unknown < 0)
                {
                    unknown = i;
                }
            }
        }
        return unknown >= 0 || !staticRouter ? unknown : routerHi.length;
    }

    long routerHi(final int i)
    {
        return i == routerHi.length ? staticRouterHi : routerHi[i];
    }

    long routerLo(final int i)
    {
        return i == routerLo.length ? staticRouterLo : routerLo[i];
    }

    /** Solicitations due, routers and prefixes whose lifetime ended. */
    boolean onTimers(final long nowNs)
    {
        boolean worked = false;
        if (Deadline.isDue(solicitAtNs, nowNs))
        {
            worked = true;
            solicit(nowNs);
        }
        for (int i = 0; i < routerUntilNs.length; i++)
        {
            if (Deadline.isDue(routerUntilNs[i], nowNs))
            {
                routerUntilNs[i] = Deadline.NEVER;
                worked = true;
            }
        }
        for (int i = 0; i < prefixLength.length; i++)
        {
            if (prefixLength[i] >= 0 && Deadline.isDue(prefixUntilNs[i], nowNs))
            {
                prefixLength[i] = -1;
                worked = true;
            }
        }
        return worked;
    }

    private void solicit(final long nowNs)
    {
        final int ll = Ipv6AddressTable.LINK_LOCAL;
        final int state = addresses.state(ll);
        if (state == Ipv6AddressTable.TENTATIVE)
        {
            // §6.3.7 lets a host solicit from ::, but then no router can answer it unicast: wait for DAD to end
            solicitAtNs = addresses.dadAtNs(ll);
            return;
        }
        final boolean usable = state == Ipv6AddressTable.PREFERRED;
        if (ndp.solicitRouters(usable ? addresses.hi(ll) : 0, usable ? addresses.lo(ll) : 0))
        {
            solicitationsSent++;
            solicitAtNs = solicitationsSent >= MAX_RTR_SOLICITATIONS ? Deadline.NEVER
                : nowNs + RTR_SOLICITATION_INTERVAL_NS;
        }
    }

    long pollAtNs()
    {
        long at = solicitAtNs;
        for (int i = 0; i < routerUntilNs.length; i++)
        {
            at = Deadline.earliest(at, routerUntilNs[i]);
        }
        for (int i = 0; i < prefixLength.length; i++)
        {
            if (prefixLength[i] >= 0)
            {
                at = Deadline.earliest(at, prefixUntilNs[i]);
            }
        }
        return at;
    }
}
