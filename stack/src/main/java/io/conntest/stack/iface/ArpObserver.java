package io.conntest.stack.iface;

/**
 * Sees every well-formed ARP packet the interface receives, before the interface acts on it: how a DHCP client
 * tells whether an address it was offered is in use (RFC 5227 §2.1.1, a reply or request from that address, or
 * another host's probe for it). Called on the interface's thread during ingress; must not send.
 */
@FunctionalInterface
public interface ArpObserver
{
    /** One ARP packet: {@code operation} 1 (request) or 2 (reply), its sender's addresses and its target address. */
    void onArp(int operation, int senderIp, long senderMac, int targetIp);
}
