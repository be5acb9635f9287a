package io.conntest.cli.lab;

import io.conntest.cli.Main;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabCommandTest
{
    @Test
    void labRunsTheDemoAndLeavesNothingBehind()
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("ping");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), "lab", "--stack-demo", "--duration", "1s");
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("5 packets transmitted, 5 received"), text);
        assertTrue(text.contains("2000 echoed, 0 lost"), text);
        assertTrue(text.contains("21 of 21 echoed intact"), text);
        assertTrue(text.contains("ECONNREFUSED"), text);
        final Matcher name = Pattern.compile("namespace (ct-lab-[0-9a-f]{8})").matcher(text);
        assertTrue(name.find(), text);
        assertFalse(NetworkNamespace.list().contains(name.group(1)), "namespace removed");
    }

    @Test
    void aDualStackLabIsABridgeOne()
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), "lab", "--ipv6", "--topology", "nat");
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--ipv6 goes with the bridge topology"),
            err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheRightsItSaysWhatIsMissing()
    {
        final String missing = LabCommand.missingPrivileges();
        if (Privileges.missing() == null)
        {
            assertEquals(null, missing);
        }
        else
        {
            assertTrue(missing.contains("needs"), missing);
        }
    }
}
