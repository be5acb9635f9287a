package io.conntest.stack.ipv6;

import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.NdpMessage;

/**
 * Stateless address autoconfiguration (RFC 4862): the link-local address at start (the modified EUI-64 of the MAC,
 * RFC 4291 appendix A), an address per autonomous prefix of a Router Advertisement with a stable identifier
 * ({@link StableInterfaceId}, RFC 7217), lifetimes kept as §5.5.3 and §5.5.4 say, and Duplicate Address Detection
 * (§5.4) for every address before it is used: the solicited-node group joined (MLD), DupAddrDetectTransmits
 * solicitations from {@code ::} after a random delay, RetransTimer after the last. A solicitation from {@code ::} or
 * an advertisement for the tentative address means another node has it (§5.4.3, §5.4.4): the address is DUPLICATE,
 * counted and never used; for a prefix, RFC 7217 §6 forms the next identifier (DAD_Counter + 1), at most
 * IDGEN_RETRIES times.
 */
final class AddressAutoconfig
{
    /** RFC 4862 §5.1: DupAddrDetectTransmits. */
    static final int DUP_ADDR_DETECT_TRANSMITS = 1;
    /** RFC 4861 §10: MAX_RTR_SOLICITATION_DELAY, the bound of the random delay before the first DAD probe. */
    static final long MAX_FIRST_PROBE_DELAY_NS = 1_000_000_000L;
    /** RFC 7217 §7: IDGEN_RETRIES. */
    static final int IDGEN_RETRIES = 3;
    /** RFC 4862 §5.5.3 e: two hours. */
    static final long TWO_HOURS_S = 7200;
    private static final long INFINITE = 0xFFFF_FFFFL;

    private final Ipv6AddressTable addresses;
    private final NdpSender ndp;
    private final MldReporter mld;
    private final LinkParameters link;
    private final Ipv6Counters counters;
    private final StableInterfaceId ids;
    private final long linkLocalLo;

    AddressAutoconfig(final Ipv6AddressTable addresses, final NdpSender ndp, final MldReporter mld,
        final LinkParameters link, final Ipv6Counters counters, final StableInterfaceId ids, final long mac)
    {
        this.addresses = addresses;
        this.ndp = ndp;
        this.mld = mld;
        this.link = link;
        this.counters = counters;
        this.ids = ids;
        this.linkLocalLo = modifiedEui64(mac);
    }

    /** RFC 4291 appendix A: the MAC with {@code ff:fe} in its middle and the universal/local bit inverted. */
    static long modifiedEui64(final long mac)
    {
        final long oui = (mac >>> 24) & 0xFF_FFFFL;
        final long nic = mac & 0xFF_FFFFL;
        return ((oui ^ 0x02_0000L) << 40) | (0xFFFEL << 24) | nic;
    }

    long linkLocalLo()
    {
        return linkLocalLo;
    }

    /** Without autoconfiguration: the link-local address in use at once, without DAD (as with accept_dad=0). */
    void assignLinkLocal()
    {
        addresses.add(Ipv6AddressTable.LINK_LOCAL, 0xFE80_0000_0000_0000L, linkLocalLo, Deadline.NEVER,
            Deadline.NEVER, 0, 0, Deadline.NEVER);
        addresses.state(Ipv6AddressTable.LINK_LOCAL, Ipv6AddressTable.PREFERRED);
    }

    /**
     * A configured address ({@code --ipv6 ADDR/PREFIX}), tentative until DAD passes: §5.4 asks for DAD on every
     * unicast address, "regardless of whether [it is] obtained through stateless autoconfiguration, DHCPv6, or manual
     * configuration". A duplicate is reported and never replaced (its DAD_Counter is -1: no identifier to regenerate).
     */
    void addStatic(final int slot, final long hi, final long lo, final long nowNs)
    {
        addTentative(slot, hi, lo, Deadline.NEVER, Deadline.NEVER, -1, nowNs);
    }

    /** §5.3: the link-local address, tentative, when the interface starts. */
    void start(final long nowNs)
    {
        addTentative(Ipv6AddressTable.LINK_LOCAL, 0xFE80_0000_0000_0000L, linkLocalLo, Deadline.NEVER,
            Deadline.NEVER, 0, nowNs);
    }

    /**
     * §5.5.3: one Prefix Information option of a valid Router Advertisement ({@code flags} its L and A bits,
     * lifetimes in seconds).
     */
    void onPrefix(final long prefixHi, final long prefixLo, final int prefixLength, final int flags,
        final long validS, final long preferredS, final long nowNs)
    {
        if ((flags & NdpMessage.PREFIX_FLAG_AUTONOMOUS) == 0)
        {
            return; // a: not for autoconfiguration
        }
        if (Ipv6Address.isLinkLocal(prefixHi) || preferredS > validS || prefixLength != 64 || prefixLo != 0)
        {
            // b, c; and a prefix whose length plus the 64-bit identifier is not 128 (§5.5.3 d)
            counters.increment(Ipv6Counter.NDP_PREFIX_IGNORED);
            return;
        }
        final int slot = addresses.findPrefix(prefixHi);
        if (slot < 0)
        {
            if (validS != 0)
            {
                form(prefixHi, 0, validS, preferredS, nowNs);
            }
            return;
        }
        if (addresses.dadCounter(slot) < 0)
        {
            return; // a configured address in this prefix: it keeps its infinite lifetimes, no second one is formed
        }
        // e: the preferred lifetime is reset; the valid one only by the two-hour rule (against a spoofed short one)
        final long remainingS = Deadline.isSet(addresses.validUntilNs(slot))
            ? Math.max(0, (addresses.validUntilNs(slot) - nowNs) / 1_000_000_000L) : Long.MAX_VALUE;
        final long validUntil;
        if (validS > TWO_HOURS_S || validS > remainingS)
        {
            validUntil = until(validS, nowNs);
        }
        else if (remainingS <= TWO_HOURS_S)
        {
            validUntil = addresses.validUntilNs(slot);
        }
        else
        {
            validUntil = until(TWO_HOURS_S, nowNs);
        }
        addresses.lifetimes(slot, until(preferredS, nowNs), validUntil);
        if (addresses.state(slot) == Ipv6AddressTable.DEPRECATED && preferredS > 0)
        {
            addresses.state(slot, Ipv6AddressTable.PREFERRED);
        }
    }

    private void form(final long prefixHi, final int dadCounter, final long validS, final long preferredS,
        final long nowNs)
    {
        final int slot = addresses.freeSlot();
        if (slot < 0)
        {
            counters.increment(Ipv6Counter.NDP_PREFIX_IGNORED);
            return;
        }
        addTentative(slot, prefixHi, ids.identifier(prefixHi, dadCounter), until(preferredS, nowNs),
            until(validS, nowNs), dadCounter, nowNs);
        counters.increment(Ipv6Counter.SLAAC_ADDRESSES_FORMED);
    }

    private static long until(final long seconds, final long nowNs)
    {
        return seconds == INFINITE ? Deadline.NEVER : nowNs + seconds * 1_000_000_000L;
    }

    private void addTentative(final int slot, final long hi, final long lo, final long preferredUntil,
        final long validUntil, final int dadCounter, final long nowNs)
    {
        // §5.4.2: join the solicited-node group (the MLD report goes first), probe after a random delay
        addresses.add(slot, hi, lo, preferredUntil, validUntil, dadCounter, DUP_ADDR_DETECT_TRANSMITS,
            nowNs + link.randomDelayNs(MAX_FIRST_PROBE_DELAY_NS));
        mld.join(Ipv6Address.solicitedNodeLo(lo), nowNs);
    }

    /**
     * §5.4.3 / §5.4.4: a solicitation from {@code ::} or an advertisement for {@code target}; true when it was one
     * of our tentative addresses (now DUPLICATE).
     */
    boolean onDadConflict(final long targetHi, final long targetLo, final long nowNs)
    {
        final int slot = addresses.find(targetHi, targetLo);
        if (slot < 0 || addresses.state(slot) != Ipv6AddressTable.TENTATIVE)
        {
            return false;
        }
        addresses.state(slot, Ipv6AddressTable.DUPLICATE);
        mld.leave(Ipv6Address.solicitedNodeLo(targetLo), nowNs);
        counters.increment(Ipv6Counter.DAD_DUPLICATES);
        if (slot != Ipv6AddressTable.LINK_LOCAL && addresses.dadCounter(slot) >= 0)
        {
            final int next = addresses.dadCounter(slot) + 1;
            if (next > IDGEN_RETRIES)
            {
                counters.increment(Ipv6Counter.SLAAC_GAVE_UP);
            }
            else
            {
                final long validUntil = addresses.validUntilNs(slot);
                final long preferredUntil = addresses.preferredUntilNs(slot);
                // keep the duplicate listed (reported) only while another slot is free for the next identifier
                final int free = addresses.freeSlot();
                final int to = free >= 0 ? free : slot;
                addTentative(to, targetHi, ids.identifier(targetHi, next), preferredUntil, validUntil, next, nowNs);
            }
        }
        return true;
    }

    /** DAD probes and their end, deprecation and expiry. Returns whether anything was done. */
    boolean onTimers(final long nowNs)
    {
        boolean worked = false;
        for (int slot = 0; slot < addresses.capacity(); slot++)
        {
            final int state = addresses.state(slot);
            if (state == Ipv6AddressTable.TENTATIVE && Deadline.isDue(addresses.dadAtNs(slot), nowNs))
            {
                worked = true;
                if (addresses.dadProbesLeft(slot) > 0)
                {
                    probe(slot, nowNs); // the MLD report of its group went first, earlier in this poll
                }
                else
                {
                    addresses.state(slot, Ipv6AddressTable.PREFERRED);
                    counters.increment(Ipv6Counter.DAD_SUCCEEDED);
                }
            }
            else if ((state == Ipv6AddressTable.PREFERRED || state == Ipv6AddressTable.DEPRECATED
                || state == Ipv6AddressTable.DUPLICATE) && Deadline.isDue(addresses.validUntilNs(slot), nowNs))
            {
                worked = true;
                if (state != Ipv6AddressTable.DUPLICATE)
                {
                    mld.leave(Ipv6Address.solicitedNodeLo(addresses.lo(slot)), nowNs);
                    counters.increment(Ipv6Counter.SLAAC_ADDRESSES_EXPIRED);
                }
                addresses.state(slot, Ipv6AddressTable.FREE);
            }
            else if (state == Ipv6AddressTable.PREFERRED && Deadline.isDue(addresses.preferredUntilNs(slot), nowNs))
            {
                worked = true;
                addresses.state(slot, Ipv6AddressTable.DEPRECATED);
            }
        }
        return worked;
    }

    private void probe(final int slot, final long nowNs)
    {
        final long target = addresses.lo(slot);
        final long group = Ipv6Address.solicitedNodeLo(target);
        if (ndp.solicitNeighbour(0, 0, Ipv6Address.SOLICITED_NODE_HI, group, Ipv6Address.multicastMac(group),
            addresses.hi(slot), target))
        {
            counters.increment(Ipv6Counter.DAD_PROBES_SENT);
            addresses.probeSent(slot, nowNs + link.retransTimerNs());
        }
    }

    long pollAtNs()
    {
        return addresses.nextDeadlineNs();
    }
}
