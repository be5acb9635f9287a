package io.conntest.stack.phy;

/**
 * The offloads a {@link FrameDevice} does for the stack, as a bit set with the values of Linux's {@code TUN_F_*}
 * flags ({@code TUNSETOFFLOAD}), so a TAP can report what the kernel accepted as it is.
 *
 * <p>With {@link #CSUM} the device completes the transport checksum of a frame sent with
 * {@link FrameMetadata#NEEDS_CSUM} and may hand up frames whose checksum it verified or left partial; with
 * {@link #TSO4} it cuts a TCP/IPv4 super-frame of up to {@link FrameMetadata#MAX_SUPER_FRAME} bytes into segments
 * and may hand up such super-frames (coalesced or not yet segmented by the sender).
 */
public final class Offloads
{
    /** No offload: one MTU-sized frame per call, checksums computed and verified by the stack. */
    public static final int NONE = 0;
    /** {@code TUN_F_CSUM}: checksum offload. */
    public static final int CSUM = 0x01;
    /** {@code TUN_F_TSO4}: TCP segmentation offload over IPv4. */
    public static final int TSO4 = 0x02;
    /** {@code TUN_F_TSO6}: TCP segmentation offload over IPv6. */
    public static final int TSO6 = 0x04;
    /** {@code TUN_F_USO4}: UDP segmentation offload over IPv4. */
    public static final int USO4 = 0x20;
    /** {@code TUN_F_USO6}: UDP segmentation offload over IPv6. */
    public static final int USO6 = 0x40;

    private Offloads()
    {
    }

    /** Whether {@code offloads} lets TCP hand the device super-segments over IPv4 (TSO4 needs CSUM). */
    public static boolean tcpSegmentation(final int offloads)
    {
        return (offloads & (CSUM | TSO4)) == (CSUM | TSO4);
    }

    /** Whether {@code offloads} lets UDP hand the device super-datagrams over IPv4 (USO4 needs CSUM). */
    public static boolean udpSegmentation(final int offloads)
    {
        return (offloads & (CSUM | USO4)) == (CSUM | USO4);
    }

    /** Whether the device completes checksums of frames sent with {@link FrameMetadata#NEEDS_CSUM}. */
    public static boolean checksum(final int offloads)
    {
        return (offloads & CSUM) != 0;
    }

    /** The names of the offloads in {@code offloads}, e.g. {@code "csum tso4 tso6"}, or {@code "none"}. */
    public static String describe(final int offloads)
    {
        if (offloads == NONE)
        {
            return "none";
        }
        final StringBuilder sb = new StringBuilder();
        append(sb, offloads, CSUM, "csum");
        append(sb, offloads, TSO4, "tso4");
        append(sb, offloads, TSO6, "tso6");
        append(sb, offloads, USO4, "uso4");
        append(sb, offloads, USO6, "uso6");
        final int unknown = offloads & ~(CSUM | TSO4 | TSO6 | USO4 | USO6);
        if (unknown != 0)
        {
            sb.append(sb.length() == 0 ? "" : " ").append("0x").append(Integer.toHexString(unknown));
        }
        return sb.toString();
    }

    private static void append(final StringBuilder sb, final int offloads, final int flag, final String name)
    {
        if ((offloads & flag) != 0)
        {
            sb.append(sb.length() == 0 ? "" : " ").append(name);
        }
    }
}
