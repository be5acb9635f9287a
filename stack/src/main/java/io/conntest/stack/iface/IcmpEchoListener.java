package io.conntest.stack.iface;

import org.agrona.DirectBuffer;

/** Told of every ICMP echo reply (RFC 792) the interface receives, e.g. by a ping client. */
@FunctionalInterface
public interface IcmpEchoListener
{
    /**
     * @param data bytes of the reply's data, valid only during the call.
     */
    void onEchoReply(int srcAddr, int identifier, int sequence, DirectBuffer data, int offset, int length, long nowNs);
}
