package io.conntest.cli;

import io.conntest.cli.options.ListenSpec;
import io.conntest.cli.run.InstanceSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpAndVersionExitZero()
    {
        assertEquals(0, run("--help"));
        final String help = out.toString(StandardCharsets.UTF_8);
        for (final String option : new String[] {"--name", "--tap", "--ipv4", "--ipv4-gateway", "--mac", "--mtu",
            "--pcap", "--listen", "lab"})
        {
            assertTrue(help.contains(option), option + " in help");
        }
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("conntest 0.1.0"));
        assertEquals(0, run("lab", "--help"));
    }

    @Test
    void badValuesExitTwoWithOneLineNamingTheValue()
    {
        final String[][] cases = {
            {"10.0.0.300/24", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.300/24"},
            {"10.0.1.1", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv4-gateway", "10.0.1.1"},
            {"zz:00", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--mac", "zz:00"},
            {"70000", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--mtu", "70000"},
            {"chargen", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen", "udp:7?service=chargen"},
            {"port 7", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen", "udp:7", "--listen",
                "udp:7?service=discard"},
            {"--name", "--tap", "t0", "--ipv4", "10.0.0.2/24"},
            {"--tap", "--name", "a", "--ipv4", "10.0.0.2/24"},
            {"--ipv4", "--name", "a", "--tap", "t0"},
            {"--bogus", "--bogus"},
            {"fortnight", "lab", "--duration", "fortnight"},
        };
        for (final String[] c : cases)
        {
            err.reset();
            final String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertEquals(2, run(args), String.join(" ", args));
            final String message = err().strip();
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.startsWith("conntest: "), message);
            assertTrue(message.contains(c[0]), "'" + c[0] + "' in: " + message);
        }
    }

    @Test
    void goodValuesBecomeSettings()
    {
        final Main main = new Main();
        new CommandLine(main).parseArgs("--name", "receiver", "--tap", "tap100", "--ipv4", "10.0.0.2/24",
            "--ipv4-gateway", "10.0.0.1", "--mac", "02:00:00:00:00:07", "--mtu", "9000", "--pcap", "/tmp/x.pcap",
            "--listen", "udp:7?service=echo", "--listen", "udp:9?service=discard");
        final InstanceSettings s = main.settings();
        assertEquals("receiver", s.name());
        assertEquals("tap100", s.tap());
        assertEquals(0x0A000002, s.ipv4().address());
        assertEquals(0x0A000001, s.gateway());
        assertEquals(0x02_00_00_00_00_07L, s.mac());
        assertEquals(9000, s.mtu());
        assertEquals(Path.of("/tmp/x.pcap"), s.pcap());
        assertEquals(List.of(ListenSpec.parse("udp:7"), ListenSpec.parse("udp:9?service=discard")), s.listens());
    }

    @Test
    void aTapThatCannotBeOpenedIsARuntimeFailure()
    {
        // An interface name that cannot exist: opening fails before anything is created, with or without root.
        assertEquals(2, run("--name", "a", "--tap", "bad/name", "--ipv4", "10.0.0.2/24"));
        assertTrue(err().contains("bad/name"), err());
    }
}
