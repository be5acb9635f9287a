/**
 * {@code conntest probe}: the command over {@code io.conntest.core.probe} (kernel sockets) or the stack prober
 * ({@code --tap}), and its outputs (nmap's table, JSON lines). Does no probing of its own.
 */
package io.conntest.cli.probe;
