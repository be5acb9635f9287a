package io.conntest.stack.tcp;

/**
 * Out-of-order ranges beyond RCV.NXT for one connection, over tcp.cc's receive assembler.
 * TEMPORARY: until the assembler is merged this keeps no ranges (out-of-order bytes are not kept).
 */
final class TcpReassembly
{
    boolean isEmpty()
    {
        return true;
    }

    /** Adds {@code [at, at + length)} relative to {@code rcvNxt}; returns the contiguous bytes now at offset 0. */
    int add(final int rcvNxt, final int at, final int length)
    {
        return at == 0 ? length : 0;
    }

    int sackBlocks(final int rcvNxt, final int[] left, final int[] right, final int max)
    {
        return 0;
    }
}
