package io.conntest.tap;

import io.conntest.stack.phy.Offloads;
import io.conntest.tap.libc.Errno;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TUNSETOFFLOAD negotiation with a kernel that refuses flags, through the ioctl seam: no root needed. */
class OffloadNegotiationTest
{
    /** A kernel that answers EINVAL to any set holding a flag of {@code refused}, and records every call. */
    private static final class RefusingKernel implements OffloadNegotiation.Setter
    {
        final int refused;
        final int errno;
        final List<Integer> calls = new ArrayList<>();

        RefusingKernel(final int refused, final int errno)
        {
            this.refused = refused;
            this.errno = errno;
        }

        @Override
        public int set(final int flags)
        {
            calls.add(flags);
            return (flags & refused) != 0 ? errno : 0;
        }
    }

    @Test
    void aKernelThatTakesEverythingIsAskedOnce()
    {
        final RefusingKernel kernel = new RefusingKernel(0, Errno.EINVAL);
        assertEquals(OffloadNegotiation.WANTED, OffloadNegotiation.negotiate(OffloadNegotiation.WANTED, kernel));
        assertEquals(List.of(OffloadNegotiation.WANTED), kernel.calls);
    }

    /** TCP's offloads only: the fallback below USO. */
    private static final int TCP = Offloads.CSUM | Offloads.TSO4 | Offloads.TSO6;

    @Test
    void aRefusedTso6FallsBackToChecksumAndTso4()
    {
        final RefusingKernel kernel = new RefusingKernel(Offloads.TSO6, Errno.EINVAL);
        assertEquals(Offloads.CSUM | Offloads.TSO4, OffloadNegotiation.negotiate(TCP, kernel));
        assertEquals(List.of(TCP, Offloads.CSUM | Offloads.TSO4), kernel.calls);
    }

    @Test
    void conntestAsksForUsoTooAndAKernelWithoutItKeepsTcpOffloads()
    {
        assertEquals(TCP | Offloads.USO4 | Offloads.USO6, OffloadNegotiation.WANTED);
        final RefusingKernel kernel = new RefusingKernel(Offloads.USO4 | Offloads.USO6, Errno.EINVAL);
        assertEquals(TCP, OffloadNegotiation.negotiate(OffloadNegotiation.WANTED, kernel));
    }

    @Test
    void usoIsDroppedFirstThenTso6()
    {
        final int all = Offloads.CSUM | Offloads.TSO4 | Offloads.TSO6 | Offloads.USO4 | Offloads.USO6;
        final RefusingKernel kernel = new RefusingKernel(Offloads.USO4 | Offloads.USO6, Errno.EINVAL);
        assertEquals(Offloads.CSUM | Offloads.TSO4 | Offloads.TSO6, OffloadNegotiation.negotiate(all, kernel));
        assertEquals(List.of(all, all & ~Offloads.USO6, Offloads.CSUM | Offloads.TSO4 | Offloads.TSO6),
            kernel.calls);
    }

    @Test
    void aRefusedTso4LeavesChecksumOffloadOnly()
    {
        final RefusingKernel kernel = new RefusingKernel(Offloads.TSO4 | Offloads.TSO6, Errno.EINVAL);
        assertEquals(Offloads.CSUM, OffloadNegotiation.negotiate(TCP, kernel));
        assertEquals(List.of(TCP, Offloads.CSUM | Offloads.TSO4, Offloads.CSUM), kernel.calls);
    }

    @Test
    void aRefusedChecksumMeansNoOffloadAndNeverTsoAlone()
    {
        final RefusingKernel kernel = new RefusingKernel(Offloads.CSUM, Errno.EINVAL);
        assertEquals(Offloads.NONE, OffloadNegotiation.negotiate(OffloadNegotiation.WANTED, kernel));
        assertEquals(Offloads.NONE, (int)kernel.calls.get(kernel.calls.size() - 1));
        for (final int flags : kernel.calls)
        {
            assertEquals(0, flags & Offloads.CSUM ^ (flags == 0 ? 0 : Offloads.CSUM), "TSO asked without CSUM");
        }
    }

    @Test
    void anErrorOtherThanEinvalEndsWithNoOffloadAtOnce()
    {
        final RefusingKernel kernel = new RefusingKernel(Offloads.TSO4, Errno.ENOTTY);
        assertEquals(Offloads.NONE, OffloadNegotiation.negotiate(OffloadNegotiation.WANTED, kernel));
        assertEquals(List.of(OffloadNegotiation.WANTED, Offloads.NONE), kernel.calls);
    }

    @Test
    void modeParsesCaseInsensitively()
    {
        assertEquals(OffloadMode.AUTO, OffloadMode.parse("Auto"));
        assertEquals(OffloadMode.NONE, OffloadMode.parse("none"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> OffloadMode.parse("on"));
    }
}
