package io.conntest.bench.e2e;

import io.conntest.stack.wire.Ipv4Address;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.NetworkNamespace;

import java.util.ArrayList;
import java.util.List;

/**
 * The bench's network: two private namespaces with no route out.
 *
 * <pre>
 *  namespace "lab" (ct-bench-*)                                  namespace "peer" (ct-bench-*)
 *   br0 10.77.0.1/24 (the kernel beside the TAPs)
 *    ├── tap0  (the userspace stack, 10.77.0.2)
 *    └── tap1  (the raw frame pump, 10.77.0.3, static ARP entry)
 *   veth0 10.77.1.1/24  ─────────────── veth pair ───────────────  veth1 10.77.1.2/24
 * </pre>
 *
 * Kernel ↔ kernel references run between the two namespaces over the veth pair (within one namespace the kernel
 * would short-cut through loopback); stack ↔ kernel and pump ↔ kernel run over the bridge and a TAP.
 */
public final class Lab implements AutoCloseable
{
    public static final String BRIDGE = "br0";
    public static final String STACK_TAP = "tap0";
    public static final String PUMP_TAP = "tap1";
    public static final int KERNEL_ADDRESS = Ipv4Address.parse("10.77.0.1");
    public static final int STACK_ADDRESS = Ipv4Address.parse("10.77.0.2");
    public static final int PUMP_ADDRESS = Ipv4Address.parse("10.77.0.3");
    public static final int PREFIX = 24;
    public static final long PUMP_MAC = 0x02_00_00_77_00_03L;
    public static final String VETH_LAB = "veth0";
    public static final String VETH_PEER = "veth1";
    public static final String VETH_LAB_ADDRESS = "10.77.1.1";
    public static final String VETH_PEER_ADDRESS = "10.77.1.2";

    private final List<AutoCloseable> owned = new ArrayList<>();
    private NetworkNamespace lab;
    private NetworkNamespace peer;

    private Lab()
    {
    }

    /** Builds both namespaces and every device; on failure removes what it made. */
    public static Lab create()
    {
        final Lab l = new Lab();
        try
        {
            l.build();
            return l;
        }
        catch (final RuntimeException ex)
        {
            l.close();
            throw ex;
        }
    }

    private void build()
    {
        lab = NetworkNamespace.create("ct-bench");
        peer = NetworkNamespace.create("ct-bench");
        lab.addBridge(BRIDGE);
        lab.addAddress(BRIDGE, Ipv4Address.toString(KERNEL_ADDRESS) + "/" + PREFIX);
        // the IPv6 scenarios' kernel end (Ipv6Scenarios), without DAD: the namespace is ours alone
        lab.ip("-6", "addr", "add", Ipv6Scenarios.KERNEL6 + "/" + Ipv6Scenarios.PREFIX6, "dev", BRIDGE, "nodad");
        for (final String tap : new String[] {STACK_TAP, PUMP_TAP})
        {
            lab.addTap(tap);
            lab.setMaster(tap, BRIDGE);
            lab.linkUp(tap);
        }
        // The kernel never resolves the pump's address: the pump does no ARP, it only moves frames.
        lab.ip("neigh", "replace", Ipv4Address.toString(PUMP_ADDRESS), "lladdr", macText(PUMP_MAC), "dev", BRIDGE,
            "nud", "permanent");
        lab.ip("link", "add", VETH_LAB, "type", "veth", "peer", "name", VETH_PEER);
        lab.ip("link", "set", VETH_PEER, "netns", peer.name());
        lab.addAddress(VETH_LAB, VETH_LAB_ADDRESS + "/24");
        peer.addAddress(VETH_PEER, VETH_PEER_ADDRESS + "/24");
        lab.linkUp(VETH_LAB);
        peer.linkUp(VETH_PEER);
    }

    /** The namespace of the bridge, the TAPs and one end of the veth pair. */
    public NetworkNamespace lab()
    {
        return lab;
    }

    /** The namespace of the other end of the veth pair. */
    public NetworkNamespace peer()
    {
        return peer;
    }

    /** Opens (attaches to) one of the lab's TAPs plain (no virtio-net header); closed with the lab unless before. */
    public TapDevice openTap(final String name)
    {
        return openTap(name, OffloadMode.NONE);
    }

    /**
     * Opens (attaches to) one of the lab's TAPs in the given mode: {@link OffloadMode#AUTO} negotiates the
     * virtio-net header with checksum and TCP segmentation offload, {@link OffloadMode#NONE} moves one frame per
     * system call. Closed with the lab unless closed before.
     */
    public TapDevice openTap(final String name, final OffloadMode offload)
    {
        final TapDevice tap = lab.call(() -> TapDevice.open(name, TapDevice.Mode.ATTACH, offload));
        owned.add(tap);
        return tap;
    }

    /** The MAC address of the bridge, where frames for the kernel go. */
    public long bridgeMac()
    {
        final String out = lab.ip("-o", "link", "show", BRIDGE).output();
        final int at = out.indexOf("link/ether ");
        if (at < 0)
        {
            throw new IllegalStateException("no MAC address for " + BRIDGE + ": " + out);
        }
        return io.conntest.stack.wire.MacAddress.parse(out.substring(at + 11, at + 28));
    }

    /** Removes everything: closes the TAPs opened here, then deletes both namespaces. Safe to call twice. */
    @Override
    public void close()
    {
        for (final AutoCloseable c : owned)
        {
            try
            {
                c.close();
            }
            catch (final Exception ignored)
            {
                // Closing a device that is gone already: nothing left to free.
            }
        }
        owned.clear();
        RuntimeException failure = null;
        for (final NetworkNamespace ns : new NetworkNamespace[] {peer, lab})
        {
            if (ns == null)
            {
                continue;
            }
            try
            {
                ns.close();
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    static String macText(final long mac)
    {
        return io.conntest.stack.wire.MacAddress.toString(mac);
    }
}
