package io.conntest.core.iperf3;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** iperf3's UDP receive accounting (iperf_udp_recv) on one stream. */
class Iperf3StreamTest
{
    @Test
    void gapsAreLossesUntilTheLateDatagramArrives()
    {
        final Iperf3Stream s = new Iperf3Stream(1, 2, 0, false);
        s.onDatagram(100, 1, 0.010);
        s.onDatagram(100, 2, 0.010);
        s.onDatagram(100, 5, 0.010);
        assertEquals(2, s.lost, "3 and 4 missing");
        assertEquals(5, s.packetCount);
        s.onDatagram(100, 3, 0.010);
        assertEquals(1, s.lost, "3 came late: one loss taken back");
        assertEquals(1, s.outOfOrder);
        assertEquals(5, s.packetCount, "the highest sequence stays");
        assertEquals(400, s.bytes);
    }

    @Test
    void jitterIsTheSmoothedTransitDifference()
    {
        final Iperf3Stream s = new Iperf3Stream(1, 2, 0, false);
        s.onDatagram(100, 1, 5.000);
        assertEquals(0.0, s.jitter, "the first datagram sets the reference (the clocks need not agree)");
        s.onDatagram(100, 2, 5.016);
        assertEquals(0.001, s.jitter, 1e-12, "RFC 1889: J += (|D| - J) / 16");
        s.onDatagram(100, 3, 5.000);
        assertEquals(0.001 + (0.016 - 0.001) / 16, s.jitter, 1e-12);
    }

    @Test
    void streamIdsSkipTwoAsIperf3Does()
    {
        assertEquals(1, new Iperf3Stream(0, 0, 0, false).id);
        assertEquals(3, new Iperf3Stream(0, 0, 1, false).id);
        assertEquals(4, new Iperf3Stream(0, 0, 2, false).id);
    }
}
