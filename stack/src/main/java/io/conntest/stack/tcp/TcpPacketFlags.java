package io.conntest.stack.tcp;

import io.conntest.stack.wire.TcpPacket;

/** Short names for the TCP flag bits used throughout the package. */
final class TcpPacketFlags
{
    static final int FIN = TcpPacket.FLAG_FIN;
    static final int SYN = TcpPacket.FLAG_SYN;
    static final int RST = TcpPacket.FLAG_RST;
    static final int PSH = TcpPacket.FLAG_PSH;
    static final int ACK = TcpPacket.FLAG_ACK;

    private TcpPacketFlags()
    {
    }
}
