/**
 * The end-to-end runner's results: per-run metrics, their median and spread, ratios against the kernel and the
 * raw TAP ceiling, the machine they were measured on, and the writers (console table, Markdown, JSON) and the JSON reader. Pure data
 * and text, and the plot of a run (SVG, JFreeChart) that can also be drawn again from a results file. Nothing here
 * touches the network.
 */
package io.conntest.bench.report;
