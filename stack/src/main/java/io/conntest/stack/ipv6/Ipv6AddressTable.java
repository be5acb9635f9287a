package io.conntest.stack.ipv6;

import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Ipv6Address;

/**
 * The node's own unicast addresses (RFC 4862 §2): slot 0 the link-local one, the others autoconfigured from
 * prefixes, each TENTATIVE until Duplicate Address Detection ends, then PREFERRED, DEPRECATED once its preferred
 * lifetime ends (still accepted, not chosen as a source for new traffic, §5.5.4), freed when its valid lifetime ends.
 * A DUPLICATE one stays listed so it is reported, and is never used. Bounded; no allocation after construction.
 */
final class Ipv6AddressTable
{
    static final int FREE = 0;
    static final int TENTATIVE = 1;
    static final int PREFERRED = 2;
    static final int DEPRECATED = 3;
    static final int DUPLICATE = 4;
    static final int LINK_LOCAL = 0;

    private final int capacity;
    private final long[] hi;
    private final long[] lo;
    private final int[] state;
    private final long[] preferredUntilNs;
    private final long[] validUntilNs;
    /** RFC 7217's DAD_Counter of the identifier in use for this slot's prefix. */
    private final int[] dadCounter;
    private final int[] dadProbesLeft;
    /** TENTATIVE: when the next DAD probe is due, or DAD ends. */
    private final long[] dadAtNs;

    Ipv6AddressTable(final int capacity)
    {
        this.capacity = capacity;
        this.hi = new long[capacity];
        this.lo = new long[capacity];
        this.state = new int[capacity];
        this.preferredUntilNs = new long[capacity];
        this.validUntilNs = new long[capacity];
        this.dadCounter = new int[capacity];
        this.dadProbesLeft = new int[capacity];
        this.dadAtNs = new long[capacity];
    }

    int capacity()
    {
        return capacity;
    }

    /** Puts a tentative address in {@code slot}, its first DAD probe due at {@code probeAtNs}. */
    void add(final int slot, final long addressHi, final long addressLo, final long preferredUntil,
        final long validUntil, final int counter, final int probes, final long probeAtNs)
    {
        hi[slot] = addressHi;
        lo[slot] = addressLo;
        state[slot] = TENTATIVE;
        preferredUntilNs[slot] = preferredUntil;
        validUntilNs[slot] = validUntil;
        dadCounter[slot] = counter;
        dadProbesLeft[slot] = probes;
        dadAtNs[slot] = probeAtNs;
    }

    /** A free slot other than the link-local one, or -1 when full. */
    int freeSlot()
    {
        for (int i = 1; i < capacity; i++)
        {
            if (state[i] == FREE)
            {
                return i;
            }
        }
        return -1;
    }

    /** The slot holding exactly this address (any state but FREE), or -1. */
    int find(final long addressHi, final long addressLo)
    {
        for (int i = 0; i < capacity; i++)
        {
            if (state[i] != FREE && lo[i] == addressLo && hi[i] == addressHi)
            {
                return i;
            }
        }
        return -1;
    }

    /** The slot of the (non-duplicate) address formed from this /64 prefix, or -1. */
    int findPrefix(final long prefixHi)
    {
        for (int i = 1; i < capacity; i++)
        {
            if (state[i] != FREE && state[i] != DUPLICATE && hi[i] == prefixHi)
            {
                return i;
            }
        }
        return -1;
    }

    /** Whether the address is ours and usable (PREFERRED or DEPRECATED): packets to it are accepted. */
    boolean isAssigned(final long addressHi, final long addressLo)
    {
        final int slot = find(addressHi, addressLo);
        return slot >= 0 && (state[slot] == PREFERRED || state[slot] == DEPRECATED);
    }

    /** Whether {@code groupLo} is the solicited-node group (ff02::1:ffXX:XXXX) of a tentative or assigned address. */
    boolean joinedSolicitedNode(final long groupLo)
    {
        for (int i = 0; i < capacity; i++)
        {
            if ((state[i] == TENTATIVE || state[i] == PREFERRED || state[i] == DEPRECATED)
                && Ipv6Address.solicitedNodeLo(lo[i]) == groupLo)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 6724's source choice in the small: for a link-local or multicast destination the link-local address; for
     * another, a preferred address of the same /64, else any preferred global, else a deprecated one, else the
     * link-local. Returns the slot, or -1 when nothing is usable (the link-local still tentative).
     */
    int selectSource(final long dstHi)
    {
        final boolean linkScope = Ipv6Address.isLinkLocal(dstHi)
            || (Ipv6Address.isMulticast(dstHi) && ((dstHi >>> 48) & 0xF) <= 2);
        if (!linkScope)
        {
            int fallback = -1;
            for (int i = 1; i < capacity; i++)
            {
                if (state[i] == PREFERRED && hi[i] == dstHi)
                {
                    return i;
                }
                if (state[i] == PREFERRED && (fallback < 0 || state[fallback] != PREFERRED))
                {
                    fallback = i;
                }
                else if (state[i] == DEPRECATED && fallback < 0)
                {
                    fallback = i;
                }
            }
            if (fallback >= 0)
            {
                return fallback;
            }
        }
        return state[LINK_LOCAL] == PREFERRED ? LINK_LOCAL : -1;
    }

    int state(final int slot)
    {
        return state[slot];
    }

    void state(final int slot, final int newState)
    {
        state[slot] = newState;
    }

    long hi(final int slot)
    {
        return hi[slot];
    }

    long lo(final int slot)
    {
        return lo[slot];
    }

    long preferredUntilNs(final int slot)
    {
        return preferredUntilNs[slot];
    }

    long validUntilNs(final int slot)
    {
        return validUntilNs[slot];
    }

    void lifetimes(final int slot, final long preferredUntil, final long validUntil)
    {
        preferredUntilNs[slot] = preferredUntil;
        validUntilNs[slot] = validUntil;
    }

    int dadCounter(final int slot)
    {
        return dadCounter[slot];
    }

    int dadProbesLeft(final int slot)
    {
        return dadProbesLeft[slot];
    }

    long dadAtNs(final int slot)
    {
        return dadAtNs[slot];
    }

    void probeSent(final int slot, final long nextAtNs)
    {
        dadProbesLeft[slot]--;
        dadAtNs[slot] = nextAtNs;
    }

    /** The earliest DAD or lifetime deadline of any address. */
    long nextDeadlineNs()
    {
        long at = Deadline.NEVER;
        for (int i = 0; i < capacity; i++)
        {
            switch (state[i])
            {
                case TENTATIVE:
                    at = Deadline.earliest(at, dadAtNs[i]);
                    break;
                case PREFERRED:
                    at = Deadline.earliest(at, Deadline.earliest(preferredUntilNs[i], validUntilNs[i]));
                    break;
                case DEPRECATED:
                    at = Deadline.earliest(at, validUntilNs[i]);
                    break;
                default:
                    break;
            }
        }
        return at;
    }
}
