package io.conntest.bench.e2e;

import io.conntest.bench.report.Metric;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading iperf3's JSON (the shape of iperf3 3.12's "end" object), without running it. */
class Iperf3ParseTest
{
    private static final String JSON = "{\"intervals\": [{\"sum\": {\"bits_per_second\": 1}}],\n"
        + "\"end\": {\"sum_sent\": {\"start\": 0, \"end\": 3.0, \"seconds\": 3.0, \"bytes\": 3000000000,"
        + " \"bits_per_second\": 8000000000, \"retransmits\": 7, \"sender\": true},\n"
        + "\"sum_received\": {\"start\": 0, \"end\": 3.0, \"seconds\": 3.0, \"bytes\": 3000000000,"
        + " \"bits_per_second\": 8.0e9, \"sender\": true},\n"
        + "\"cpu_utilization_percent\": {\"host_total\": 50.0, \"host_user\": 1.0, \"host_system\": 49.0,"
        + " \"remote_total\": 25.0, \"remote_user\": 1.0, \"remote_system\": 24.0}}}";

    @Test
    void goodputRetransmissionsAndCpuPerGigabyte()
    {
        final Map<Metric, Double> m = Iperf3.parse(JSON, false);
        assertEquals(8e9, m.get(Metric.GOODPUT_BPS));
        assertEquals(7, m.get(Metric.RETRANSMISSIONS));
        // 50% of 3 s over 3 GB: the client sent.
        assertEquals(0.5, m.get(Metric.CPU_S_PER_GB_OURS), 1e-9);
        assertEquals(0.25, m.get(Metric.CPU_S_PER_GB_PEER), 1e-9);
        final Map<Metric, Double> reverse = Iperf3.parse(JSON, true);
        assertEquals(0.25, reverse.get(Metric.CPU_S_PER_GB_OURS), 1e-9);
    }
}
