package io.conntest.bench.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.ScatterRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.statistics.DefaultMultiValueCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The results as one SVG picture for the Markdown report: one small panel per comparison (a reference scenario and
 * a metric, with every scenario compared against it on that metric), each scenario's runs drawn as dots and its
 * median as a bar, the ratio of each median to the reference's (and its target and verdict) in the row's label.
 * Scenarios no ratio compares get panels of their own, one per metric. Drawn by JFreeChart into JFreeSVG's
 * {@link SVGGraphics2D}, the same libraries as {@code conntest report}.
 */
public final class ResultsPlot
{
    /** Width of one panel; panels sit in two columns. */
    static final int PANEL_WIDTH = 720;
    static final int COLUMNS = 2;
    /** Colour of the run dots; the test counts the marks by it. */
    static final Color RUN = new Color(0x1f77b4);
    /** Colour of the median bars. */
    static final Color MEDIAN = new Color(0xd62728);
    /** Row labels of ratios that met their target, and that missed it. */
    static final Color MET = new Color(0x2ca02c);
    static final Color MISSED = new Color(0xd62728);
    /** A panel switches to a logarithmic axis when its largest value is this many times its smallest. */
    static final double LOG_AXIS_SPREAD = 30;

    private static final int PANEL_TOP = 52;
    private static final int ROW_HEIGHT = 26;
    private static final int PANEL_BOTTOM = 44;
    private static final int HEADER = 40;

    private ResultsPlot()
    {
    }

    /** One comparison panel: the metric, the reference scenario (null for a panel of uncompared scenarios), rows. */
    record Panel(Metric metric, String reference, List<String> scenarios)
    {
    }

    /** The whole picture as an SVG document. */
    public static String svg(final Results results)
    {
        final List<Panel> panels = panels(results);
        final int[] columnHeight = new int[COLUMNS];
        final List<Rectangle2D> places = new ArrayList<>();
        for (final Panel panel : panels)
        {
            final int column = columnHeight[0] <= columnHeight[1] ? 0 : 1;
            final int height = PANEL_TOP + ROW_HEIGHT * panel.scenarios().size() + PANEL_BOTTOM;
            places.add(new Rectangle2D.Double(column * PANEL_WIDTH, HEADER + columnHeight[column], PANEL_WIDTH,
                height));
            columnHeight[column] += height;
        }
        final int width = PANEL_WIDTH * COLUMNS;
        final int height = HEADER + Math.max(columnHeight[0], columnHeight[1]) + 8;
        final SVGGraphics2D g = new SVGGraphics2D(width, height);
        // a fixed prefix for the clip paths' ids: the same results give the same file (committed plots diff cleanly)
        g.setDefsKeyPrefix("bench_");
        g.setPaint(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, width, height));
        g.setPaint(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("conntest bench, " + results.mode() + " mode, " + results.started()
            + ": each dot one run, the bar the median, ×ratio of medians to the panel's reference", 10, 26);
        for (int i = 0; i < panels.size(); i++)
        {
            chart(results, panels.get(i)).draw(g, places.get(i));
        }
        // the element alone, without getSVGDocument()'s DOCTYPE: a reader need not fetch the SVG 1.0 DTD
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement() + "\n";
    }

    /** The panels in the order of the ratios, then the scenarios no ratio compares. */
    static List<Panel> panels(final Results results)
    {
        final Map<String, Panel> byReference = new LinkedHashMap<>();
        final Set<String> compared = new LinkedHashSet<>();
        for (final Ratio ratio : results.ratios())
        {
            if (!measured(results, ratio.reference(), ratio.metric()) || !measured(results, ratio.ours(), ratio.metric()))
            {
                continue;
            }
            final Panel panel = byReference.computeIfAbsent(ratio.reference() + "\n" + ratio.metric().key(),
                k -> new Panel(ratio.metric(), ratio.reference(), new ArrayList<>(List.of(ratio.reference()))));
            if (!panel.scenarios().contains(ratio.ours()))
            {
                panel.scenarios().add(ratio.ours());
            }
            compared.add(ratio.ours());
            compared.add(ratio.reference());
        }
        final List<Panel> panels = new ArrayList<>(byReference.values());
        final Map<Metric, Panel> rest = new LinkedHashMap<>();
        for (final ScenarioResult s : results.scenarios())
        {
            if (s.skipped() != null || s.runs().isEmpty() || compared.contains(s.id()) || s.metrics().isEmpty())
            {
                continue;
            }
            final Metric first = s.metrics().iterator().next();
            rest.computeIfAbsent(first, m -> new Panel(m, null, new ArrayList<>())).scenarios().add(s.id());
        }
        panels.addAll(rest.values());
        return panels;
    }

    private static boolean measured(final Results results, final String id, final Metric metric)
    {
        final ScenarioResult s = results.scenario(id);
        return s != null && s.skipped() == null && s.stats(metric).count() > 0;
    }

    private static JFreeChart chart(final Results results, final Panel panel)
    {
        final Metric metric = panel.metric();
        final double referenceMedian = panel.reference() == null ? Double.NaN
            : results.scenario(panel.reference()).stats(metric).median();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (final String id : panel.scenarios())
        {
            final Stats stats = results.scenario(id).stats(metric);
            min = Math.min(min, stats.min());
            max = Math.max(max, stats.max());
        }
        final boolean log = min > 0 && max / min > LOG_AXIS_SPREAD;
        final DefaultMultiValueCategoryDataset data = new DefaultMultiValueCategoryDataset();
        final Map<String, Color> rowPaints = new LinkedHashMap<>();
        for (final String id : panel.scenarios())
        {
            final ScenarioResult s = results.scenario(id);
            final List<Double> runs = new ArrayList<>();
            for (final Map<Metric, Double> run : s.runs())
            {
                final Double value = run.get(metric);
                if (value != null && !Double.isNaN(value))
                {
                    runs.add(position(value * metric.scale(), log));
                }
            }
            final String row = rowLabel(results, panel, s, referenceMedian);
            final Ratio target = targetRatio(results, panel, s);
            final String verdict = target == null ? "" : target.verdict(results);
            rowPaints.put(row, verdict.equals("met") ? MET : verdict.equals("missed") ? MISSED : Color.BLACK);
            data.add(runs, "runs", row);
            data.add(List.of(position(s.stats(metric).median() * metric.scale(), log)), "median", row);
        }
        final ScatterRenderer renderer = new ScatterRenderer();
        renderer.setUseSeriesOffset(false);
        renderer.setDrawOutlines(false);
        renderer.setSeriesPaint(0, RUN);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        renderer.setSeriesPaint(1, MEDIAN);
        // the median bar runs across the row: in a horizontal plot the shape's x is along the value axis
        renderer.setSeriesShape(1, new Rectangle2D.Double(-1.5, -9, 3, 18));
        final CategoryAxis rows = new CategoryAxis(null);
        rows.setMaximumCategoryLabelWidthRatio(0.55f);
        rows.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        rows.setTickMarksVisible(false);
        rowPaints.forEach(rows::setTickLabelPaint);
        final NumberAxis values = log ? decades(metric) : new NumberAxis(metric.unit());
        values.setTickMarksVisible(false);
        final CategoryPlot plot = new CategoryPlot(data, rows, values, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        final JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setTitle(new TextTitle(title(results, panel), new Font(Font.SANS_SERIF, Font.BOLD, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Where a value sits on the axis: itself, or its decimal logarithm on a log-scale panel. */
    private static double position(final double value, final boolean log)
    {
        return log ? Math.log10(value) : value;
    }

    /**
     * A logarithmic axis as a plain number axis over log10 of the values, ticked at whole decades and labelled with
     * the values themselves. (JFreeChart's LogAxis draws its labels as attributed text, which JFreeSVG writes as
     * glyph outlines: a fifth of the file for a handful of numbers.)
     */
    private static NumberAxis decades(final Metric metric)
    {
        final NumberAxis axis = new NumberAxis(metric.unit() + " (log scale)");
        axis.setAutoRangeIncludesZero(false);
        final TickUnits units = new TickUnits();
        for (final int step : new int[] {1, 2, 5, 10})
        {
            units.add(new NumberTickUnit(step, new DecadeFormat()));
        }
        axis.setStandardTickUnits(units);
        return axis;
    }

    /** Labels a tick at log10(v) with v, in three significant digits. */
    private static final class DecadeFormat extends NumberFormat
    {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(final double number, final StringBuffer to, final FieldPosition pos)
        {
            return to.append(ReportWriter.number(Math.pow(10, number)));
        }

        @Override
        public StringBuffer format(final long number, final StringBuffer to, final FieldPosition pos)
        {
            return format((double)number, to, pos);
        }

        @Override
        public Number parse(final String source, final ParsePosition pos)
        {
            return null;
        }
    }

    private static String title(final Results results, final Panel panel)
    {
        if (panel.reference() == null)
        {
            return "not compared: " + panel.metric().unit();
        }
        return panel.metric().unit() + " against " + panel.reference() + " ("
            + results.scenario(panel.reference()).title() + ")";
    }

    /** The ratio of the results that holds {@code s} to a target against the panel's reference, or null. */
    private static Ratio targetRatio(final Results results, final Panel panel, final ScenarioResult s)
    {
        for (final Ratio r : results.ratios())
        {
            if (r.ours().equals(s.id()) && r.reference().equals(panel.reference()) && r.metric() == panel.metric()
                && !r.targetText().isEmpty())
            {
                return r;
            }
        }
        return null;
    }

    /** "tcp-stack-tx  ×0.66 (≥ 0.90 missed)", "pump-tx  (reference)". */
    private static String rowLabel(final Results results, final Panel panel, final ScenarioResult s,
        final double referenceMedian)
    {
        if (panel.reference() == null)
        {
            return s.id();
        }
        if (s.id().equals(panel.reference()))
        {
            return s.id() + "  (reference)";
        }
        final double ratio = s.stats(panel.metric()).median() / referenceMedian;
        final StringBuilder label = new StringBuilder(s.id()).append("  ×")
            .append(String.format(Locale.ROOT, ratio >= 10 ? "%.1f" : "%.2f", ratio));
        final Ratio target = targetRatio(results, panel, s);
        if (target != null)
        {
            label.append(" (").append(target.targetText()).append(' ').append(target.verdict(results)).append(')');
        }
        return label.toString();
    }
}
