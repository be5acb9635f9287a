package io.conntest.cli;

import io.conntest.cli.options.Emphasis;
import io.conntest.core.engine.ListenSpec;
import io.conntest.cli.options.UiMode;
import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.cli.exit.UsageFailure;
import io.conntest.cli.run.InstanceRunner;
import io.conntest.cli.run.InstanceSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, args);
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
        for (final String option : new String[] {"--name", "--listen", "--connect", "--timeout", "--duration", "--tap",
            "--ipv4", "--ipv4-gateway", "--ipv6=auto|off|ADDR/PREFIX", "--ipv6-gateway=ADDR", "--mac", "--mtu",
            "--pcap", "--ui", "--busy-poll", "--ui-emphasis", "--interval",
            "--logfile",
            "probe", "lab", "Instance:", "Network (kernel sockets unless --tap):", "Output:", "Examples:",
            "conntest --name sender --connect 'tcp://127.0.0.1:1234?monitor-bandwidth&packet-size=5mb'"})
        {
            assertTrue(help.contains(option), option + " in help");
        }
        assertTrue(help.indexOf("Instance:") < help.indexOf("Network") && help.indexOf("Network")
            < help.indexOf("Output:"), "groups in order");
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("conntest 0.1.0"));
        assertEquals(0, run("lab", "--help"));
        assertEquals(0, run("probe", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--max-in-flight"));
    }

    /**
     * picocli formats every description with {@code String.format}: a lone '%' makes it print a warning on stderr
     * at every --help and show the raw text. No command's help may warn.
     */
    @Test
    void everyHelpFormatsWithoutWarnings()
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try
        {
            for (final String[] args : new String[][] {{"--help"}, {"lab", "--help"}, {"probe", "--help"}})
            {
                assertEquals(0, run(args));
            }
        }
        finally
        {
            System.setErr(original);
        }
        final String text = warnings.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("WARN"), text);
    }

    @Test
    void theSeedsCommandLinesParse()
    {
        final Main receiver = new Main();
        new CommandLine(receiver).parseArgs("--name", "receiver", "--listen", "tcp:1234");
        assertEquals("receiver", receiver.instance.name());
        assertEquals(List.of(ListenSpec.parse("tcp:1234")), receiver.instance.listens());
        assertEquals(ListenSpec.Service.CONNTEST, receiver.instance.listens().get(0).service());

        final Main sender = new Main();
        new CommandLine(sender).parseArgs("--name", "sender", "--connect",
            "tcp://127.0.0.1:1234?monitor-bandwidth&packet-size=5mb");
        final ConnectSpec c = sender.instance.connects().get(0);
        assertEquals(TransportProtocol.TCP, c.protocol());
        assertEquals("127.0.0.1", c.host());
        assertEquals(1234, c.port());
        assertTrue(c.monitorBandwidth());
        assertEquals(5 * 1024 * 1024, c.packetSize());
        assertFalse(c.verify());
        assertNull(sender.network.tap(), "kernel sockets unless --tap");
    }

    @Test
    void everyOptionParses()
    {
        final Main m = new Main();
        new CommandLine(m).parseArgs("--name", "a", "--listen", "tcp:1234", "--listen", "udp:127.0.0.1:1235",
            "--connect", "udp://10.0.0.3:7?packet-size=1400B&verify&bandwidth-bytes=2MB&bandwidth-duration=500ms",
            "--connect", "tcp://h:9?MONITOR-BANDWIDTH&packet-size=128kb", "--timeout", "3", "--duration", "1m",
            "--ui", "notty", "--ui-emphasis", "bright-magenta", "--interval", "2s", "--logfile", "/tmp/x.log");
        assertEquals(2, m.instance.listens().size());
        assertEquals("127.0.0.1", m.instance.listens().get(1).host());
        final ConnectSpec udp = m.instance.connects().get(0);
        assertEquals(1400, udp.packetSize());
        assertTrue(udp.verify());
        assertEquals(2L << 20, udp.bandwidthBytes());
        assertEquals(500_000_000L, udp.bandwidthDurationNs());
        assertEquals(128 * 1024, m.instance.connects().get(1).packetSize());
        assertTrue(m.instance.connects().get(1).monitorBandwidth());
        assertEquals(Duration.ofSeconds(3), m.instance.timeout());
        assertEquals(Duration.ofMinutes(1), m.instance.duration());
        assertEquals(UiMode.TUI, m.output.ui());
        assertEquals(Emphasis.BRIGHT_MAGENTA, m.output.emphasis());
        assertEquals(Duration.ofSeconds(2), m.output.interval());
        assertEquals(Path.of("/tmp/x.log"), m.output.logfile());
        for (final String ui : new String[] {"tui", "log", "text", "json", "TEXT"})
        {
            final Main n = new Main();
            new CommandLine(n).parseArgs("--ui", ui);
            assertEquals(UiMode.parse(ui), n.output.ui());
        }
    }

    @Test
    void badValuesExitTwoWithOneLineNamingTheValue()
    {
        final String[][] cases = {
            {"10.0.0.300/24", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.300/24"},
            {"10.0.1.1", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv4-gateway", "10.0.1.1"},
            {"zz:00", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--mac", "zz:00"},
            {"fe80::2/64", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "fe80::2/64"},
            {"fd00::2", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "fd00::2"},
            {"fd00::2/129", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "fd00::2/129"},
            {"slaac", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "slaac"},
            {"off does not go", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "off", "--ipv6",
                "auto", "--listen", "tcp:1"},
            {"given twice", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "fd00::2/64", "--ipv6",
                "fd00::2/96", "--listen", "tcp:1"},
            {"not on-link", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "fd00:c0::2/64",
                "--ipv6-gateway", "fd00:c1::1", "--listen", "tcp:1"},
            {"--ipv6-gateway fe80::1 needs --ipv6", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24",
                "--ipv6-gateway", "fe80::1", "--listen", "tcp:1"},
            {"ff02::1", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--ipv6", "auto", "--ipv6-gateway",
                "ff02::1"},
            {"--ipv6 needs --tap", "--name", "a", "--listen", "tcp:1", "--ipv6", "auto"},
            {"--ipv6-gateway needs --tap", "--name", "a", "--listen", "tcp:1", "--ipv6-gateway", "fe80::1"},
            {"70000", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--mtu", "70000"},
            {"chargen", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen", "udp:7?service=chargen"},
            {"port 7", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen", "udp:7?service=echo",
                "--listen", "udp:7?service=discard"},
            {"--name", "--tap", "t0", "--ipv4", "10.0.0.2/24"},
            {"--name", "--listen", "tcp:1234"},
            {"--tap", "--name", "a", "--ipv4", "10.0.0.2/24"},
            {"--ipv4", "--name", "a", "--tap", "t0"},
            {"--bogus", "--bogus"},
            {"fortnight", "lab", "--duration", "fortnight"},
            {"--instances", "lab", "--instances", "1"},
            {"--ipv6 needs the TAP stack", "lab", "--ipv6", "--stack", "kernel"},
            {"5xb", "--name", "s", "--connect", "tcp://127.0.0.1:1234?packet-size=5xb"},
            {"colour", "--name", "s", "--connect", "tcp://127.0.0.1:1234?colour=red"},
            {"127.0.0.1", "--name", "s", "--connect", "tcp://127.0.0.1"},
            {"sctp", "--name", "s", "--connect", "sctp://127.0.0.1:1"},
            {"70000", "--name", "s", "--connect", "udp://127.0.0.1:70000"},
            {"100000", "--name", "s", "--connect", "udp://127.0.0.1:1?packet-size=100000"},
            {"tcp:0", "--name", "r", "--listen", "tcp:0"},
            {"html", "--name", "r", "--listen", "tcp:1", "--ui", "html"},
            {"mauve", "--name", "r", "--listen", "tcp:1", "--ui-emphasis", "mauve"},
            {"soon", "--name", "r", "--listen", "tcp:1", "--timeout", "soon"},
            {"--interval", "--name", "r", "--listen", "tcp:1", "--interval", "10ms"},
            {"--tap", "--name", "r", "--listen", "udp:7?service=echo"},
            {"--tap", "--name", "r", "--listen", "tcp:1", "--pcap", "/tmp/x.pcap"},
            {"nothing to do", "--name", "r"},
            {"own stack only", "--name", "a", "--listen", "tcp:1", "--listen", "udp:7?service=echo"},
            {"--ipv4", "--name", "a", "--tap", "t0", "--connect", "tcp://10.0.0.3:1"},
            {"tcp:1234", "--name", "a", "--listen", "tcp:1234", "--listen", "tcp:1234"},
            {"localhost:9464", "--name", "r", "--listen", "tcp:1", "--metrics", "localhost:9464"},
            {"65536", "--name", "r", "--listen", "tcp:1", "--metrics", "127.0.0.1:65536"},
            {"ADDR:PORT", "--name", "r", "--listen", "tcp:1", "--metrics", "9464"},
            {"brackets", "--name", "r", "--listen", "tcp:1", "--metrics", "::1:9464"},
            {"--metrics needs", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen", "udp:7?service=echo",
                "--metrics", "127.0.0.1:9464"},
            {"--metrics-on-stack needs --tap", "--name", "r", "--listen", "tcp:1", "--metrics-on-stack", "9464"},
            {"bad port", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen", "tcp:1",
                "--metrics-on-stack", "70000"},
            {"uses tcp port 1234", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen", "tcp:1234",
                "--metrics-on-stack", "1234"},
            {"--metrics-on-stack needs a conntest", "--name", "a", "--tap", "t0", "--ipv4", "10.0.0.2/24", "--listen",
                "udp:7?service=echo", "--metrics-on-stack", "9464"},
            {"abc", "--name", "r", "--listen", "tcp:1", "--metrics-on-stack", "abc"},
            {"--every", "probe", "127.0.0.1", "80", "--every", "5s"},
            {"--scans", "probe", "127.0.0.1", "80", "--scans", "2"},
            {"shorter than 1s", "probe", "127.0.0.1", "80", "--metrics", "127.0.0.1:9464", "--every", "10ms"},
            {"at least 1", "probe", "127.0.0.1", "80", "--metrics", "127.0.0.1:9464", "--scans", "0"},
            {"256.0.0.1", "probe", "127.0.0.1", "80", "--metrics", "256.0.0.1:9464"},
            {"2000-1000", "probe", "127.0.0.1", "2000-1000"},
            {"no-such-host.invalid", "probe", "no-such-host.invalid", "80"},
            {"5000", "probe", "127.0.0.1", "80", "--max-in-flight", "5000"},
            {"PORTS", "probe", "127.0.0.1"},
        };
        for (final String[] c : cases)
        {
            err.reset();
            final String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertEquals(2, run(args), String.join(" ", args) + ": " + err());
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
        final InstanceSettings s = InstanceRunner.settings(main.instance, main.network);
        assertEquals("receiver", s.name());
        assertEquals("tap100", s.tap());
        assertEquals(0x0A000002, s.ipv4().address());
        assertEquals(0x0A000001, s.gateway());
        assertEquals(0x02_00_00_00_00_07L, s.mac());
        assertEquals(9000, s.mtu());
        assertEquals(Path.of("/tmp/x.pcap"), s.pcap());
        assertEquals(List.of(ListenSpec.parse("udp:7?service=echo"), ListenSpec.parse("udp:9?service=discard")),
            s.listens());
    }

    @Test
    void tcpAndUdpPortsAreSeparate()
    {
        // the README's plain-services example: echo on udp:7 and tcp:7 (it used to exit 2 "port 7 is given twice")
        final Main main = new Main();
        new CommandLine(main).parseArgs("--name", "plain", "--tap", "tap100", "--ipv4", "10.0.0.2/24",
            "--listen", "udp:7?service=echo", "--listen", "tcp:7?service=echo");
        assertEquals(2, InstanceRunner.settings(main.instance, main.network).listens().size());

        final Main twice = new Main();
        new CommandLine(twice).parseArgs("--name", "plain", "--tap", "tap100", "--ipv4", "10.0.0.2/24",
            "--listen", "udp:7?service=echo", "--listen", "udp:7?service=discard");
        final UsageFailure ex = org.junit.jupiter.api.Assertions.assertThrows(UsageFailure.class,
            () -> InstanceRunner.settings(twice.instance, twice.network));
        assertTrue(ex.getMessage().contains("udp port 7 is given twice"), ex.getMessage());
    }

    @Test
    void helpExamplesCanBeCopiedAndPasted()
    {
        assertEquals(0, run("--help"));
        final List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            assertTrue(!line.strip().equals("\\"), "a continuation backslash alone on line " + i + ": " + lines);
            assertTrue(line.length() <= 100, "line " + i + " fits the 100-column help: " + line);
            if (line.endsWith("\\"))
            {
                assertTrue(i + 1 < lines.size() && lines.get(i + 1).startsWith("   ") &&
                    lines.get(i + 1).contains("--"), "a continued example goes on on the next line: " + line);
            }
        }
    }

    @Test
    void everySubcommandPrintsTheVersion()
    {
        for (final String[] args : new String[][] {{"--version"}, {"-V"}, {"probe", "--version"}, {"probe", "-V"},
            {"lab", "--version"}, {"lab", "-V"}})
        {
            out.reset();
            assertEquals(0, run(args), String.join(" ", args));
            assertEquals("conntest 0.1.0", out.toString(StandardCharsets.UTF_8).strip(), String.join(" ", args));
        }
    }

    @Test
    void ipv6OptionsBecomeTheStacksIpv6Settings()
    {
        final Main main = new Main();
        new CommandLine(main).parseArgs("--name", "a", "--tap", "tap100", "--ipv4", "10.0.0.2/24", "--listen", "tcp:1",
            "--ipv6", "fd00:c0::2/64", "--ipv6", "auto", "--ipv6", "fd00:c1:0:0::7/120", "--ipv6-gateway",
            "fd00:c0::1");
        final io.conntest.cli.run.TapStack tap = io.conntest.cli.run.TapStack.from(main.network, null);
        assertTrue(tap.ipv6().auto());
        assertEquals("[fd00:c0::2/64, fd00:c1::7/120]", tap.ipv6().addresses().toString());
        assertEquals("fd00:c0::1", tap.ipv6().gateway().toString());
        assertEquals(List.of("10.0.0.2/24", "ipv6 fd00:c0::2/64", "ipv6 fd00:c1::7/120", "ipv6 auto (slaac)",
            "ipv6 via fd00:c0::1", "mac 02:00:00:00:00:07", "on tap100"), tap.describe(0x02_00_00_00_00_07L));
        // a link-local gateway is on-link whatever the prefixes; with auto an advertised prefix may make it so
        for (final String[] good : new String[][] {{"--ipv6", "fd00:c0::2/64", "--ipv6-gateway", "fe80::1"},
            {"--ipv6", "auto", "--ipv6-gateway", "fd00:99::1"}, {"--ipv6", "off"}})
        {
            final Main m = new Main();
            new CommandLine(m).parseArgs(concat(new String[] {"--name", "a", "--tap", "tap100", "--ipv4",
                "10.0.0.2/24", "--listen", "tcp:1"}, good));
            io.conntest.cli.run.TapStack.from(m.network, null);
        }
        final Main off = new Main();
        new CommandLine(off).parseArgs("--name", "a", "--tap", "tap100", "--ipv4", "10.0.0.2/24", "--listen", "tcp:1");
        assertEquals(io.conntest.cli.options.Ipv6Settings.NONE, io.conntest.cli.run.TapStack.from(off.network, null)
            .ipv6());
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void aTapThatCannotBeOpenedIsARuntimeFailure()
    {
        // An interface name that cannot exist: opening fails before anything is created, with or without root.
        assertEquals(2, run("--name", "a", "--tap", "bad/name", "--ipv4", "10.0.0.2/24", "--listen", "tcp:1"));
        assertTrue(err().contains("bad/name"), err());
    }

    @Test
    void theStacksTcpBoundsAreTunableFromTheCommandLine()
    {
        final Main main = new Main();
        new CommandLine(main).parseArgs("--name", "a", "--tap", "tap100", "--ipv4", "10.0.0.2/24", "--listen", "tcp:1",
            "--tcp-max-connections", "512", "--tcp-syn-backlog", "64", "--tcp-buffer", "256kb");
        final io.conntest.stack.tcp.TcpConfig tcp = io.conntest.cli.run.TapStack.from(main.network, null).tcp();
        assertEquals(512, tcp.maxConnections);
        assertEquals(64, tcp.synBacklog);
        assertEquals(256 * 1024, tcp.sendBufferBytes);
        assertEquals(256 * 1024, tcp.receiveBufferBytes);
        for (final String[] bad : new String[][] {{"--tcp-syn-backlog", "0"}, {"--tcp-max-connections", "0"},
            {"--tcp-buffer", "10"}})
        {
            final Main m = new Main();
            new CommandLine(m).parseArgs("--name", "a", "--tap", "tap100", "--ipv4", "10.0.0.2/24", bad[0], bad[1]);
            final UsageFailure ex = org.junit.jupiter.api.Assertions.assertThrows(UsageFailure.class,
                () -> io.conntest.cli.run.TapStack.from(m.network, null), String.join(" ", bad));
            assertTrue(ex.getMessage().contains(bad[0].substring(2, 6)), ex.getMessage());
        }
        assertEquals(2, run("--name", "a", "--listen", "tcp:1", "--tcp-buffer", "1mb"), err());
        assertTrue(err().contains("--tcp-buffer needs --tap"), err());
    }
}
