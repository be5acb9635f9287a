package io.conntest.cli.probe;

import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeProtocol;
import io.conntest.core.probe.ProbeReason;
import io.conntest.core.probe.ProbeResult;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** nmap's table: sorting, collapsing crowded states, --open, --reason. */
class ProbeTableTest
{
    private static final InetAddress HOST = InetAddress.getLoopbackAddress();

    private static ProbeResult result(final ProbeProtocol protocol, final int port, final PortState state,
        final ProbeReason reason, final long rttNs)
    {
        return new ProbeResult(protocol, HOST, port, state, reason, rttNs, 1, null);
    }

    /** 1022 closed TCP ports, 2 open, a closed UDP port and an open|filtered one, added in a scrambled order. */
    private static ProbeTable scan(final ProbeTable table)
    {
        table.add(result(ProbeProtocol.UDP, 53, PortState.OPEN_FILTERED, ProbeReason.NO_RESPONSE, -1));
        for (int port = 1024; port >= 1; port--)
        {
            if (port != 22 && port != 80)
            {
                table.add(result(ProbeProtocol.TCP, port, PortState.CLOSED, ProbeReason.CONN_REFUSED, 40_000));
            }
        }
        table.add(result(ProbeProtocol.TCP, 80, PortState.OPEN, ProbeReason.SYN_ACK, 81_000));
        table.add(result(ProbeProtocol.UDP, 7, PortState.CLOSED, ProbeReason.PORT_UNREACH, 50_000));
        table.add(result(ProbeProtocol.TCP, 22, PortState.OPEN, ProbeReason.SYN_ACK, 300_000));
        return table;
    }

    @Test
    void crowdedStatesCollapseAsNmapsAndTheRestIsSortedByProtocolAndPort()
    {
        assertEquals(List.of(
            "Not shown: 1022 closed tcp ports (conn-refused), 1 closed udp port (port-unreach)",
            "PORT        STATE                 RTT",
            "22/tcp      open              0.300ms",
            "80/tcp      open              0.081ms",
            "53/udp      open|filtered           -"), scan(new ProbeTable(false, false, true)).lines("127.0.0.1"));
    }

    @Test
    void reasonAddsTheReasonAndAttemptsColumns()
    {
        final ProbeTable table = new ProbeTable(true, false, true);
        table.add(result(ProbeProtocol.UDP, 53, PortState.OPEN, ProbeReason.UDP_RESPONSE, 120_000));
        table.add(result(ProbeProtocol.TCP, 443, PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED, 90_000));
        table.add(new ProbeResult(ProbeProtocol.TCP, HOST, 25, PortState.UNKNOWN, ProbeReason.LOCAL_ERROR, -1, 0,
            "too many open files"));
        assertEquals(List.of(
            "PORT        STATE          REASON                   RTT  ATTEMPTS",
            "25/tcp      unknown        local-error                -  0  (too many open files)",
            "443/tcp     filtered       admin-prohibited     0.090ms  1",
            "53/udp      open           udp-response         0.120ms  1"), table.lines("127.0.0.1"));
    }

    @Test
    void fewPortsInAStateAreListedAndAllPortsNeverCollapses()
    {
        final ProbeTable few = new ProbeTable(false, false, true);
        for (int port = 1; port <= ProbeTable.MAX_PER_STATE; port++)
        {
            few.add(result(ProbeProtocol.TCP, port, PortState.CLOSED, ProbeReason.CONN_REFUSED, 1000));
        }
        assertEquals(1 + ProbeTable.MAX_PER_STATE, few.lines("h").size(), "25 closed ports are still listed");
        assertEquals(1 + 1022 + 2 + 2, scan(new ProbeTable(false, false, false)).lines("h").size(), "--all-ports");
    }

    @Test
    void openShowsOnlyOpenAndOpenFiltered()
    {
        assertEquals(List.of(
            "Not shown: 1022 closed tcp ports (conn-refused), 1 closed udp port (port-unreach)",
            "PORT        STATE                 RTT",
            "22/tcp      open              0.300ms",
            "80/tcp      open              0.081ms",
            "53/udp      open|filtered           -"), scan(new ProbeTable(false, true, true)).lines("127.0.0.1"));
        final ProbeTable nothing = new ProbeTable(false, true, true);
        nothing.add(result(ProbeProtocol.TCP, 81, PortState.CLOSED, ProbeReason.CONN_REFUSED, 1000));
        nothing.add(result(ProbeProtocol.TCP, 82, PortState.FILTERED, ProbeReason.NO_RESPONSE, -1));
        assertEquals(List.of("All 2 scanned ports on 10.0.0.3 are in ignored states.",
            "Not shown: 1 closed tcp port (conn-refused), 1 filtered tcp port (no-response)"),
            nothing.lines("10.0.0.3"));
    }
}
