package io.conntest.stack.tcp.cc;

import io.conntest.stack.tcp.rtt.RttEstimator;
import io.conntest.stack.tcp.sack.ReceiveAssembler;
import io.conntest.stack.tcp.sack.SackScoreboard;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every per-segment operation of this package runs without allocating: a busy connection calls them for each
 * segment, so a single allocation would become garbage at line rate. Measured with the JVM's per-thread
 * allocation counter around a million calls.
 */
class NoAllocationTest
{
    private static final int ROUNDS = 200_000;
    /** Slack for the measurement itself; one allocation per call would be megabytes. */
    private static final long SLACK_BYTES = 16 * 1024;

    private long sink;

    @Test
    void hotPathOperationsDoNotAllocate()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final Cubic cubic = new Cubic();
        final NewReno reno = new NewReno();
        final RttEstimator rtt = new RttEstimator(RttEstimator.LINUX_MIN_RTO_NS);
        final SackScoreboard board = new SackScoreboard();
        final ReceiveAssembler assembler = new ReceiveAssembler();
        final int[] blocks = new int[8];

        run(cubic, reno, rtt, board, assembler, blocks); // warm up: class loading, JIT
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        run(cubic, reno, rtt, board, assembler, blocks);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < SLACK_BYTES, "allocated " + allocated + " bytes over " + ROUNDS + " rounds");
        assertTrue(sink != 0);
    }

    private void run(final Cubic cubic, final NewReno reno, final RttEstimator rtt, final SackScoreboard board,
        final ReceiveAssembler assembler, final int[] blocks)
    {
        final int mss = 1448;
        cubic.init(mss, 0);
        reno.init(mss, 0);
        board.reset(0xFFFF_0000);
        long now = 0;
        int una = 0xFFFF_0000;
        for (int i = 0; i < ROUNDS; i++)
        {
            now += 10_000;
            rtt.sample(1_000_000 + (i & 0xFFFF));
            sink += rtt.rtoNs();
            if ((i & 1023) == 0)
            {
                rtt.backoff();
                cubic.onEnterRecovery(cubic.cwnd(), now);
                cubic.onPartialAck(mss);
                cubic.onExitRecovery(now);
                reno.onDupAck();
                reno.onEnterRecovery(reno.cwnd(), now);
                reno.onPartialAck(mss);
                reno.onExitRecovery(now);
            }
            cubic.onAck(mss, cubic.cwnd(), 1_000_000, now);
            reno.onAck(mss, reno.cwnd(), 1_000_000, now);
            sink += cubic.cwnd() + reno.cwnd();

            // Sender: a few SACK blocks above SND.UNA, then the RFC 6675 queries, then the cumulative ACK.
            board.addSackBlock(una + 2 * mss, una + 4 * mss);
            board.addSackBlock(una + 6 * mss, una + 7 * mss);
            sink += board.pipe(una, una + 20 * mss, una, mss);
            sink += board.nextSeg(una, una + 20 * mss, una, mss, false);
            sink += board.isLost(una, mss) ? 1 : 0;
            una += mss;
            board.onAck(una);

            // Receiver: one hole then its fill.
            assembler.add(2 * mss, mss);
            sink += assembler.sackBlocks(una, blocks, 4);
            sink += assembler.add(0, 2 * mss);
        }
    }
}
