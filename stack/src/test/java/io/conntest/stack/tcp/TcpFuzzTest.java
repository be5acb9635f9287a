package io.conntest.stack.tcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.conntest.stack.wire.TcpPacket;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the TCP segment parser and the whole connection state machine: each input is one
 * segment from the peer (first byte: how to deliver it, the rest the segment) to a protocol with a listener and an
 * established connection. Nothing may throw and the connection table stays bounded. A normal build replays the seed
 * corpus (regression mode); {@code JAZZER_FUZZ=1 mvn test -Dtest=TcpFuzzTest} fuzzes for real.
 */
class TcpFuzzTest
{
    private static TcpHarness harness;
    private static final UnsafeBuffer BUFFER = new UnsafeBuffer(new byte[1600]);
    private static final TcpPacket VIEW = new TcpPacket();

    @FuzzTest(maxDuration = "60s")
    void anySegmentIsHandledNeverThrown(final byte[] input)
    {
        if (harness == null || harness.tcp.connectionCount() == 0)
        {
            harness = new TcpHarness(new TcpConfig().maxConnections(32));
            harness.establishPassive(true);
        }
        if (input.length < 1)
        {
            return;
        }
        final int mode = input[0] & 0xFF;
        final int length = Math.min(input.length - 1, 1480);
        BUFFER.putBytes(0, input, 1, length);
        if ((mode & 1) != 0 && length >= TcpPacket.HEADER_LENGTH)
        {
            // Most of the time the checksum is made right, so the fuzzer reaches the state machine.
            VIEW.wrapForWrite(BUFFER, 0, length);
            VIEW.fillChecksum(TcpHarness.REMOTE, TcpHarness.LOCAL);
        }
        harness.tcp.processDatagram(TcpHarness.REMOTE, TcpHarness.LOCAL, BUFFER, 0, length, harness.clock.nowNs());
        harness.clock.advanceMs(mode >>> 4);
        harness.poll();
        assertTrue(harness.tcp.connectionCount() <= 32);
    }
}
