package io.conntest.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.conntest.tap.libc.LibC;
import io.conntest.tap.libc.Linux;
import io.conntest.tap.libc.Native;
import io.conntest.tap.libc.TcpInfoReader;

/**
 * The TCP_INFO binding against the kernel: a fresh TCP socket reports what Linux gives every new socket (the
 * initial window of 10 segments, RFC 6928, and the default MSS of 536, RFC 1122 §4.2.2.6), which checks the call
 * and the offsets; a UDP socket is refused.
 */
class TcpInfoReaderTest
{
    @Test
    void aFreshSocketReportsTheKernelsInitialFigures()
    {
        final LibC libc = Native.libc();
        final int tcp = libc.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0);
        final int udp = libc.socket(Linux.AF_INET, Linux.SOCK_DGRAM | Linux.SOCK_CLOEXEC, 0);
        assertTrue(tcp >= 0 && udp >= 0);
        try
        {
            final TcpInfoReader reader = new TcpInfoReader();
            assertTrue(reader.read(tcp), "getsockopt TCP_INFO errno " + Native.errno());
            assertEquals(10, reader.sendCwndSegments());
            assertEquals(536, reader.sendMss());
            assertEquals(0, reader.totalRetransmissions());
            assertFalse(reader.read(udp), "TCP_INFO on a UDP socket");
        }
        finally
        {
            libc.close(tcp);
            libc.close(udp);
        }
    }
}
