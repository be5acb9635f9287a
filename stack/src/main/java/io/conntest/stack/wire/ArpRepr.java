package io.conntest.stack.wire;

/** An Ethernet/IPv4 ARP request or reply (RFC 826) as a reusable value; see {@link ArpPacket}. */
public final class ArpRepr
{
    private int operation;
    private long senderMac;
    private int senderIp;
    private long targetMac;
    private int targetIp;

    /** False for anything but an Ethernet/IPv4 request or reply (other hardware, lengths or operations). */
    public boolean parse(final ArpPacket packet)
    {
        if (!packet.isEthernetIpv4())
        {
            return false;
        }
        final int op = packet.operation();
        if (op != ArpPacket.OPERATION_REQUEST && op != ArpPacket.OPERATION_REPLY)
        {
            return false;
        }
        operation = op;
        senderMac = packet.senderHardwareAddress();
        senderIp = packet.senderProtocolAddress();
        targetMac = packet.targetHardwareAddress();
        targetIp = packet.targetProtocolAddress();
        return true;
    }

    /** Writes the 28-byte packet. */
    public void emit(final ArpPacket packet)
    {
        packet.hardwareType(ArpPacket.HARDWARE_ETHERNET)
            .protocolType(EthernetFrame.ETHERTYPE_IPV4)
            .hardwareLength(6)
            .protocolLength(4)
            .operation(operation)
            .senderHardwareAddress(senderMac)
            .senderProtocolAddress(senderIp)
            .targetHardwareAddress(targetMac)
            .targetProtocolAddress(targetIp);
    }

    public ArpRepr set(
        final int operation, final long senderMac, final int senderIp, final long targetMac, final int targetIp)
    {
        this.operation = operation;
        this.senderMac = senderMac;
        this.senderIp = senderIp;
        this.targetMac = targetMac;
        this.targetIp = targetIp;
        return this;
    }

    public int bufferLength()
    {
        return ArpPacket.LENGTH;
    }

    public int operation()
    {
        return operation;
    }

    public long senderMac()
    {
        return senderMac;
    }

    public int senderIp()
    {
        return senderIp;
    }

    public long targetMac()
    {
        return targetMac;
    }

    public int targetIp()
    {
        return targetIp;
    }

    @Override
    public String toString()
    {
        return "ArpRepr{op=" + operation + ", sender=" + MacAddress.toString(senderMac) + '/'
            + Ipv4Address.toString(senderIp) + ", target=" + MacAddress.toString(targetMac) + '/'
            + Ipv4Address.toString(targetIp) + '}';
    }
}
