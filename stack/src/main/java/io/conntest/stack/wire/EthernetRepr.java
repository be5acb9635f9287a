package io.conntest.stack.wire;

/** The fields of an Ethernet II header as a reusable value; see {@link EthernetFrame}. */
public final class EthernetRepr
{
    private long source;
    private long destination;
    private int etherType;

    /** Reads the header; Ethernet has no checksum here (the FCS is gone), so any wrapped frame parses. */
    public boolean parse(final EthernetFrame frame)
    {
        if (frame.length() < EthernetFrame.HEADER_LENGTH)
        {
            return false;
        }
        source = frame.source();
        destination = frame.destination();
        etherType = frame.etherType();
        return true;
    }

    /** Writes the 14-byte header into {@code frame}. */
    public void emit(final EthernetFrame frame)
    {
        frame.destination(destination).source(source).etherType(etherType);
    }

    public EthernetRepr set(final long source, final long destination, final int etherType)
    {
        this.source = source;
        this.destination = destination;
        this.etherType = etherType & 0xFFFF;
        return this;
    }

    public long source()
    {
        return source;
    }

    public long destination()
    {
        return destination;
    }

    public int etherType()
    {
        return etherType;
    }

    public int headerLength()
    {
        return EthernetFrame.HEADER_LENGTH;
    }

    @Override
    public String toString()
    {
        return "EthernetRepr{" + MacAddress.toString(source) + " > " + MacAddress.toString(destination)
            + ", type=0x" + Integer.toHexString(etherType) + '}';
    }
}
