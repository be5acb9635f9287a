package io.conntest.core.probe;

/**
 * What a conntest peer on the probed host said of a probe that got no answer (the listener's arrivals answer,
 * docs/protocol.md "NAT probes", kind 5): it tells a probe dropped on the way there from an answer dropped on the way
 * back, which no one-ended scanner can.
 */
public enum PeerArrival
{
    /**
     * The probe arrived, found no socket and was answered (a TCP reset, an ICMP port unreachable): the answer was
     * lost on the way back (a firewall on the return path), or held back by the peer's ICMP rate limit.
     */
    ARRIVED("arrived", "arrived at a closed port and was answered: the answer was lost on the way back"),
    /**
     * The peer saw no probe for the port: dropped on the way there, or (UDP) taken by a socket that did not answer.
     */
    NOT_SEEN("not-seen", "never seen at a closed port: dropped on the way there, or taken by a silent socket"),
    /** The peer's listener runs on kernel sockets, which see no arrival for a closed port. */
    CANNOT_TELL("cannot-tell", "cannot tell (its listener is on kernel sockets)"),
    /** The peer did not answer the question. */
    NO_ANSWER("no-answer", "no answer to the question (no conntest UDP listener there, or it is filtered)");

    private final String word;
    private final String description;

    PeerArrival(final String word, final String description)
    {
        this.word = word;
        this.description = description;
    }

    /** The word of JSON and the REASON column, e.g. {@code arrived}. */
    public String word()
    {
        return word;
    }

    /** A phrase for a person. */
    public String describe()
    {
        return description;
    }
}
