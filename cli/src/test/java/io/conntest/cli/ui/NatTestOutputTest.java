package io.conntest.cli.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.nat.NatTestResult;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.MeshMatrix;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.TransportProtocol;

/** A NAT test's verdicts in the outputs: the JSON event's fields, the JSON summary and the text summary line. */
class NatTestOutputTest
{
    private static final NatTestResult MASQUERADE = new NatTestResult("10.9.0.2:7000", null, "10.9.0.1:53990", 53990,
        NatTestResult.ENDPOINT_INDEPENDENT, true, NatTestResult.ADDRESS_AND_PORT_DEPENDENT, 4.5, 5.0, 3.0, 10.0);
    private static final NatTestResult OVER = new NatTestResult("10.9.0.2:7000", null, "10.9.0.1:1", 1,
        NatTestResult.ENDPOINT_INDEPENDENT, false, NatTestResult.EIF_OR_ADF, 60.0, Double.NaN, 48.0, 60.0);

    private static EngineSnapshot snapshot(final List<NatTestResult> tests)
    {
        return new EngineSnapshot(Snapshots.SECOND, "client", "tap", List.of(), List.of(), 0,
            MeshMatrix.empty("client"), tests);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonEventAndSummaryCarryTheVerdicts()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final JsonOutput json = new JsonOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Snapshots.SECOND);
        json.onEvent("client", new EngineEvent(1, 0, EventType.NAT_TEST, 0, Side.CLIENT, TransportProtocol.UDP,
            "10.9.0.2", 7000, null, null, MASQUERADE.describe(), null, -1, -1, -1, MASQUERADE));
        json.onStop(List.of(snapshot(List.of(OVER))), Snapshots.SECOND);
        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        final Map<String, Object> event = JsonParser.object(lines.get(0));
        assertEquals("nat_test", event.get("event"));
        final Map<String, Object> data = (Map<String, Object>)event.get("data");
        assertEquals("endpoint-independent", data.get("mapping"));
        assertEquals(Boolean.TRUE, data.get("port_preserved"));
        assertEquals("address-and-port-dependent", data.get("filtering"));
        assertEquals(4.5, ((Number)data.get("binding_lifetime_min_s")).doubleValue());
        assertEquals(5.0, ((Number)data.get("binding_lifetime_max_s")).doubleValue());
        assertEquals(3.0, ((Number)data.get("keepalive_s")).doubleValue());
        assertEquals("10.9.0.1:53990", data.get("seen_as"));
        assertEquals(53990L, data.get("local_port"));
        assertTrue(String.valueOf(data.get("message")).contains("binding lifetime 4.50 to 5.00 s"), data.toString());
        final Map<String, Object> summary = (Map<String, Object>)JsonParser.object(lines.get(1)).get("data");
        final Map<String, Object> test = (Map<String, Object>)((List<Object>)summary.get("nat_tests")).get(0);
        assertEquals(60.0, ((Number)test.get("binding_lifetime_min_s")).doubleValue());
        assertNull(test.get("binding_lifetime_max_s"), "longer than the longest gap: unknown, null");
        assertEquals("endpoint-independent or address-dependent", test.get("filtering"));
    }

    @Test
    void aSummaryWithoutNatTestsHasNoSuchField()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final JsonOutput json = new JsonOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Snapshots.SECOND);
        json.onStop(List.of(snapshot(List.of())), Snapshots.SECOND);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("nat_tests"));
    }

    @Test
    void theTextSummaryHasALinePerTest()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TextOutput text = new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Snapshots.SECOND);
        text.onStop(List.of(snapshot(List.of(MASQUERADE, OVER))), Snapshots.SECOND);
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("client summary nat test of 10.9.0.2:7000: seen as 10.9.0.1:53990 from local port "
            + "53990; mapping endpoint-independent (or address-dependent: the peer has one address), port preserved; "
            + "filtering address-and-port-dependent; binding lifetime 4.50 to 5.00 s, keep-alive every 3.00 s holds it"),
            out);
        assertTrue(out.contains("port not preserved; filtering endpoint-independent or address-dependent (one peer "
            + "address); binding lifetime over 60.0 s (the longest gap tried), keep-alive every 48.0 s holds it"), out);
    }
}
