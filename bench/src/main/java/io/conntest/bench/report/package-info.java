/**
 * The end-to-end runner's results: per-run metrics, their median and spread, ratios against the kernel and the
 * raw TAP ceiling, the machine they were measured on, the writers (console table, Markdown, JSON, the SVG plot of
 * a run) and the reader that draws a results file again. Pure data and text: nothing here touches the network.
 */
package io.conntest.bench.report;
