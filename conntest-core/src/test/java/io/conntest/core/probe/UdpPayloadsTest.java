package io.conntest.core.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The well-known UDP payloads byte for byte against their RFCs, and how the options choose them. */
class UdpPayloadsTest
{
    private static byte[] hex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @Test
    void dnsIsAStandardQueryForTheRootNsRecords()
    {
        // RFC 1035 4.1.1: ID 6374, flags 0 (query, no recursion), QDCOUNT 1; 4.1.2: QNAME root, QTYPE 2, QCLASS 1
        assertArrayEquals(hex("6374 0000 0001 0000 0000 0000 00 0002 0001"), UdpPayloads.forPort(53));
    }

    @Test
    void ntpIsAVersion4ClientModePacket()
    {
        final byte[] ntp = UdpPayloads.forPort(123);
        assertEquals(48, ntp.length, "RFC 5905 7.3: the header without extensions");
        assertEquals(0xE3, ntp[0] & 0xFF, "LI 3, VN 4, Mode 3 (client)");
        assertEquals(4, (ntp[0] >> 3) & 7);
        assertEquals(3, ntp[0] & 7);
        assertArrayEquals(hex("636F6E6E74657374"), java.util.Arrays.copyOfRange(ntp, 40, 48),
            "a non-zero transmit timestamp");
        for (int i = 4; i < 40; i++)
        {
            assertEquals(0, ntp[i], "byte " + i);
        }
    }

    @Test
    void snmpIsAV2cGetRequestForSysDescr()
    {
        assertArrayEquals(hex("30 29"                                  // Message SEQUENCE, 41 bytes
            + "02 01 01"                                                 // version 1 = SNMPv2c
            + "04 06 7075626C6963"                                       // community "public"
            + "A0 1C"                                                    // GetRequest-PDU, 28 bytes
            + "02 04 636E7474"                                           // request-id
            + "02 01 00 02 01 00"                                        // error-status, error-index
            + "30 0E 30 0C 06 08 2B06010201010100 05 00"),               // {{1.3.6.1.2.1.1.1.0, NULL}}
            UdpPayloads.forPort(161));
    }

    @Test
    void otherPortsHaveNoPayloadAndOptionsFallBackToTheDefault()
    {
        assertNull(UdpPayloads.forPort(7));
        assertEquals("domain", UdpPayloads.serviceName(53));
        final ByteBuffer fallback = ProbeOptions.DEFAULTS.udpPayloadFor(7);
        assertEquals(1, fallback.remaining());
        assertEquals(17, ProbeOptions.DEFAULTS.udpPayloadFor(53).remaining());
        assertEquals(1, ProbeOptions.DEFAULTS.withWellKnownUdpPayloads(false).udpPayloadFor(53).remaining());
        final byte[] copy = UdpPayloads.forPort(53);
        copy[0] = 0;
        assertEquals(0x63, UdpPayloads.forPort(53)[0], "callers get copies");
    }
}
