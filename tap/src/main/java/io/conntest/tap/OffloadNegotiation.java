package io.conntest.tap;

import io.conntest.stack.phy.Offloads;
import io.conntest.tap.libc.Errno;

/**
 * Asks the kernel for offloads with {@code TUNSETOFFLOAD} and falls back flag by flag: a kernel that does not know a
 * flag answers EINVAL for the whole set, so the least important flag is dropped and the rest asked again, down to
 * no offload at all. Any other error ends the negotiation at once with no offload (the device then works plain).
 *
 * <p>The system call sits behind {@link Setter}, so a test can make the kernel refuse any flag.
 */
final class OffloadNegotiation
{
    /**
     * What conntest asks for: checksum and TCP segmentation offload, and UDP segmentation offload (Linux 6.2+), with
     * which the kernel may hand up UDP super-datagrams ({@code GSO_UDP_L4}): the stack's interface splits them into
     * their datagrams before any socket sees them. A kernel without USO refuses it (EINVAL) and keeps the rest.
     */
    static final int WANTED = Offloads.CSUM | Offloads.TSO4 | Offloads.TSO6 | Offloads.USO4 | Offloads.USO6;

    /** Flags dropped on EINVAL, first to last (the last is the one worth most). */
    private static final int[] FALLBACK_ORDER = {
        Offloads.USO6, Offloads.USO4, Offloads.TSO6, Offloads.TSO4, Offloads.CSUM
    };

    /** One {@code ioctl(fd, TUNSETOFFLOAD, flags)}. */
    @FunctionalInterface
    interface Setter
    {
        /** @return 0 when accepted, else the errno. */
        int set(int flags);
    }

    private OffloadNegotiation()
    {
    }

    /**
     * @return the flags the kernel accepted, a subset of {@code wanted}; {@link Offloads#NONE} when it took none
     *         (the last call then was {@code TUNSETOFFLOAD(0)}, or an error that is not EINVAL).
     */
    static int negotiate(final int wanted, final Setter setter)
    {
        int flags = wanted;
        int next = 0;
        while (true)
        {
            // TSO without CSUM is refused by Linux (tun_set_offload): never ask for it.
            if ((flags & Offloads.CSUM) == 0)
            {
                flags = Offloads.NONE;
            }
            final int errno = setter.set(flags);
            if (errno == 0)
            {
                return flags;
            }
            if (errno != Errno.EINVAL || flags == Offloads.NONE)
            {
                if (flags != Offloads.NONE)
                {
                    setter.set(Offloads.NONE);
                }
                return Offloads.NONE;
            }
            while (next < FALLBACK_ORDER.length && (flags & FALLBACK_ORDER[next]) == 0)
            {
                next++;
            }
            if (next == FALLBACK_ORDER.length)
            {
                flags = Offloads.NONE;
            }
            else
            {
                flags &= ~FALLBACK_ORDER[next++];
            }
        }
    }
}
