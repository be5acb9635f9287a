package io.conntest.stack.tcp;

import io.conntest.stack.tcp.cc.ReceiveAssembler;

/**
 * Out-of-order ranges beyond RCV.NXT for one connection, over tcp.cc's {@link ReceiveAssembler} (bounded number of
 * ranges); the bytes themselves sit in the receive ring at their offset.
 */
final class TcpReassembly
{
    private final ReceiveAssembler assembler = new ReceiveAssembler();
    private final int[] blocks = new int[2 * io.conntest.stack.wire.TcpRepr.MAX_SACK_BLOCKS];

    boolean isEmpty()
    {
        return assembler.isEmpty();
    }

    /** Adds {@code [at, at + length)} relative to RCV.NXT; returns the contiguous bytes now at offset 0. */
    int add(final int rcvNxt, final int at, final int length)
    {
        return assembler.add(at, length);
    }

    /** SACK blocks, the most recent first (RFC 2018 §4). */
    int sackBlocks(final int rcvNxt, final int[] left, final int[] right, final int max)
    {
        final int n = assembler.sackBlocks(rcvNxt, blocks, Math.min(max, left.length));
        for (int i = 0; i < n; i++)
        {
            left[i] = blocks[2 * i];
            right[i] = blocks[2 * i + 1];
        }
        return n;
    }
}
