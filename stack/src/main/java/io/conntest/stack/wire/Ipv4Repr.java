package io.conntest.stack.wire;

/**
 * The fields of an IPv4 header (RFC 791) as a reusable value. {@link #parse} verifies the header checksum and
 * remembers the options' length; {@link #emit} writes a 20-byte header without options and fills the checksum.
 */
public final class Ipv4Repr
{
    public static final int DEFAULT_TTL = 64;

    private int sourceAddress;
    private int destinationAddress;
    private int protocol;
    private int ttl = DEFAULT_TTL;
    private int dscpEcn;
    private int identification;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private int headerLength = Ipv4Packet.MIN_HEADER_LENGTH;
    /** Bytes of options {@link #emit} counts into the header (the caller writes them); 0 after {@link #set}. */
    private int optionsLength;
    private int payloadLength;

    /**
     * Reads a checked-wrapped datagram. False when the header checksum fails, the reserved flag is set, or
     * a fragment would extend beyond 65,535 bytes of reassembled datagram.
     */
    public boolean parse(final Ipv4Packet packet)
    {
        if (packet.length() < Ipv4Packet.MIN_HEADER_LENGTH || !packet.verifyChecksum() || packet.reservedFlag())
        {
            return false;
        }
        headerLength = packet.headerLength();
        payloadLength = packet.totalLength() - headerLength;
        fragmentOffset = packet.fragmentOffset();
        if (fragmentOffset + payloadLength > Ipv4Packet.MAX_LENGTH - headerLength)
        {
            return false;
        }
        sourceAddress = packet.sourceAddress();
        destinationAddress = packet.destinationAddress();
        protocol = packet.protocol();
        ttl = packet.ttl();
        dscpEcn = packet.dscpEcn();
        identification = packet.identification();
        dontFragment = packet.dontFragment();
        moreFragments = packet.moreFragments();
        return true;
    }

    /**
     * Writes a 20-byte header (options are never emitted) with the checksum filled in, for a payload of
     * {@link #payloadLength()} bytes; the view must hold at least the header.
     */
    public void emit(final Ipv4Packet packet)
    {
        packet.versionAndHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH + optionsLength)
            .dscpEcn(dscpEcn)
            .totalLength(Ipv4Packet.MIN_HEADER_LENGTH + optionsLength + payloadLength)
            .identification(identification)
            .fragmentation(dontFragment, moreFragments, fragmentOffset)
            .ttl(ttl)
            .protocol(protocol)
            .sourceAddress(sourceAddress)
            .destinationAddress(destinationAddress)
            .fillChecksum();
    }

    /** Sets the fields of an unfragmented datagram (MF clear, offset 0), with TTL 64 and DSCP/ECN 0. */
    public Ipv4Repr set(
        final int sourceAddress, final int destinationAddress, final int protocol, final int payloadLength,
        final int identification, final boolean dontFragment)
    {
        this.sourceAddress = sourceAddress;
        this.destinationAddress = destinationAddress;
        this.protocol = protocol & 0xFF;
        this.payloadLength = payloadLength;
        this.identification = identification & 0xFFFF;
        this.dontFragment = dontFragment;
        this.moreFragments = false;
        this.fragmentOffset = 0;
        this.ttl = DEFAULT_TTL;
        this.dscpEcn = 0;
        this.headerLength = Ipv4Packet.MIN_HEADER_LENGTH;
        this.optionsLength = 0;
        return this;
    }

    /**
     * Makes {@link #emit} describe a header with {@code length} bytes of options (a multiple of 4, at most 40) that
     * the caller has already written after the fixed 20 bytes; the checksum then covers them.
     */
    public Ipv4Repr options(final int length)
    {
        if (length < 0 || length > Ipv4Packet.MAX_HEADER_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH || (length & 3) != 0)
        {
            throw new IllegalArgumentException("options length " + length);
        }
        this.optionsLength = length;
        return this;
    }

    /** Turns this into one fragment of the datagram: MF, offset in bytes (multiple of 8), fragment payload. */
    public Ipv4Repr fragment(final boolean moreFragments, final int fragmentOffset, final int payloadLength)
    {
        this.moreFragments = moreFragments;
        this.fragmentOffset = fragmentOffset;
        this.payloadLength = payloadLength;
        return this;
    }

    public Ipv4Repr ttl(final int ttl)
    {
        this.ttl = ttl & 0xFF;
        return this;
    }

    public Ipv4Repr dscpEcn(final int dscpEcn)
    {
        this.dscpEcn = dscpEcn & 0xFF;
        return this;
    }

    /** Header length: as parsed (options included), or 20 for emission. */
    public int headerLength()
    {
        return headerLength;
    }

    /** Bytes of header plus payload that {@link #emit} produces (always a 20-byte header). */
    public int bufferLength()
    {
        return Ipv4Packet.MIN_HEADER_LENGTH + payloadLength;
    }

    public int sourceAddress()
    {
        return sourceAddress;
    }

    public int destinationAddress()
    {
        return destinationAddress;
    }

    public int protocol()
    {
        return protocol;
    }

    public int ttl()
    {
        return ttl;
    }

    public int dscpEcn()
    {
        return dscpEcn;
    }

    public int identification()
    {
        return identification;
    }

    public boolean dontFragment()
    {
        return dontFragment;
    }

    public boolean moreFragments()
    {
        return moreFragments;
    }

    public int fragmentOffset()
    {
        return fragmentOffset;
    }

    public boolean isFragment()
    {
        return moreFragments || fragmentOffset != 0;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    @Override
    public String toString()
    {
        return "Ipv4Repr{" + Ipv4Address.toString(sourceAddress) + " > " + Ipv4Address.toString(destinationAddress)
            + ", proto=" + protocol + ", ttl=" + ttl + ", id=" + identification + (dontFragment ? ", DF" : "")
            + (moreFragments ? ", MF" : "") + ", off=" + fragmentOffset + ", len=" + payloadLength + '}';
    }
}
