package io.conntest.stack.ipv6;

import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.NdpMessage;

/**
 * Address resolution and neighbour unreachability detection (RFC 4861 §7): the rules that move
 * {@link Ipv6NeighbourCache} entries between states, the solicitations they send (multicast to the target's
 * solicited-node group while INCOMPLETE, MAX_MULTICAST_SOLICIT times RetransTimer apart; unicast in PROBE,
 * MAX_UNICAST_SOLICIT times, after DELAY_FIRST_PROBE_TIME in DELAY), the answer to a solicitation for one of the node's
 * addresses (§7.2.4) and what a received solicitation (§7.2.3), advertisement (§7.2.5, with the Override and Solicited
 * flag rules) or router message (§6.3.4) teaches. A neighbour that answers nothing is removed and the packets held for
 * it dropped (counted); a STALE entry unused for {@link #STALE_LIFETIME_NS} expires.
 */
final class NeighbourDiscovery
{
    /**
     * How long an unused STALE entry stays (RFC 4861 §7.3.2 leaves it to the implementation; Linux's gc_stale_time is
     * 60 s): then it goes, and the next packet to that neighbour resolves it afresh.
     */
    static final long STALE_LIFETIME_NS = 60_000_000_000L;

    private final Ipv6NeighbourCache cache;
    private final HeldPackets held;
    private final NdpSender ndp;
    private final Ipv6AddressTable addresses;
    private final AddressAutoconfig autoconfig;
    private final LinkParameters link;
    private final Ipv6Counters counters;

    NeighbourDiscovery(final Ipv6NeighbourCache cache, final HeldPackets held, final NdpSender ndp,
        final Ipv6AddressTable addresses, final AddressAutoconfig autoconfig, final LinkParameters link,
        final Ipv6Counters counters)
    {
        this.cache = cache;
        this.held = held;
        this.ndp = ndp;
        this.addresses = addresses;
        this.autoconfig = autoconfig;
        this.link = link;
        this.counters = counters;
    }

    Ipv6NeighbourCache cache()
    {
        return cache;
    }

    /**
     * The entry to send a packet to this on-link neighbour through (§7.2.2, §7.3.3): an INCOMPLETE one is made (and
     * its first solicitation sent) when there is none; a STALE one goes to DELAY. The caller holds the packet while
     * the entry is INCOMPLETE.
     */
    int forSending(final long hi, final long lo, final long nowNs)
    {
        int slot = cache.find(hi, lo);
        if (slot < 0)
        {
            makeRoom();
            slot = cache.add(hi, lo, Ipv6NeighbourCache.INCOMPLETE, 0, nowNs);
            solicit(slot, nowNs);
        }
        else if (cache.state(slot) == Ipv6NeighbourCache.STALE)
        {
            cache.set(slot, Ipv6NeighbourCache.DELAY, nowNs + LinkParameters.DELAY_FIRST_PROBE_TIME_NS);
        }
        return slot;
    }

    /** §7.2.3 / §6.3.4: a solicitation or router message from {@code hi, lo} named its link-layer address. */
    void learn(final long hi, final long lo, final long mac, final boolean isRouter, final long nowNs)
    {
        int slot = cache.find(hi, lo);
        if (slot < 0)
        {
            makeRoom();
            slot = cache.add(hi, lo, Ipv6NeighbourCache.STALE, mac, nowNs + STALE_LIFETIME_NS);
        }
        else if (cache.state(slot) == Ipv6NeighbourCache.INCOMPLETE || cache.mac(slot) != mac)
        {
            cache.mac(slot, mac);
            cache.set(slot, Ipv6NeighbourCache.STALE, nowNs + STALE_LIFETIME_NS);
        }
        if (isRouter)
        {
            cache.router(slot, true);
        }
    }

    /** §7.2.3 / §7.2.4: a valid solicitation; answered when it is for one of our assigned addresses. */
    void onSolicitation(final NdpMessage ns, final long srcHi, final long srcLo, final long frameSourceMac,
        final long nowNs)
    {
        counters.increment(Ipv6Counter.NDP_NEIGHBOR_SOLICITATIONS_RECEIVED);
        final long targetHi = ns.targetHi();
        final long targetLo = ns.targetLo();
        final boolean dad = Ipv6Address.isUnspecified(srcHi, srcLo);
        final int slot = addresses.find(targetHi, targetLo);
        if (slot >= 0 && addresses.state(slot) == Ipv6AddressTable.TENTATIVE)
        {
            // RFC 4862 §5.4.3: another node probing the same tentative address is a duplicate; a solicitation
            // from a unicast source for it is silently ignored
            if (dad)
            {
                autoconfig.onDadConflict(targetHi, targetLo, nowNs);
            }
            else
            {
                counters.increment(Ipv6Counter.NDP_SOLICITATION_NOT_FOR_US);
            }
            return;
        }
        if (!addresses.isAssigned(targetHi, targetLo))
        {
            counters.increment(Ipv6Counter.NDP_SOLICITATION_NOT_FOR_US);
            return;
        }
        final long sourceMac = ns.linkLayerAddress(NdpMessage.OPTION_SOURCE_LINK_LAYER);
        if (dad)
        {
            // §7.2.4: to all nodes, not solicited, so the prober learns the address is taken
            ndp.advertise(targetHi, targetLo, Ipv6Address.ALL_NODES_HI, 1, Ipv6Address.multicastMac(1),
                NdpMessage.FLAG_OVERRIDE);
            return;
        }
        if (sourceMac >= 0)
        {
            learn(srcHi, srcLo, sourceMac, false, nowNs);
        }
        final int n = cache.find(srcHi, srcLo);
        final long dstMac = sourceMac >= 0 ? sourceMac
            : n >= 0 && cache.state(n) != Ipv6NeighbourCache.INCOMPLETE ? cache.mac(n) : frameSourceMac;
        ndp.advertise(targetHi, targetLo, srcHi, srcLo, dstMac, NdpMessage.FLAG_SOLICITED | NdpMessage.FLAG_OVERRIDE);
    }

    /**
     * §7.2.5: a valid advertisement.
     *
     * @return true when it cleared the IsRouter flag of a router: the caller removes it from the Default Router List.
     */
    boolean onAdvertisement(final NdpMessage na, final long nowNs)
    {
        counters.increment(Ipv6Counter.NDP_NEIGHBOR_ADVERTISEMENTS_RECEIVED);
        final long targetHi = na.targetHi();
        final long targetLo = na.targetLo();
        final int own = addresses.find(targetHi, targetLo);
        if (own >= 0 && addresses.state(own) != Ipv6AddressTable.DUPLICATE)
        {
            // RFC 4862 §5.4.4: someone advertises our tentative address: a duplicate. (For an assigned one there
            // is nothing to do but log it, §7.2.5.) A DUPLICATE one is the advertiser's: resolved as any neighbour.
            if (!autoconfig.onDadConflict(targetHi, targetLo, nowNs))
            {
                counters.increment(Ipv6Counter.NDP_ADVERTISEMENT_UNSOLICITED_IGNORED);
            }
            return false;
        }
        final int slot = cache.find(targetHi, targetLo);
        if (slot < 0)
        {
            counters.increment(Ipv6Counter.NDP_ADVERTISEMENT_UNSOLICITED_IGNORED);
            return false;
        }
        final int flags = na.flags();
        final boolean solicited = (flags & NdpMessage.FLAG_SOLICITED) != 0;
        final boolean override = (flags & NdpMessage.FLAG_OVERRIDE) != 0;
        final boolean isRouter = (flags & NdpMessage.FLAG_ROUTER) != 0;
        final long targetMac = na.linkLayerAddress(NdpMessage.OPTION_TARGET_LINK_LAYER);
        final int state = cache.state(slot);
        if (state == Ipv6NeighbourCache.INCOMPLETE)
        {
            if (targetMac < 0)
            {
                return false; // nothing to resolve with
            }
            cache.mac(slot, targetMac);
            cache.set(slot, solicited ? Ipv6NeighbourCache.REACHABLE : Ipv6NeighbourCache.STALE,
                nowNs + (solicited ? link.reachableTimeNs() : STALE_LIFETIME_NS));
            cache.router(slot, isRouter);
            return false; // the packets held for it leave in this poll's flush
        }
        final boolean different = targetMac >= 0 && targetMac != cache.mac(slot);
        if (!override && different)
        {
            // the cached address stays; a REACHABLE entry is no longer confirmed
            if (state == Ipv6NeighbourCache.REACHABLE)
            {
                cache.set(slot, Ipv6NeighbourCache.STALE, nowNs + STALE_LIFETIME_NS);
            }
            return false;
        }
        if (different)
        {
            cache.mac(slot, targetMac);
        }
        if (solicited)
        {
            cache.set(slot, Ipv6NeighbourCache.REACHABLE, nowNs + link.reachableTimeNs());
        }
        else if (different)
        {
            cache.set(slot, Ipv6NeighbourCache.STALE, nowNs + STALE_LIFETIME_NS);
        }
        final boolean wasRouter = cache.isRouter(slot);
        cache.router(slot, isRouter);
        return wasRouter && !isRouter; // §7.2.5: a router that became a host leaves the Default Router List
    }

    /** Solicitations due, reachability timeouts, probes; returns whether anything was done. */
    boolean onTimers(final long nowNs)
    {
        boolean worked = false;
        for (int slot = 0; slot < cache.capacity(); slot++)
        {
            final int state = cache.state(slot);
            if (state == Ipv6NeighbourCache.FREE || !Deadline.isDue(cache.deadlineNs(slot), nowNs))
            {
                continue;
            }
            worked = true;
            switch (state)
            {
                case Ipv6NeighbourCache.INCOMPLETE:
                    if (cache.solicitations(slot) >= LinkParameters.MAX_MULTICAST_SOLICIT)
                    {
                        unreachable(slot);
                    }
                    else
                    {
                        solicit(slot, nowNs);
                    }
                    break;
                case Ipv6NeighbourCache.REACHABLE:
                    cache.set(slot, Ipv6NeighbourCache.STALE, nowNs + STALE_LIFETIME_NS);
                    break;
                case Ipv6NeighbourCache.STALE:
                    cache.remove(slot); // unused for STALE_LIFETIME_NS (only INCOMPLETE entries hold packets)
                    break;
                case Ipv6NeighbourCache.DELAY:
                    cache.set(slot, Ipv6NeighbourCache.PROBE, nowNs);
                    solicit(slot, nowNs);
                    break;
                case Ipv6NeighbourCache.PROBE:
                    if (cache.solicitations(slot) >= LinkParameters.MAX_UNICAST_SOLICIT)
                    {
                        unreachable(slot);
                    }
                    else
                    {
                        solicit(slot, nowNs);
                    }
                    break;
                default:
                    break;
            }
        }
        return worked;
    }

    private void unreachable(final int slot)
    {
        counters.increment(Ipv6Counter.NDP_NEIGHBOUR_UNREACHABLE);
        counters.add(Ipv6Counter.NDP_HELD_DROPPED, held.dropFor(slot));
        cache.remove(slot);
    }

    /** One solicitation for the entry: multicast while INCOMPLETE, unicast in PROBE (§7.2.2, §7.3.3). */
    private void solicit(final int slot, final long nowNs)
    {
        final long hi = cache.hi(slot);
        final long lo = cache.lo(slot);
        final int source = addresses.selectSource(hi);
        // no usable source yet (our link-local still tentative): the attempt is used up all the same
        cache.solicited(slot, nowNs + link.retransTimerNs());
        if (source < 0)
        {
            return;
        }
        final long srcHi = addresses.hi(source);
        final long srcLo = addresses.lo(source);
        if (cache.state(slot) == Ipv6NeighbourCache.INCOMPLETE)
        {
            final long group = Ipv6Address.solicitedNodeLo(lo);
            ndp.solicitNeighbour(srcHi, srcLo, Ipv6Address.SOLICITED_NODE_HI, group,
                Ipv6Address.multicastMac(group), hi, lo);
        }
        else
        {
            ndp.solicitNeighbour(srcHi, srcLo, hi, lo, cache.mac(slot), hi, lo);
        }
    }

    private void makeRoom()
    {
        if (cache.isFull())
        {
            final int victim = cache.victim();
            counters.add(Ipv6Counter.NDP_HELD_DROPPED, held.dropFor(victim));
            cache.remove(victim);
            counters.increment(Ipv6Counter.NDP_CACHE_EVICTIONS);
        }
    }

    long pollAtNs()
    {
        return cache.nextDeadlineNs();
    }
}
