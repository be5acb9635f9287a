package io.conntest.tap.netns;

/**
 * Run in a child JVM by {@link NetworkNamespaceTest}: creates a namespace, prints its name, and ends without
 * closing it — by a normal exit or an uncaught exception, as the first argument says.
 */
public final class LeftOpenNamespace
{
    private LeftOpenNamespace()
    {
    }

    public static void main(final String[] args)
    {
        final NetworkNamespace ns = NetworkNamespace.create("ct-device");
        ns.addTap("ct0");
        System.out.println(ns.name());
        System.out.flush();
        if ("throw".equals(args[0]))
        {
            throw new IllegalStateException("failing on purpose with " + ns.name() + " still open");
        }
        System.exit(0);
    }
}
