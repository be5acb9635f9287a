package io.conntest.cli.run;

import io.conntest.cli.options.Ipv6Cidr;
import io.conntest.cli.options.Ipv6Settings;
import io.conntest.core.transport.stack.StackHost;

import java.util.List;

/**
 * {@code --ipv6 ADDR/PREFIX} for the engine (and {@code probe --tap}): runs the stack until every configured address has left the tentative
 * state (Duplicate Address Detection passed, or found a duplicate), before the engine starts, so the first IPv6
 * connection goes from an address in use instead of failing with "let DAD finish" and waiting for its retry. DAD takes
 * at most a random delay of 1 s and one probe's RetransTimer of 1 s (RFC 4862 §5.4.2); the wait is bounded all the
 * same and its end is no failure (the engine retries as for any failed attempt).
 */
public final class Ipv6DadWait
{
    /** Longer than DAD's 2 s, so a busy machine's late timer still finishes it. */
    public static final long TIMEOUT_NS = 5_000_000_000L;

    private Ipv6DadWait()
    {
    }

    /** Polls {@code host} (on the calling thread, which must own it until the engine takes it). */
    public static void await(final StackHost host, final Ipv6Settings ipv6, final long timeoutNs)
    {
        if (ipv6.addresses().isEmpty())
        {
            return;
        }
        final long end = System.nanoTime() + timeoutNs;
        while (tentative(host, ipv6.addresses()))
        {
            final long now = System.nanoTime();
            if (now - end >= 0)
            {
                return;
            }
            if (!host.poll(now))
            {
                final long at = host.pollAtNs(now);
                host.idle(now, at - end < 0 ? at : end);
            }
        }
    }

    /** Whether one of {@code configured} is still tentative (before the first poll, it is not listed yet). */
    private static boolean tentative(final StackHost host, final List<Ipv6Cidr> configured)
    {
        final List<String> now = host.stack().iface().ipv6().addresses();
        for (final Ipv6Cidr address : configured)
        {
            final String text = Ipv6Cidr.format(address.hi(), address.lo());
            if (!now.contains(text + " preferred") && !now.contains(text + " duplicate"))
            {
                return true;
            }
        }
        return false;
    }
}
