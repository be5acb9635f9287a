package io.conntest.cli.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The report's plots, drawn by JFreeChart into JFreeSVG's {@link SVGGraphics2D}, each returned as one inline
 * {@code <svg>} element: latency (p50 line, band to p99; idle and loaded apart), throughput each way, UDP loss;
 * every plot of a row marks its events on the time axis (green: connected, orange: reconnected, red: failure).
 */
final class ReportCharts
{
    static final int WIDTH = 1200;
    static final int HEIGHT = 300;
    /** Most event markers drawn per plot (a flapping link): the table and the event list say the rest. */
    static final int MAX_MARKERS = 200;

    private static final Color IDLE = new Color(0x1f77b4);
    private static final Color LOADED = new Color(0xd62728);
    private static final Color UP = new Color(0x2ca02c);
    private static final Color DOWN = new Color(0x9467bd);
    private static final Color CONNECTED = new Color(0x2ca02c);
    private static final Color RECONNECTED = new Color(0xff7f0e);
    private static final Color FAILURE = new Color(0xd62728);

    private int charts;

    /** RTT/2 over time in microseconds: idle and loaded p50 lines, each with a band up to its p99. */
    String latency(final ConnectionRecord row)
    {
        final YIntervalSeries idle = band("idle p50 (band: p50-p99)", row.points(), SeriesPoint::idleP50Ns,
            SeriesPoint::idleP99Ns);
        final YIntervalSeries loaded = band("loaded p50 (band: p50-p99)", row.points(), SeriesPoint::loadedP50Ns,
            SeriesPoint::loadedP99Ns);
        final YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(idle);
        data.addSeries(loaded);
        final DeviationRenderer renderer = new DeviationRenderer(true, false);
        style(renderer, 0, IDLE);
        style(renderer, 1, LOADED);
        renderer.setSeriesFillPaint(0, IDLE);
        renderer.setSeriesFillPaint(1, LOADED);
        renderer.setAlpha(0.25f);
        return svg(chart("Latency (RTT/2): " + row.label(), "RTT/2 (us)", data, renderer, row));
    }

    /** Throughput each way over time, Mbit/s, from each interval's bytes. */
    String throughput(final ConnectionRecord row)
    {
        final XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(line("sent (up)", row.points(), p -> p.sendBps() / 1e6));
        data.addSeries(line("received (down)", row.points(), p -> p.receiveBps() / 1e6));
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        style(renderer, 0, UP);
        style(renderer, 1, DOWN);
        return svg(chart("Throughput: " + row.label(), "Mbit/s", data, renderer, row));
    }

    /** UDP messages declared lost, cumulative, each way. */
    String udpLoss(final ConnectionRecord row)
    {
        final XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(line("lost on the way out (udp_lost)", row.points(), SeriesPoint::udpLost));
        data.addSeries(line("lost on the way in (udp_lost_incoming)", row.points(), SeriesPoint::udpLostIncoming));
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        style(renderer, 0, UP);
        style(renderer, 1, DOWN);
        return svg(chart("UDP loss: " + row.label(), "messages lost (cumulative)", data, renderer, row));
    }

    private static YIntervalSeries band(final String name, final List<SeriesPoint> points,
        final ToDoubleFunction<SeriesPoint> p50, final ToDoubleFunction<SeriesPoint> p99)
    {
        final YIntervalSeries series = new YIntervalSeries(name, false, true);
        for (final SeriesPoint point : points)
        {
            final double median = p50.applyAsDouble(point) / 1e3;
            if (Double.isNaN(median))
            {
                continue;
            }
            final double high = p99.applyAsDouble(point) / 1e3;
            series.add(point.seconds(), median, median, Double.isNaN(high) ? median : Math.max(high, median));
        }
        return series;
    }

    private static XYSeries line(final String name, final List<SeriesPoint> points,
        final ToDoubleFunction<SeriesPoint> value)
    {
        final XYSeries series = new XYSeries(name, false, true);
        for (final SeriesPoint point : points)
        {
            final double y = value.applyAsDouble(point);
            if (!Double.isNaN(y))
            {
                series.add(point.seconds(), y);
            }
        }
        return series;
    }

    private static void style(final XYLineAndShapeRenderer renderer, final int series, final Color color)
    {
        // one <path> per series, not a <line> per segment: a smaller SVG
        renderer.setDrawSeriesLineAsPath(true);
        renderer.setSeriesPaint(series, color);
        renderer.setSeriesStroke(series, new BasicStroke(1.5f));
    }

    private static JFreeChart chart(final String title, final String yLabel, final XYDataset data,
        final XYLineAndShapeRenderer renderer, final ConnectionRecord row)
    {
        final NumberAxis time = new NumberAxis("time since the recording began (s)");
        time.setAutoRangeIncludesZero(false);
        final NumberAxis values = new NumberAxis(yLabel);
        values.setAutoRangeIncludesZero(true);
        final XYPlot plot = new XYPlot(data, time, values, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        int markers = 0;
        for (final RunEvent event : row.events())
        {
            if (markers++ == MAX_MARKERS)
            {
                break;
            }
            final ValueMarker marker = new ValueMarker(event.seconds(), switch (event.kind())
            {
                case CONNECTED -> CONNECTED;
                case RECONNECTED -> RECONNECTED;
                case FAILURE -> FAILURE;
            }, new BasicStroke(event.kind() == RunEvent.Kind.CONNECTED ? 1f : 2f));
            plot.addDomainMarker(marker);
        }
        final JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 14)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private String svg(final JFreeChart chart)
    {
        final SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        // several SVGs share one page: their clip paths' ids must not collide
        g.setDefsKeyPrefix("c" + (++charts) + "_");
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement("chart" + charts);
    }
}
