/**
 * {@code conntest report RUN.jsonl -o report.html}: one self-contained HTML page from a JSON-lines recording
 * ({@code --ui json}, or {@code --logfile} beside it). {@link io.conntest.cli.report.RecordingReader} reads the
 * recording, bounded (line length, connections, points per series, events) and counting what it skips;
 * {@link io.conntest.cli.report.Recording} keeps per connection row its time series and events;
 * {@link io.conntest.cli.report.ReportCharts} draws them with JFreeChart into inline SVG (JFreeSVG), and
 * {@link io.conntest.cli.report.ReportPage} writes the page with its summary table, everything a peer sent
 * escaped for HTML.
 */
package io.conntest.cli.report;
