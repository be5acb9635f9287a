package io.conntest.stack.phy;

/**
 * The offload metadata of one frame, with the meaning of Linux's {@code struct virtio_net_hdr} (virtio 1.x §5.1.6):
 * whether the transport checksum still has to be completed ({@link #NEEDS_CSUM}) or was verified already
 * ({@link #DATA_VALID}), and whether the frame is a super-frame the device cuts into {@link #gsoSize()}-byte
 * segments ({@link #gsoType()}). Offsets count from the first byte of the Ethernet header.
 *
 * <p>A reusable flyweight: a device owns one for the frame it lends to a {@link FrameHandler} and the sender owns one
 * it passes to {@link FrameDevice#commit(int, FrameMetadata)}; both are valid only during that call, so nothing is
 * allocated per frame. A plain frame (no offload) has every field 0.
 */
public final class FrameMetadata
{
    /** virtio {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the checksum at {@code csumStart + csumOffset} is partial. */
    public static final int NEEDS_CSUM = 1;
    /** virtio {@code VIRTIO_NET_HDR_F_DATA_VALID}: the device verified the transport checksum. */
    public static final int DATA_VALID = 2;

    /** Not a super-frame. */
    public static final int GSO_NONE = 0;
    /** A TCP over IPv4 super-frame (TSO4). */
    public static final int GSO_TCPV4 = 1;
    /** UDP fragmentation offload, gone from Linux: always refused. */
    public static final int GSO_UDP = 3;
    /** A TCP over IPv6 super-frame (TSO6). */
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation offload (USO, {@code VIRTIO_NET_HDR_GSO_UDP_L4}). */
    public static final int GSO_UDP_L4 = 5;
    /** Added to a GSO type: the segments carry ECN's CWR as the first did. */
    public static final int GSO_ECN = 0x80;

    /** The largest frame of a super-frame: a 65,535-byte IPv4 datagram behind a 14-byte Ethernet header. */
    public static final int MAX_SUPER_FRAME = 14 + 65_535;

    private int flags;
    private int gsoType;
    private int headerLength;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    /** Makes this the metadata of a plain frame. */
    public FrameMetadata clear()
    {
        flags = 0;
        gsoType = GSO_NONE;
        headerLength = 0;
        gsoSize = 0;
        csumStart = 0;
        csumOffset = 0;
        return this;
    }

    /** Sets every field at once (values as in {@code virtio_net_hdr}). */
    public FrameMetadata set(
        final int flags, final int gsoType, final int headerLength, final int gsoSize, final int csumStart,
        final int csumOffset)
    {
        this.flags = flags;
        this.gsoType = gsoType;
        this.headerLength = headerLength;
        this.gsoSize = gsoSize;
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
        return this;
    }

    /** Copies {@code other} into this. */
    public FrameMetadata copyFrom(final FrameMetadata other)
    {
        return set(other.flags, other.gsoType, other.headerLength, other.gsoSize, other.csumStart, other.csumOffset);
    }

    /** Whether the frame carries no offload at all (what a device without offloads sends and receives). */
    public boolean isPlain()
    {
        return flags == 0 && gsoType == GSO_NONE;
    }

    public int flags()
    {
        return flags;
    }

    public boolean needsChecksum()
    {
        return (flags & NEEDS_CSUM) != 0;
    }

    public boolean dataValid()
    {
        return (flags & DATA_VALID) != 0;
    }

    /**
     * Whether the transport checksum need not be verified: the device did (DATA_VALID), or the frame comes from the
     * local host with a checksum still to be completed (NEEDS_CSUM, what Linux gives a TAP with {@code TUN_F_CSUM}:
     * such a frame never crossed a wire).
     */
    public boolean checksumTrusted()
    {
        return (flags & (NEEDS_CSUM | DATA_VALID)) != 0;
    }

    /** {@link #GSO_NONE}, {@link #GSO_TCPV4}, ... possibly with {@link #GSO_ECN}. */
    public int gsoType()
    {
        return gsoType;
    }

    /** Whether the frame is a super-frame to be cut (or that was coalesced) into {@link #gsoSize()} pieces. */
    public boolean isSuperFrame()
    {
        return gsoType != GSO_NONE;
    }

    /** virtio {@code hdr_len}: bytes of Ethernet, IP and transport headers (a hint for the device). */
    public int headerLength()
    {
        return headerLength;
    }

    /** Payload bytes of each segment of a super-frame (the MSS for TCP). */
    public int gsoSize()
    {
        return gsoSize;
    }

    /** Where the checksummed region starts (the transport header), from the start of the frame. */
    public int csumStart()
    {
        return csumStart;
    }

    /** Where the checksum field is, from {@link #csumStart()} (16 for TCP, 6 for UDP). */
    public int csumOffset()
    {
        return csumOffset;
    }

    /**
     * Whether these fields make sense for a frame of {@code frameLength} bytes: a known GSO type with a non-zero
     * segment size, checksum offsets inside the frame. A device counts and drops a frame whose metadata fails this.
     */
    public boolean isConsistent(final int frameLength)
    {
        if ((flags & ~(NEEDS_CSUM | DATA_VALID | 4)) != 0) // 4: VIRTIO_NET_HDR_F_RSC_INFO, informational
        {
            return false;
        }
        final int type = gsoType & ~GSO_ECN;
        if (type != GSO_NONE)
        {
            if (type != GSO_TCPV4 && type != GSO_TCPV6 && type != GSO_UDP_L4 || gsoSize <= 0)
            {
                return false;
            }
        }
        else if ((gsoType & GSO_ECN) != 0)
        {
            return false;
        }
        if ((flags & NEEDS_CSUM) != 0)
        {
            return csumStart >= 14 && csumOffset >= 0 && csumStart + csumOffset + 2 <= frameLength;
        }
        return true;
    }

    @Override
    public String toString()
    {
        return "FrameMetadata{flags " + flags + ", gso " + gsoType + "/" + gsoSize + ", hdr " + headerLength +
            ", csum " + csumStart + "+" + csumOffset + "}";
    }
}
