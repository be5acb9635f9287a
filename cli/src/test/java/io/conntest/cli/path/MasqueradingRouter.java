package io.conntest.cli.path;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conntest.cli.CliRun;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * A real NAT between two private namespaces, for the tests of what crosses it: {@link #inside} holds a TAP {@code ct0}
 * (the kernel 192.168.7.1/24, for an instance on its own stack at 192.168.7.2 with that gateway) and routes, masquerading
 * (nftables table {@code ctnat}, chain {@code post}), onto a veth towards {@link #outside} (10.9.0.1 inside, 10.9.0.2
 * outside). Tests add their own rules to the table. Both namespaces go on {@link #close}, also after a failed set-up.
 */
final class MasqueradingRouter implements AutoCloseable
{
    final NetworkNamespace inside;
    final NetworkNamespace outside;

    MasqueradingRouter(final String prefix)
    {
        inside = NetworkNamespace.create(prefix + "-in");
        NetworkNamespace out = null;
        try
        {
            out = NetworkNamespace.create(prefix + "-out");
            inside.addTap("ct0");
            inside.linkUp("ct0");
            inside.addAddress("ct0", "192.168.7.1/24");
            inside.addVethPair("vin", "vout");
            inside.ip("link", "set", "vout", "netns", out.name());
            inside.addAddress("vin", "10.9.0.1/24");
            inside.linkUp("vin");
            out.addAddress("vout", "10.9.0.2/24");
            out.linkUp("vout");
            inside.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
            inside.exec("nft", "add", "table", "ip", "ctnat").check();
            inside.exec("nft", "add", "chain", "ip", "ctnat", "post",
                "{ type nat hook postrouting priority 100 ; }").check();
            inside.exec("nft", "add", "rule", "ip", "ctnat", "post", "oifname", "vin", "masquerade").check();
        }
        catch (final RuntimeException ex)
        {
            if (out != null)
            {
                out.close();
            }
            inside.close();
            throw ex;
        }
        outside = out;
    }

    /** Runs the server (outside) and the client (inside) to their ends, both exiting 0; returns the client's run. */
    CliRun run(final CliRun server, final CliRun client) throws InterruptedException
    {
        final Thread s = outside.newThread("server", server::run);
        s.start();
        server.awaitLine(l -> l.contains("\"event\":\"listening\"") && l.contains("\"protocol\":\"udp\""), 10_000);
        final Thread c = inside.newThread("client", client::run);
        c.start();
        c.join(55_000);
        s.join(55_000);
        assertEquals(0, client.exitCode(), client.err());
        assertEquals(0, server.exitCode(), server.err());
        return client;
    }

    @Override
    public void close()
    {
        outside.close();
        inside.close();
    }
}
