package io.conntest.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every report page must hold, shared by the unit and the end-to-end test. */
final class ReportPageAssertions
{
    /** A plotted series: its group's 1.5-pixel stroke, then a path through at least three points. */
    private static final Pattern DATA_LINE =
        Pattern.compile("stroke-width:1\\.5;[^>]*>\\s*<path d='M[-0-9.,]+(L[-0-9.,]+){2,}");
    /** Anything a browser would fetch: a src or href attribute, CSS url() or @import, to http(s) or //. */
    private static final Pattern FETCH = Pattern.compile(
        "(?i)((src|href|action|data)\\s*=\\s*['\"]?\\s*(https?:|//))|url\\(\\s*['\"]?\\s*(https?:|//)|@import");

    private ReportPageAssertions()
    {
    }

    static List<String> svgs(final String html)
    {
        final List<String> svgs = new ArrayList<>();
        final Matcher m = Pattern.compile("(?s)<svg.*?</svg>").matcher(html);
        while (m.find())
        {
            svgs.add(m.group());
        }
        return svgs;
    }

    /** {@code plots} SVGs, each with a plotted line; no script, nothing fetched from the network. */
    static void selfContainedWithPlots(final String html, final int plots)
    {
        assertEquals(plots, selfContainedWithPlots(html), "one SVG per plot");
    }

    /** As {@link #selfContainedWithPlots(String, int)} for any number of plots, returned. */
    static int selfContainedWithPlots(final String html)
    {
        final List<String> svgs = svgs(html);
        for (int i = 0; i < svgs.size(); i++)
        {
            assertTrue(DATA_LINE.matcher(svgs.get(i)).find(), "plot " + i + " has a line through data points");
        }
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("<script"), "no script element");
        final Matcher fetch = FETCH.matcher(html);
        assertFalse(fetch.find(), () -> "nothing fetched: " + html.substring(Math.max(0, fetch.start() - 40),
            Math.min(html.length(), fetch.end() + 40)));
        return svgs.size();
    }

    /** The rows of the summary table, without its header. */
    static List<String> summaryRows(final String html)
    {
        final Matcher table = Pattern.compile("(?s)<table class=\"summary\">(.*?)</table>").matcher(html);
        assertTrue(table.find(), "a summary table");
        final List<String> rows = new ArrayList<>();
        final Matcher row = Pattern.compile("(?s)<tr><td.*?</tr>").matcher(table.group(1));
        while (row.find())
        {
            rows.add(row.group());
        }
        return rows;
    }
}
