package io.conntest.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conntest.stack.tcp.TcpHarness.Seg;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ICMP "communication administratively prohibited" (type 3 codes 9, 10, 13) answering a SYN ends the connect at
 * once with {@link TcpError#PROHIBITED}, as Linux treats them as fatal; host unreachable (code 1) stays a soft error
 * (RFC 1122 §4.2.3.9).
 */
class TcpAdminProhibitedTest
{
    private final TcpHarness h = new TcpHarness();

    private void icmpForSyn(final TcpSocket s, final int code)
    {
        assertTrue(s.connect(TcpHarness.REMOTE, 80));
        final Seg syn = h.expectOne();
        final UnsafeBuffer quoted = new UnsafeBuffer(new byte[8]);
        quoted.putShort(0, (short)s.localPort(), java.nio.ByteOrder.BIG_ENDIAN);
        quoted.putShort(2, (short)80, java.nio.ByteOrder.BIG_ENDIAN);
        quoted.putInt(4, syn.repr.seq, java.nio.ByteOrder.BIG_ENDIAN);
        h.tcp.onIcmpError(3, code, TcpHarness.ROUTER, TcpHarness.LOCAL, TcpHarness.REMOTE, quoted, 0, 8, 0, h.clock.nowNs());
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 13})
    void adminProhibitedInSynSentEndsTheConnect(final int code)
    {
        final TcpSocket s = h.tcp.openSocket();
        icmpForSyn(s, code);
        assertEquals(TcpState.CLOSED, s.state());
        assertEquals(TcpError.PROHIBITED, s.error());
        assertEquals(TcpHarness.ROUTER, s.icmpErrorFrom(), "who rejected it is kept for the failure's text");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void netAndHostUnreachableStaySoft(final int code)
    {
        final TcpSocket s = h.tcp.openSocket();
        icmpForSyn(s, code);
        assertEquals(TcpState.SYN_SENT, s.state());
    }
}
