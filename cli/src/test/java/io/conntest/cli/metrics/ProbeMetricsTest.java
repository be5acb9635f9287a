package io.conntest.cli.metrics;

import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeProtocol;
import io.conntest.core.probe.ProbeReason;
import io.conntest.core.probe.ProbeReport;
import io.conntest.core.probe.ProbeResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The probe's series: only complete scans are exposed, per port only for small scans, counts always. */
class ProbeMetricsTest
{
    private static final InetAddress HOST = InetAddress.getLoopbackAddress();

    @Test
    void exposesTheLastCompleteScanPortByPort() throws IOException
    {
        final ProbeMetrics metrics = new ProbeMetrics("db\u001b[31m", "127.0.0.1", true);
        assertEquals(0, Exposition.parse(ConnectionCollectorTest.text(metrics)).value("conntest_probe_scans_total"));
        metrics.onResult(new ProbeResult(ProbeProtocol.TCP, HOST, 22, PortState.OPEN, ProbeReason.SYN_ACK, 50_000,
            1, null));
        metrics.onResult(new ProbeResult(ProbeProtocol.UDP, HOST, 53, PortState.CLOSED, ProbeReason.PORT_UNREACH,
            -1, 2, null));
        assertEquals(0, Exposition.parse(ConnectionCollectorTest.text(metrics)).find("conntest_probe_port_state")
            .size(), "a scan under way is not shown");
        metrics.onDone(report(1, 1));
        // the next scan's first result does not show until that scan ends
        metrics.onResult(new ProbeResult(ProbeProtocol.TCP, HOST, 22, PortState.CLOSED, ProbeReason.CONN_REFUSED,
            1, 1, null));
        final Exposition e = Exposition.parse(ConnectionCollectorTest.text(metrics));
        assertEquals(1, e.value("conntest_probe_scans_total", "target", "db\\x1b[31m", "address", "127.0.0.1"));
        assertEquals(1, e.value("conntest_probe_port_state", "protocol", "tcp", "port", "22",
            "conntest_probe_port_state", "open"));
        assertEquals(1, e.value("conntest_probe_port_state", "protocol", "udp", "port", "53",
            "conntest_probe_port_state", "closed"));
        assertEquals(50e-6, e.value("conntest_probe_rtt_seconds", "port", "22"), 1e-12);
        assertEquals(0, e.find("conntest_probe_rtt_seconds", "port", "53").size(), "nothing answered in time");
        assertEquals(1, e.value("conntest_probe_port_info", "port", "53", "reason", "port-unreach"));
        assertEquals(2, e.value("conntest_probe_attempts", "port", "53"));
        assertEquals(1, e.value("conntest_probe_ports", "state", "open"));
        assertEquals(1, e.value("conntest_probe_ports", "state", "closed"));
        assertEquals(1, e.value("conntest_probe_last_scan_complete"));
    }

    @Test
    void aLargeScanHasCountsOnly() throws IOException
    {
        final ProbeMetrics metrics = new ProbeMetrics("10.0.0.3", "10.0.0.3", false);
        for (int port = 1; port <= 5000; port++)
        {
            metrics.onResult(new ProbeResult(ProbeProtocol.TCP, HOST, port, PortState.CLOSED,
                ProbeReason.CONN_REFUSED, 1000, 1, null));
        }
        metrics.onDone(report(0, 5000));
        final Exposition e = Exposition.parse(ConnectionCollectorTest.text(metrics));
        assertEquals(0, e.find("conntest_probe_port_state").size());
        assertEquals(5000, e.value("conntest_probe_ports", "state", "closed"));
    }

    private static ProbeReport report(final int open, final int closed)
    {
        final int[] counts = new int[PortState.values().length];
        counts[PortState.OPEN.ordinal()] = open;
        counts[PortState.CLOSED.ordinal()] = closed;
        return new ProbeReport(HOST, counts, 0, 2_000_000, ProbeReport.Completion.COMPLETE);
    }
}
