package io.conntest.stack.ipv6;

import org.agrona.DirectBuffer;

/**
 * What the IPv6 host hands upwards: TCP and UDP packets addressed to one of its unicast addresses (past the address,
 * extension-header and reassembly checks), and ICMPv6 errors about packets this node sent (RFC 4443 §2.4 b, §3).
 * The interface implements it and demultiplexes by the upper-layer protocol. All calls on the interface's thread;
 * buffers are valid only during the call.
 */
public interface Ipv6Transport
{
    /**
     * One upper-layer packet (RFC 8200 §8: its checksum covers the IPv6 pseudo-header, for the receiver to verify).
     *
     * @param nextHeader    the upper-layer protocol (6 TCP, 17 UDP).
     * @param hopLimit      the packet's hop limit as it arrived.
     * @param trafficClass  its Traffic Class byte (DSCP and ECN, RFC 8200 §7).
     * @param checksumTrusted the device vouched for the upper-layer checksum or left it partial (offloads): do not
     *                      verify it.
     * @return false when nothing took it: the host then answers a Destination Unreachable, port unreachable
     *         (RFC 4443 §3.1 code 4).
     */
    boolean onPacket(int nextHeader, long srcHi, long srcLo, long dstHi, long dstLo, int hopLimit, int trafficClass,
        DirectBuffer buffer, int offset, int length, boolean checksumTrusted, long nowNs);

    /**
     * An ICMPv6 error about a packet we sent (RFC 4443 §3) whose quoted header names {@code nextHeader}.
     *
     * @param type          1 destination unreachable, 2 packet too big, 3 time exceeded, 4 parameter problem.
     * @param code          the error's code.
     * @param reporterHi    the address of the node that sent the error.
     * @param dstHi         the destination of the quoted packet: the peer it was sent to.
     * @param quoted        holding the quoted upper-layer header (at least 8 bytes: the ports are there).
     * @param mtu           for Packet Too Big the MTU field (RFC 8201), else 0.
     */
    void onError(int nextHeader, int type, int code, long reporterHi, long reporterLo, long srcHi, long srcLo,
        long dstHi, long dstLo, DirectBuffer quoted, int offset, int length, int mtu, long nowNs);
}
