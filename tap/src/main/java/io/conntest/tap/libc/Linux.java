package io.conntest.tap.libc;

/** Constants of the Linux ABI (x86_64 and aarch64 agree on all of these) used by the TAP binding and namespaces. */
public final class Linux
{
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;

    public static final int AF_INET = 2;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int IPPROTO_TCP = 6;
    /** {@code getsockopt(fd, IPPROTO_TCP, TCP_INFO)}: a {@code struct tcp_info} (linux/tcp.h). */
    public static final int TCP_INFO = 11;
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code SOL_IP} (= IPPROTO_IP): the level of the IPv4 socket options below (linux/in.h). */
    public static final int SOL_IP = 0;
    /** {@code IP_TOS}: the control message type carrying a received datagram's TOS byte. */
    public static final int IP_TOS = 1;
    /** {@code IP_TTL}: the control message type carrying a received datagram's TTL (an int). */
    public static final int IP_TTL = 2;
    /** {@code IP_PKTOPTIONS}: a TCP socket's options of the last segment received, as control messages. */
    public static final int IP_PKTOPTIONS = 9;
    /** {@code IP_RECVTTL}: deliver each datagram's TTL as a control message. */
    public static final int IP_RECVTTL = 12;
    /** {@code IP_RECVTOS}: deliver each datagram's TOS byte as a control message. */
    public static final int IP_RECVTOS = 13;
    /** {@code IP_MTU_DISCOVER}: a socket's path MTU discovery mode (an int, {@code IP_PMTUDISC_*}; ip(7)). */
    public static final int IP_MTU_DISCOVER = 10;
    /** {@code IP_PMTUDISC_PROBE}: set DF, ignore the path MTU learnt; larger than the device's MTU fails. */
    public static final int IP_PMTUDISC_PROBE = 3;
    /** {@code IP_MTU}: a connected socket's current path MTU (read only, an int; ip(7)). */
    public static final int IP_MTU = 14;
    /** {@code SOL_UDP} (= IPPROTO_UDP): the level of the UDP socket options below (linux/udp.h). */
    public static final int SOL_UDP = 17;
    /** Send: the datagram size a large write is cut into (UDP GSO, Linux 4.18). As a cmsg: a {@code uint16_t}. */
    public static final int UDP_SEGMENT = 103;
    /** Receive: let the kernel hand up same-flow datagrams coalesced, their size in a cmsg (Linux 5.0). */
    public static final int UDP_GRO = 104;

    public static final short POLLIN = 0x1;
    /** {@code eventfd(2)} flags: the same values as O_NONBLOCK and O_CLOEXEC. */
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;

    /** {@code _IOW('T', 202, int)}: attach the fd to a TUN/TAP device, creating it if needed. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 203, int)}: make the device outlive the fd (or not). */
    public static final long TUNSETPERSIST = 0x400454cbL;
    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NO_PI = 0x1000;
    /** Fail with EBUSY instead of attaching when a device of the name exists. */
    public static final short IFF_TUN_EXCL = (short)0x8000;
    /** Every frame read or written starts with a {@code struct virtio_net_hdr}. */
    public static final short IFF_VNET_HDR = 0x4000;
    /** {@code _IOW('T', 208, unsigned int)}: the offloads the TAP may hand us ({@code TUN_F_*} as the value). */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOW('T', 216, int)}: the size of the virtio-net header (pointer to an int). */
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** {@code _IOR('T', 215, int)}: the size of the virtio-net header now. */
    public static final long TUNGETVNETHDRSZ = 0x800454d7L;

    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCSIFFLAGS = 0x8914;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCSIFMTU = 0x8922;
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;

    /** {@code IFNAMSIZ}: an interface name has at most 15 bytes plus the terminating zero. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux. */
    public static final int IFREQ_SIZE = 40;

    private Linux()
    {
    }
}
