package io.conntest.stack.iface;

import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.MacAddress;

import java.security.SecureRandom;
import java.util.Random;

/**
 * What an {@link Interface} is: its MAC and IPv4 address, prefix, optional default gateway and MTU, plus the
 * bounds and timers of ARP, held datagrams and reassembly. Immutable; build one with {@link #builder(int, int)}.
 */
public final class InterfaceConfig
{
    /** The smallest MTU an IPv4 interface may have (RFC 791: every host must take 68-octet datagrams whole). */
    public static final int MIN_MTU = 68;
    /** The largest MTU: the IPv4 total length field's range. */
    public static final int MAX_MTU = 65_535;

    /**
     * The one check of an MTU value, for every layer that takes one (the interface, TCP, the command line).
     *
     * @throws IllegalArgumentException naming the value and the range.
     */
    public static int checkMtu(final int mtu)
    {
        if (mtu < MIN_MTU || mtu > MAX_MTU)
        {
            throw new IllegalArgumentException("MTU " + mtu + " is not in " + MIN_MTU + ".." + MAX_MTU + " (RFC 791)");
        }
        return mtu;
    }

    private final long mac;
    private final int address;
    private final int prefixLength;
    private final int gateway;
    private final int mtu;
    private final int ingressBatch;
    private final int neighbourCacheSize;
    private final long neighbourTtlNs;
    private final long arpRetryIntervalNs;
    private final int arpMaxRequests;
    private final int heldPerNeighbour;
    private final int heldDatagrams;
    private final int maxReassemblies;
    private final long reassemblyTimeoutNs;
    private final long seed;

    private InterfaceConfig(final Builder b)
    {
        this.mac = b.mac;
        this.address = b.address;
        this.prefixLength = b.prefixLength;
        this.gateway = b.gateway;
        this.mtu = b.mtu;
        this.ingressBatch = b.ingressBatch;
        this.neighbourCacheSize = b.neighbourCacheSize;
        this.neighbourTtlNs = b.neighbourTtlNs;
        this.arpRetryIntervalNs = b.arpRetryIntervalNs;
        this.arpMaxRequests = b.arpMaxRequests;
        this.heldPerNeighbour = b.heldPerNeighbour;
        this.heldDatagrams = b.heldDatagrams;
        this.maxReassemblies = b.maxReassemblies;
        this.reassemblyTimeoutNs = b.reassemblyTimeoutNs;
        this.seed = b.seed;
    }

    /** A builder for an interface with {@code address/prefixLength}, e.g. {@code 10.0.0.2/24}. */
    public static Builder builder(final int address, final int prefixLength)
    {
        return new Builder(address, prefixLength);
    }

    /**
     * A builder for an interface without an IPv4 address yet (0.0.0.0): one a DHCP client configures at run time
     * through {@link Interface#ipv4()}. Give it no gateway.
     */
    public static Builder unassigned()
    {
        return new Builder(0, 0);
    }

    /** A builder from CIDR text such as {@code 10.0.0.2/24}. */
    public static Builder builder(final String cidr)
    {
        final int slash = cidr.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("expected ADDRESS/PREFIX, e.g. 10.0.0.2/24: " + cidr);
        }
        final int prefix;
        try
        {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad prefix length in " + cidr, ex);
        }
        return builder(Ipv4Address.parse(cidr.substring(0, slash)), prefix);
    }

    public long mac()
    {
        return mac;
    }

    /** The static address, or 0 for one assigned at run time (DHCP). */
    public int address()
    {
        return address;
    }

    public int prefixLength()
    {
        return prefixLength;
    }

    /** The default gateway, or 0 for none (only on-link destinations are reachable). */
    public int gateway()
    {
        return gateway;
    }

    /** The IPv4 MTU, or 0 to take the device's. */
    public int mtu()
    {
        return mtu;
    }

    /** Frames taken from the device per poll at most. */
    public int ingressBatch()
    {
        return ingressBatch;
    }

    public int neighbourCacheSize()
    {
        return neighbourCacheSize;
    }

    /** How long a resolved neighbour is trusted before it is resolved again. */
    public long neighbourTtlNs()
    {
        return neighbourTtlNs;
    }

    /** Time between ARP requests for one neighbour (rate limit, RFC 1122 §2.3.2.1: at most one per second). */
    public long arpRetryIntervalNs()
    {
        return arpRetryIntervalNs;
    }

    /** ARP requests sent for a neighbour before it is declared unreachable. */
    public int arpMaxRequests()
    {
        return arpMaxRequests;
    }

    /** Datagrams held per neighbour while it is being resolved (RFC 1122 §2.3.2.2: SHOULD hold at least one). */
    public int heldPerNeighbour()
    {
        return heldPerNeighbour;
    }

    /** Datagrams held for all pending neighbours together; each slot takes 64 KiB. */
    public int heldDatagrams()
    {
        return heldDatagrams;
    }

    /** Reassemblies in progress at once; each takes 64 KiB, so this also bounds reassembly memory. */
    public int maxReassemblies()
    {
        return maxReassemblies;
    }

    /** How long a reassembly may take (RFC 1122 §3.3.2: 60 s at most). */
    public long reassemblyTimeoutNs()
    {
        return reassemblyTimeoutNs;
    }

    /** Seed of the interface's randomness (initial IPv4 identification). */
    public long seed()
    {
        return seed;
    }

    @Override
    public String toString()
    {
        return "InterfaceConfig{mac=" + MacAddress.toString(mac) + ", address=" + Ipv4Address.toString(address) + '/'
            + prefixLength + (gateway != 0 ? ", gateway=" + Ipv4Address.toString(gateway) : "")
            + (mtu != 0 ? ", mtu=" + mtu : "") + '}';
    }

    /** Builds an {@link InterfaceConfig}; every setting but the address has a default. */
    public static final class Builder
    {
        private long mac = -1;
        private final int address;
        private final int prefixLength;
        private int gateway;
        private int mtu;
        private int ingressBatch = 64;
        private int neighbourCacheSize = 64;
        private long neighbourTtlNs = 60_000_000_000L;
        private long arpRetryIntervalNs = 1_000_000_000L;
        private int arpMaxRequests = 3;
        private int heldPerNeighbour = 4;
        private int heldDatagrams = 8;
        private int maxReassemblies = 8;
        private long reassemblyTimeoutNs = 30_000_000_000L;
        private Random random;
        private long seed;
        private boolean seeded;

        private Builder(final int address, final int prefixLength)
        {
            Ipv4Address.netmask(prefixLength);
            this.address = address;
            this.prefixLength = prefixLength;
        }

        /** A fixed MAC; by default a random locally administered unicast one. */
        public Builder mac(final long mac)
        {
            if (MacAddress.isGroup(mac))
            {
                throw new IllegalArgumentException("MAC must be unicast: " + MacAddress.toString(mac));
            }
            this.mac = mac;
            return this;
        }

        public Builder gateway(final int gateway)
        {
            if (gateway != 0 && !Ipv4Address.sameNetwork(gateway, address, prefixLength))
            {
                throw new IllegalArgumentException("gateway " + Ipv4Address.toString(gateway) + " is not on-link");
            }
            this.gateway = gateway;
            return this;
        }

        public Builder mtu(final int mtu)
        {
            if (mtu != 0)
            {
                checkMtu(mtu);
            }
            this.mtu = mtu;
            return this;
        }

        public Builder ingressBatch(final int frames)
        {
            this.ingressBatch = positive(frames, "ingressBatch");
            return this;
        }

        public Builder neighbourCacheSize(final int entries)
        {
            this.neighbourCacheSize = positive(entries, "neighbourCacheSize");
            return this;
        }

        public Builder neighbourTtlNs(final long ns)
        {
            this.neighbourTtlNs = positive(ns, "neighbourTtlNs");
            return this;
        }

        public Builder arpRetryIntervalNs(final long ns)
        {
            this.arpRetryIntervalNs = positive(ns, "arpRetryIntervalNs");
            return this;
        }

        public Builder arpMaxRequests(final int requests)
        {
            this.arpMaxRequests = positive(requests, "arpMaxRequests");
            return this;
        }

        public Builder heldPerNeighbour(final int datagrams)
        {
            this.heldPerNeighbour = positive(datagrams, "heldPerNeighbour");
            return this;
        }

        public Builder heldDatagrams(final int datagrams)
        {
            this.heldDatagrams = positive(datagrams, "heldDatagrams");
            return this;
        }

        public Builder maxReassemblies(final int reassemblies)
        {
            this.maxReassemblies = positive(reassemblies, "maxReassemblies");
            return this;
        }

        public Builder reassemblyTimeoutNs(final long ns)
        {
            if (ns <= 0 || ns > 60_000_000_000L)
            {
                throw new IllegalArgumentException("reassembly timeout must be in (0, 60 s] (RFC 1122 §3.3.2)");
            }
            this.reassemblyTimeoutNs = ns;
            return this;
        }

        /** Seeds the random MAC (when none is given) and the initial IPv4 identification, for reproducible runs. */
        public Builder seed(final long seed)
        {
            this.seed = seed;
            this.seeded = true;
            return this;
        }

        public InterfaceConfig build()
        {
            if (!seeded)
            {
                seed = new SecureRandom().nextLong();
            }
            random = new Random(seed);
            if (mac == -1)
            {
                mac = MacAddress.randomLocallyAdministered(random);
            }
            return new InterfaceConfig(this);
        }

        private static int positive(final int value, final String name)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }

        private static long positive(final long value, final String name)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
