package io.conntest.core.iperf3;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Iperf3JsonTest
{
    @Test
    void readsTheParametersIperf3Sends()
    {
        final Map<String, Object> p = Iperf3Json.parseObject("{\"tcp\":true,\"omit\":0,\"time\":2,\"num\":0,"
            + "\"blockcount\":0,\"parallel\":4,\"reverse\":true,\"len\":131072,\"pacing_timer\":1000,"
            + "\"client_version\":\"3.12\",\"title\":\"a \\\"q\\\" \\u00e9\\n\"}");
        assertEquals(Boolean.TRUE, p.get("tcp"));
        assertEquals(4.0, p.get("parallel"));
        assertEquals("3.12", p.get("client_version"));
        assertEquals("a \"q\" \u00e9\n", p.get("title"));
        final Iperf3Params params = Iperf3Params.from(p);
        assertNull(params.unsupported());
        assertEquals(4, params.parallel());
        assertTrue(params.reverse());
        assertTrue(params.serverSends(0));
    }

    @Test
    void readsNestedResults()
    {
        final Map<String, Object> r = Iperf3Json.parseObject(" {\"cpu_util_total\":1.5e1,\"streams\":[{\"id\":1,"
            + "\"bytes\":104857600,\"jitter\":-0.25},{\"id\":3,\"bytes\":0}],\"x\":null,\"y\":false} ");
        final List<?> streams = (List<?>)r.get("streams");
        assertEquals(2, streams.size());
        assertEquals(104857600.0, ((Map<?, ?>)streams.get(0)).get("bytes"));
        assertEquals(-0.25, ((Map<?, ?>)streams.get(0)).get("jitter"));
        assertEquals(15.0, r.get("cpu_util_total"));
        assertTrue(r.containsKey("x"));
        assertEquals(Boolean.FALSE, r.get("y"));
    }

    @Test
    void refusesBadInputWithOneExceptionType()
    {
        for (final String bad : new String[] {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\":tru}", "\"abc",
            "{\"a\":1} x", "{\"a\":\"\\q\"}", "{\"a\":1e999}", "{\"a\":\"\u0001\"}", "[".repeat(20) + "]".repeat(20),
            "{a:1}", "-", "{\"a\":\"\\u12\"}"})
        {
            assertThrows(IllegalArgumentException.class, () -> Iperf3Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Iperf3Json.parseObject("[1]"));
        final StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < Iperf3Json.MAX_VALUES + 1; i++)
        {
            many.append(i == 0 ? "" : ",").append('1');
        }
        assertThrows(IllegalArgumentException.class, () -> Iperf3Json.parse(many.append(']').toString()));
    }

    @Test
    void writesWhatItReads()
    {
        final String text = new Iperf3Json.Writer().beginObject().number("cpu_util_total", 0.0)
            .number("sender_has_retransmits", -1).string("server_output_text", "line \"1\"\n\ttab\u0002")
            .bool("ok", true).beginArray("streams").beginObject().number("id", 1).number("bytes", 5_000_000_000L)
            .endObject().beginObject().number("id", 3).endObject().endArray().endObject().toString();
        assertEquals("{\"cpu_util_total\":0.0,\"sender_has_retransmits\":-1,\"server_output_text\":"
            + "\"line \\\"1\\\"\\n\\ttab\\u0002\",\"ok\":true,\"streams\":[{\"id\":1,\"bytes\":5000000000},{\"id\":3}]}",
            text);
        final Map<String, Object> back = Iperf3Json.parseObject(text);
        assertEquals("line \"1\"\n\ttab\u0002", back.get("server_output_text"));
        assertEquals(5e9, ((Map<?, ?>)((List<?>)back.get("streams")).get(0)).get("bytes"));
    }

    @Test
    void paramsNameWhatIsNotServed()
    {
        assertEquals("MSS", Iperf3Params.from(Iperf3Json.parseObject("{\"tcp\":true,\"MSS\":1000}")).unsupported());
        assertEquals(Iperf3Protocol.IENUMSTREAMS,
            Iperf3Params.from(Iperf3Json.parseObject("{\"tcp\":true,\"parallel\":9}")).errorCode());
        assertEquals(Iperf3Protocol.IEUNIMP,
            Iperf3Params.from(Iperf3Json.parseObject("{\"sctp\":true}")).errorCode());
        final Iperf3Params bidir = Iperf3Params.from(Iperf3Json.parseObject("{\"tcp\":true,\"parallel\":2,"
            + "\"bidirectional\":true}"));
        assertEquals(4, bidir.streamCount());
        assertEquals(false, bidir.serverSends(1));
        assertEquals(true, bidir.serverSends(2));
    }
}
