package io.conntest.cli.lab;

import io.conntest.tap.netns.NetworkNamespace;

/**
 * The lab's NAT ({@code --topology nat}): the kernel of the lab's namespace routes between the inside bridge
 * ({@link LabMesh#BRIDGE}, 10.0.0.0/24) and the outside bridge ({@link #OUTSIDE_BRIDGE}, 10.1.0.0/24), as a home
 * router does, with nftables: inside addresses are masqueraded on the way out (RFC 4787's NAPT, the Linux kind:
 * endpoint-independent mapping where the port is free), the outside cannot open a connection inwards (only replies
 * of established flows pass: the NAT's filtering), and one port is blocked by a firewall rule (UDP to the first
 * outside instance's port {@link LabMesh#NAMESPACE_PORT}), so the mesh view shows a filtered pair. Everything lives
 * in the lab's namespace and goes with it.
 */
final class NatRouter
{
    static final String OUTSIDE_BRIDGE = "ctlabbr1";
    static final String INSIDE_PREFIX = "10.0.0.";
    static final String OUTSIDE_PREFIX = "10.1.0.";
    static final String INSIDE_GATEWAY = INSIDE_PREFIX + "1";
    static final String OUTSIDE_GATEWAY = OUTSIDE_PREFIX + "1";
    static final String TABLE = "conntest_nat";

    private NatRouter()
    {
    }

    /**
     * Makes the outside bridge and the router's rules; the inside bridge exists already.
     *
     * @param outsideMtu the MTU of the router's outside link (the outside bridge), or 0 for the default 1500: a smaller
     *                   one makes the path from the inside narrower than the inside links, for the path MTU tests
     */
    static void build(final NetworkNamespace ns, final String blockedHost, final int outsideMtu)
    {
        ns.addBridge(OUTSIDE_BRIDGE);
        if (outsideMtu > 0)
        {
            // set by hand, a bridge keeps its MTU when ports join (Linux 4.17+): the router forwards onto it with
            // this MTU and answers larger DF packets with ICMP "fragmentation needed" (RFC 1191)
            ns.ip("link", "set", OUTSIDE_BRIDGE, "mtu", Integer.toString(outsideMtu));
        }
        ns.addAddress(OUTSIDE_BRIDGE, OUTSIDE_GATEWAY + "/24");
        ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
        ns.exec("nft", "add", "table", "ip", TABLE).check();
        ns.exec("nft", "add", "chain", "ip", TABLE, "postrouting",
            "{ type nat hook postrouting priority 100 ; }").check();
        ns.exec("nft", "add", "rule", "ip", TABLE, "postrouting", "ip", "saddr", INSIDE_PREFIX + "0/24", "oifname",
            OUTSIDE_BRIDGE, "masquerade").check();
        // no policy drop: where br_netfilter is loaded, frames bridged within one side pass this hook too (with
        // the bridge as both in and out device) and must go on; only the router's own decisions are rules here
        ns.exec("nft", "add", "chain", "ip", TABLE, "forward", "{ type filter hook forward priority 0 ; }").check();
        ns.exec("nft", "add", "rule", "ip", TABLE, "forward", "iifname", OUTSIDE_BRIDGE, "oifname", LabMesh.BRIDGE,
            "ct", "state", "new", "drop").check();
        ns.exec("nft", "add", "rule", "ip", TABLE, "forward", "iifname", LabMesh.BRIDGE, "oifname", OUTSIDE_BRIDGE,
            "ip", "daddr", blockedHost, "udp", "dport", Integer.toString(LabMesh.NAMESPACE_PORT), "drop").check();
    }

    /** The rules as one line for the lab's notes (what a user would type to build the same router). */
    static String describe(final String blockedHost, final int outsideMtu)
    {
        return "router " + INSIDE_GATEWAY + " / " + OUTSIDE_GATEWAY + ": masquerade " + INSIDE_PREFIX
            + "0/24 out of " + OUTSIDE_BRIDGE + ", outside -> inside only for established flows, udp to "
            + blockedHost + ":" + LabMesh.NAMESPACE_PORT + " dropped"
            + (outsideMtu > 0 ? ", outside link mtu " + outsideMtu : "");
    }
}
