package io.conntest.tap.netns;

import io.conntest.stack.testing.Privileges;
import org.junit.jupiter.api.Test;

import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkNamespaceTest
{
    @Test
    void createsAPrivateNamespaceRunsCodeInsideAndRemovesIt() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-device");
        try
        {
            assertTrue(ns.name().startsWith("ct-device-"));
            assertTrue(ns.exists());
            assertTrue(NetworkNamespace.list().contains(ns.name()));
            ns.addBridge("ctbr0");
            ns.addVethPair("ctv0", "ctv1");
            ns.setMaster("ctv1", "ctbr0");
            ns.addAddress("ctbr0", "10.9.0.1/24");

            // Java code on the namespace thread sees the namespace's devices; the caller's thread does not.
            assertNotNull(ns.call(() -> NetworkInterface.getByName("ctbr0")));
            assertNull(NetworkInterface.getByName("ctbr0"));
            assertTrue(ns.call(() -> NetworkInterface.getByName("lo").isUp()), "lo is up");

            final CommandResult addr = ns.exec("ip", "-o", "-4", "addr", "show", "dev", "ctbr0").check();
            assertTrue(addr.output().contains("10.9.0.1/24"), addr.output());
            // No route out: only the connected subnet.
            final String routes = ns.ip("route", "show").output();
            assertFalse(routes.contains("default"), routes);

            final Thread t = ns.newThread("in-ns", () -> { });
            t.start();
            t.join(5000);
            assertFalse(t.isAlive());

            final CommandResult failed = ns.exec("false");
            assertEquals(1, failed.exitCode());
            assertThrows(NamespaceException.class, failed::check);
            assertThrows(IllegalStateException.class, () -> ns.call(() ->
            {
                throw new IllegalStateException("from the task");
            }));
        }
        finally
        {
            ns.close();
        }
        assertFalse(ns.exists());
        assertFalse(NetworkNamespace.list().contains(ns.name()));
        ns.close();
        assertThrows(IllegalStateException.class, () -> ns.exec("true"));
    }

    @Test
    void aNamespaceLeftOpenIsRemovedWhenTheJvmEnds() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        for (final String how : new String[] {"exit", "throw"})
        {
            final Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LeftOpenNamespace.class.getName(), how)
                .redirectErrorStream(true).start();
            final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
            final String name = output.lines().findFirst().orElse("");
            assertTrue(name.startsWith("ct-device-"), output);
            assertFalse(Files.exists(NetworkNamespace.NETNS_DIR.resolve(name)), how + ": " + name + " removed");
            assertFalse(NetworkNamespace.list().contains(name), how);
        }
    }
}
