package io.conntest.core.probe;

import java.io.ByteArrayOutputStream;

/**
 * Protocol payloads for well-known UDP ports, as nmap's {@code nmap-payloads} file does: a UDP service answers only a
 * request it understands, so a one-byte probe reads as {@code open|filtered} even where a DNS server listens. Each
 * payload is a minimal valid request written from its RFC; any answer (even an error reply) proves the port open.
 *
 * <ul>
 * <li>53, DNS (RFC 1035 §4.1): a standard query for the root's NS records, recursion not desired, so a resolver
 *     answers from what it knows and sends nothing on.</li>
 * <li>123, NTP (RFC 5905 §7.3): a 48-byte client-mode (3) version-4 packet with a non-zero transmit timestamp.</li>
 * <li>161, SNMP (RFC 1157 §4.1.2, RFC 3416 §3): an SNMPv2c get-request for sysDescr.0 with community
 *     {@code public}, BER-encoded (X.690).</li>
 * </ul>
 *
 * Immutable; {@link #forPort(int)} returns a fresh copy.
 */
public final class UdpPayloads
{
    /** The ports that have a payload here, ascending. */
    public static final int[] PORTS = {53, 123, 161};

    /** The DNS query's ID ("ct"), echoed by the server. */
    static final int DNS_ID = 0x6374;
    /** The SNMP request-id ("cntt"), echoed by the agent. */
    static final int SNMP_REQUEST_ID = 0x636E7474;
    /** The NTP transmit timestamp (any non-zero value: the server copies it into its origin field, RFC 5905 §8). */
    static final long NTP_TRANSMIT = 0x636F6E6E74657374L; // "conntest"

    private static final byte[] DNS = dnsRootNsQuery();
    private static final byte[] NTP = ntpClientRequest();
    private static final byte[] SNMP = snmpGetRequest();

    private UdpPayloads()
    {
    }

    /** The payload for {@code port}, or null when it has none (the prober's default payload is sent). */
    public static byte[] forPort(final int port)
    {
        switch (port)
        {
            case 53:
                return DNS.clone();
            case 123:
                return NTP.clone();
            case 161:
                return SNMP.clone();
            default:
                return null;
        }
    }

    /** The service name nmap gives {@code port}'s payload, or null. */
    public static String serviceName(final int port)
    {
        switch (port)
        {
            case 53:
                return "domain";
            case 123:
                return "ntp";
            case 161:
                return "snmp";
            default:
                return null;
        }
    }

    /** RFC 1035 §4.1.1 header, §4.1.2 question: QNAME root (one zero octet), QTYPE NS (2), QCLASS IN (1). */
    static byte[] dnsRootNsQuery()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(17);
        putShort(out, DNS_ID);
        putShort(out, 0x0000); // QR 0 (query), OPCODE 0 (QUERY), AA/TC 0, RD 0, RA 0, Z 0, RCODE 0
        putShort(out, 1);      // QDCOUNT
        putShort(out, 0);      // ANCOUNT
        putShort(out, 0);      // NSCOUNT
        putShort(out, 0);      // ARCOUNT
        out.write(0);          // QNAME: the root, a zero-length label
        putShort(out, 2);      // QTYPE NS
        putShort(out, 1);      // QCLASS IN
        return out.toByteArray();
    }

    /**
     * RFC 5905 §7.3 packet header: LI 3 (unsynchronised), VN 4, Mode 3 (client) = 0xE3; stratum 0, poll 6 (64 s),
     * precision -20 (about a microsecond); root delay, dispersion, reference ID and the first three timestamps zero;
     * the transmit timestamp non-zero, since a server may drop a request without one.
     */
    static byte[] ntpClientRequest()
    {
        final byte[] packet = new byte[48];
        packet[0] = (byte)(3 << 6 | 4 << 3 | 3);
        packet[1] = 0;          // stratum
        packet[2] = 6;          // poll
        packet[3] = (byte)-20;  // precision
        for (int i = 0; i < 8; i++)
        {
            packet[40 + i] = (byte)(NTP_TRANSMIT >>> (56 - 8 * i));
        }
        return packet;
    }

    /**
     * RFC 1157 §4.1 Message {version, community, data} with version 1 (SNMPv2c, RFC 1901), community "public", and
     * an RFC 3416 §3 GetRequest-PDU ([0] IMPLICIT) {request-id, error-status 0, error-index 0, variable-bindings
     * {{sysDescr.0 = 1.3.6.1.2.1.1.1.0, NULL}}}. BER definite lengths (X.690 §8.1.3), all short form here.
     */
    static byte[] snmpGetRequest()
    {
        final byte[] oid = {0x2B, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00}; // 1.3 as 43, then 6.1.2.1.1.1.0
        final byte[] varBind = tlv(0x30, concat(tlv(0x06, oid), tlv(0x05, new byte[0])));
        final byte[] varBindList = tlv(0x30, varBind);
        final byte[] pdu = tlv(0xA0, concat(integer(SNMP_REQUEST_ID), integer(0), integer(0), varBindList));
        final byte[] community = tlv(0x04, new byte[] {'p', 'u', 'b', 'l', 'i', 'c'});
        return tlv(0x30, concat(integer(1), community, pdu));
    }

    /** A BER INTEGER in the fewest octets, two's complement (X.690 §8.3). */
    private static byte[] integer(final int value)
    {
        int length = 4;
        while (length > 1 && (value >> (8 * (length - 1) - 1)) == (value >> 31))
        {
            length--;
        }
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(value >>> (8 * (length - 1 - i)));
        }
        return tlv(0x02, bytes);
    }

    private static byte[] tlv(final int tag, final byte[] value)
    {
        if (value.length > 127)
        {
            throw new IllegalArgumentException("long-form BER lengths are not needed here");
        }
        final byte[] out = new byte[2 + value.length];
        out[0] = (byte)tag;
        out[1] = (byte)value.length;
        System.arraycopy(value, 0, out, 2, value.length);
        return out;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void putShort(final ByteArrayOutputStream out, final int value)
    {
        out.write(value >>> 8);
        out.write(value);
    }
}
