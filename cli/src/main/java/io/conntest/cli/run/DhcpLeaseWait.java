package io.conntest.cli.run;

import io.conntest.cli.exit.RuntimeFailure;
import io.conntest.core.transport.DhcpStep;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.stack.dhcp.DhcpConfig;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --ipv4 dhcp} for the engine: starts the stack's DHCP client and runs the stack until a lease is bound,
 * before the engine starts, so no connection is attempted from 0.0.0.0. The steps taken stay queued in the host
 * and become the engine's first {@code dhcp} events; the later ones (renewals, expiry) follow as they happen.
 */
final class DhcpLeaseWait
{
    /** How long the engine waits for a first lease: a DISCOVER, a retry after about 4 s and 8 s, and the ARP check. */
    static final long TIMEOUT_NS = 60_000_000_000L;

    private DhcpLeaseWait()
    {
    }

    /** Starts the client on {@code host} with the RFCs' timing and a random seed. */
    static void start(final StackHost host, final Consumer<DhcpStep> echo)
    {
        host.startDhcp(DhcpConfig.builder().seed(new SecureRandom().nextLong()).build(), echo);
    }

    /**
     * Polls {@code host} (on the calling thread, which must own it until the engine takes it) until it has an
     * address or {@code timeoutNs} passed.
     *
     * @throws RuntimeFailure when no lease came, naming the steps taken.
     */
    static void await(final StackHost host, final String tap, final PrintStream err, final long timeoutNs)
    {
        err.println("conntest: waiting for a DHCP lease on " + tap + " (up to " + timeoutNs / 1_000_000_000L + " s)");
        err.flush();
        final long end = System.nanoTime() + timeoutNs;
        while (!host.hasAddress())
        {
            final long now = System.nanoTime();
            if (now - end >= 0)
            {
                final List<String> steps = new ArrayList<>();
                host.drainDhcpSteps(step -> steps.add(step.describe()));
                throw new RuntimeFailure("no DHCP lease on " + tap + " within " + timeoutNs / 1_000_000_000L + " s"
                    + (steps.isEmpty() ? " (no offer: is a DHCP server on the TAP's link?)" : ": " + steps));
            }
            if (!host.poll(now))
            {
                host.idle(now, Math.min(end, host.pollAtNs(now)));
            }
        }
    }
}
