/**
 * The outputs of a run: the live TUI (lanterna), the log, plain text lines and JSON lines, all fed from the engines'
 * events and snapshots on the dispatcher threads (never the I/O threads), plus the shared wording and units. Knows
 * nothing of the command line and never reaches into an engine.
 */
package io.conntest.cli.ui;
