package io.conntest.stack.tcp;

import io.conntest.stack.tcp.sack.ReceiveAssembler;

/**
 * Out-of-order ranges beyond RCV.NXT for one connection, over tcp.cc's {@link ReceiveAssembler} (bounded number of
 * ranges); the bytes themselves sit in the receive ring at their offset.
 */
final class TcpReassembly
{
    private final ReceiveAssembler assembler = new ReceiveAssembler();

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
        return assembler.sackBlocks(rcvNxt, left, right, Math.min(max, left.length));
    }
}
