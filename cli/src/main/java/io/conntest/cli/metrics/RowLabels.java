package io.conntest.cli.metrics;

import io.conntest.core.transport.HostText;
import io.conntest.cli.ui.AsciiLine;
import io.conntest.cli.ui.Describe;
import io.conntest.core.stats.ConnectionSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

import java.util.Objects;

/**
 * The label sets of one connection row, built once and reused by every scrape while the row's identity (its peer's
 * name and address) stays the same, so a scrape allocates no label strings for known rows. Every string a peer
 * could have chosen (its name) is made printable ASCII and bounded with {@link AsciiLine}, as every other output
 * shows it; the client's exposition then escapes the quote and backslash.
 */
final class RowLabels
{
    /** Longest label value taken from a peer (its name); the engine already cut names to 64 characters. */
    static final int MAX_VALUE_CHARS = 128;

    final String instanceName;
    final String stack;
    final ConnectionSnapshot source;
    final Labels base;
    final Labels idle;
    final Labels loaded;
    final Labels up;
    final Labels down;
    long generation;

    RowLabels(final String instanceName, final String stack, final ConnectionSnapshot c)
    {
        this.instanceName = instanceName;
        this.stack = stack;
        this.source = c;
        this.base = Labels.of(
            "instance_name", clean(instanceName),
            "direction", Describe.direction(c.side()),
            "protocol", c.protocol().lowerName(),
            "peer_name", c.peerName() == null ? "" : clean(c.peerName()),
            "peer_address", clean(address(c.peerHost(), c.peerPort())),
            "stack", clean(stack));
        this.idle = base.add("load", "idle");
        this.loaded = base.add("load", "loaded");
        this.up = base.add("way", "up");
        this.down = base.add("way", "down");
    }

    /** Whether these labels still describe {@code c} of {@code instanceName} on {@code stack}. */
    boolean fits(final String instanceName, final String stack, final ConnectionSnapshot c)
    {
        return this.instanceName.equals(instanceName) && this.stack.equals(stack)
            && source.side() == c.side() && source.protocol() == c.protocol() && source.peerPort() == c.peerPort()
            && Objects.equals(source.peerName(), c.peerName()) && Objects.equals(source.peerHost(), c.peerHost());
    }

    /** Printable ASCII, bounded: the form every output shows a peer's text in. */
    static String clean(final String text)
    {
        return AsciiLine.of(text, MAX_VALUE_CHARS);
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    static String address(final String host, final int port)
    {
        if (host == null)
        {
            return "";
        }
        return HostText.withPort(host, port);
    }
}
