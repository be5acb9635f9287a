package io.conntest.cli.report;

/**
 * An engine event worth marking on a connection's time axis: a (re)connection, a failed attempt, a close or an
 * error, at {@code seconds} since the recording began. {@code text} is what the recording said (reason and
 * message), bounded printable ASCII, not yet escaped for HTML.
 */
record RunEvent(double seconds, Kind kind, String text)
{
    /** How an event is drawn. */
    enum Kind
    {
        /** The first {@code connected} of a row. */
        CONNECTED,
        /** A later {@code connected}: the row came back. */
        RECONNECTED,
        /** {@code connect_failed}, {@code closed}, {@code error}, {@code link_down}. */
        FAILURE
    }
}
