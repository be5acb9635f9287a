package io.conntest.core.transport.stack;

import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv6Address;

/**
 * Says who sent the ICMP error behind a failure, as the failure's text ends: {@code " (ICMP from 10.0.0.1)"}, or
 * {@code " (ICMPv6 from fd00::1)"}. A
 * host unreachable from the first router and one from the peer's own host are different faults; the mesh matrix and
 * the events show which.
 */
final class IcmpSource
{
    private IcmpSource()
    {
    }

    /** The suffix for an error that came from {@code address}, or "" when no ICMP message was involved (0). */
    static String describe(final int address)
    {
        return address == 0 ? "" : " (ICMP from " + Ipv4Address.toString(address) + ")";
    }

    /** As {@link #describe(int)} for an address already in text, either family (ICMPv6 too); null: "". */
    static String describe(final String address)
    {
        return address == null ? "" : (address.indexOf(':') >= 0 ? " (ICMPv6 from " : " (ICMP from ") + address + ")";
    }

    /** The suffix for the last error of {@code socket}: its ICMPv6 or ICMP sender, or "" when none was involved. */
    static String describe(final UdpSocket socket)
    {
        return socket.icmpErrorFromIpv6()
            ? " (ICMPv6 from " + Ipv6Address.format(socket.icmpErrorFromHi(), socket.icmpErrorFromLo()) + ")"
            : describe(socket.icmpErrorFrom());
    }
}
