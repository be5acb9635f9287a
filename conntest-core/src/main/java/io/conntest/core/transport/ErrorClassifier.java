package io.conntest.core.transport;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/** Maps the JDK's socket exceptions (which carry the errno text) to a {@link FailureReason}. */
public final class ErrorClassifier
{
    private ErrorClassifier()
    {
    }

    public static FailureReason classify(final Throwable t)
    {
        if (t instanceof PortUnreachableException)
        {
            return FailureReason.REFUSED;
        }
        if (t instanceof NoRouteToHostException || t instanceof UnresolvedAddressException)
        {
            return FailureReason.UNREACHABLE;
        }
        if (t instanceof SocketTimeoutException)
        {
            return FailureReason.TIMEOUT;
        }
        if (t instanceof ClosedChannelException)
        {
            return FailureReason.CLOSED;
        }
        final String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("refused"))
        {
            return FailureReason.REFUSED;
        }
        if (message.contains("timed out"))
        {
            return FailureReason.TIMEOUT;
        }
        if (message.contains("unreachable") || message.contains("no route"))
        {
            return FailureReason.UNREACHABLE;
        }
        if (message.contains("reset") || message.contains("broken pipe"))
        {
            return FailureReason.RESET;
        }
        return t instanceof ConnectException ? FailureReason.REFUSED : FailureReason.LOCAL;
    }

    /**
     * A one-line description: the exception's message (the errno's words), "the name does not resolve" for a host
     * name without an address (the JDK's UnresolvedAddressException has no message), never a bare class name.
     */
    public static String describe(final Throwable t)
    {
        if (t instanceof UnresolvedAddressException)
        {
            return "the name does not resolve (no such host, or no answer from DNS)";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
