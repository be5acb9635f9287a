package io.conntest.stack.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein) with a secret 128-bit key: the keyed pseudo-random function F of RFC 6528
 * (initial sequence numbers), RFC 6056 Algorithm 3 (ephemeral port offsets) and RFC 7323 §5.4 (per-connection
 * timestamp offsets). Inputs are two 64-bit words, so no allocation.
 */
final class TcpKeyedHash
{
    private final long k0;
    private final long k1;

    TcpKeyedHash(final long k0, final long k1)
    {
        this.k0 = k0;
        this.k1 = k1;
    }

    long hash(final long m0, final long m1)
    {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        for (int w = 0; w < 3; w++)
        {
            final long m = w == 0 ? m0 : w == 1 ? m1 : (16L << 56);
            v3 ^= m;
            for (int r = 0; r < 2; r++)
            {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13);
                v1 ^= v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16);
                v3 ^= v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21);
                v3 ^= v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17);
                v1 ^= v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++)
        {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
