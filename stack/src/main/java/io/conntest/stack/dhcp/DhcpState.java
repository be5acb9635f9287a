package io.conntest.stack.dhcp;

/** The client's states (RFC 2131 §4.4, figure 5), with the ARP check and the pause after a decline made explicit. */
public enum DhcpState
{
    /** About to send DISCOVER (at start, after a NAK, an expiry, or the pause after a decline). */
    INIT,
    /** DISCOVER sent, waiting for an OFFER. */
    SELECTING,
    /** REQUEST sent for an offered address, waiting for ACK or NAK. */
    REQUESTING,
    /** ACK received; probing the address with ARP before using it (RFC 2131 §4.4.1, RFC 5227 §2.1). */
    PROBING,
    /** The pause after a DECLINE before starting again (RFC 2131 §3.1.5: at least ten seconds). */
    DECLINED,
    /** The lease is in use. */
    BOUND,
    /** After T1: REQUEST unicast to the leasing server. */
    RENEWING,
    /** After T2: REQUEST broadcast to any server. */
    REBINDING
}
