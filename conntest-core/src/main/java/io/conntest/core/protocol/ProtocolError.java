package io.conntest.core.protocol;

/** Why a peer's bytes were rejected. Every one closes the connection with a clear error. */
public enum ProtocolError
{
    BAD_MAGIC("not a conntest peer (bad magic)"),
    BAD_VERSION("unsupported protocol version"),
    UNKNOWN_TYPE("unknown frame type"),
    LENGTH_TOO_LARGE("frame length exceeds limit"),
    BAD_BODY("malformed frame body"),
    TRUNCATED("truncated frame"),
    UNEXPECTED("frame not allowed in this state"),
    VERIFICATION("payload verification failed");

    private final String description;

    ProtocolError(final String description)
    {
        this.description = description;
    }

    public String description()
    {
        return description;
    }
}
