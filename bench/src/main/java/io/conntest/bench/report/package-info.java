/**
 * The end-to-end runner's results: per-run metrics, their median and spread, ratios against the kernel and the
 * raw TAP ceiling, the machine they were measured on, and the writers (console table, Markdown, JSON). Pure data
 * and text: nothing here touches the network.
 */
package io.conntest.bench.report;
