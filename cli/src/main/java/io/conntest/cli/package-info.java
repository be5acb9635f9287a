/** The {@code conntest} command: options, the UIs (TUI, log, text, JSON lines), probe and the lab. */
package io.conntest.cli;
