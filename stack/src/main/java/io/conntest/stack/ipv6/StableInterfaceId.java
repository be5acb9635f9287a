package io.conntest.stack.ipv6;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable, semantically opaque interface identifiers (RFC 7217 §5): {@code F(Prefix, Net_Iface, Network_ID,
 * DAD_Counter, secret_key)} with SHA-256 as F and its first 64 bits the identifier. Net_Iface is the interface's MAC,
 * there is no Network_ID, and the secret key is derived from the stack's seed: the same seed, MAC and prefix give the
 * same address at every start; another prefix gives an unrelated one, so the address tells nothing across networks.
 * Identifiers RFC 5453 reserves are skipped by counting on, as §5 asks. Computed once per prefix (allocates a
 * digest: rare, never on the packet path).
 */
final class StableInterfaceId
{
    private final long mac;
    private final long secret;

    StableInterfaceId(final long mac, final long seed)
    {
        this.mac = mac;
        this.secret = seed ^ 0x7217_7217_5EED_0001L;
    }

    /** The identifier for {@code prefixHi} (a /64) at {@code dadCounter}, never a reserved one. */
    long identifier(final long prefixHi, final int dadCounter)
    {
        for (int counter = dadCounter; ; counter++)
        {
            final long id = hash(prefixHi, counter);
            if (!isReserved(id))
            {
                return id;
            }
        }
    }

    private long hash(final long prefixHi, final int counter)
    {
        final MessageDigest sha;
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
        final byte[] input = new byte[8 + 6 + 4 + 8];
        put(input, 0, prefixHi, 8);
        put(input, 8, mac, 6);
        put(input, 14, counter, 4);
        put(input, 18, secret, 8);
        final byte[] digest = sha.digest(input);
        long id = 0;
        for (int i = 0; i < 8; i++)
        {
            id = id << 8 | (digest[i] & 0xFF);
        }
        return id;
    }

    private static void put(final byte[] to, final int at, final long value, final int bytes)
    {
        for (int i = 0; i < bytes; i++)
        {
            to[at + i] = (byte)(value >>> (8 * (bytes - 1 - i)));
        }
    }

    /**
     * RFC 5453 §3: the Subnet-Router anycast identifier (all zeros), the reserved subnet anycast ones
     * ({@code fdff:ffff:ffff:ff80} to {@code ff}) and the proxy mobile range ({@code 0200:5eff:fe00:0000-5212}).
     */
    static boolean isReserved(final long id)
    {
        return id == 0 || (id >>> 7) == (0xFDFF_FFFF_FFFF_FF80L >>> 7)
            || (id >= 0x0200_5EFF_FE00_0000L && id <= 0x0200_5EFF_FE00_5212L);
    }
}
