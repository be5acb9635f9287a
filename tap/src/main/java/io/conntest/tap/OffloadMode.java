package io.conntest.tap;

/** Whether a {@link TapDevice} asks the kernel for offloads ({@code --offload auto|none}). */
public enum OffloadMode
{
    /**
     * Open with {@code IFF_VNET_HDR} and negotiate checksum and TCP segmentation offload ({@code TUNSETOFFLOAD}),
     * falling back flag by flag to what the kernel accepts.
     */
    AUTO,
    /**
     * No virtio-net header: one MTU-sized frame per system call, checksums in Java, exactly as a solo5 spt/hvt
     * unikernel sees its TAP.
     */
    NONE;

    /** Parses {@code auto} or {@code none}, case-insensitively. */
    public static OffloadMode parse(final String text)
    {
        for (final OffloadMode mode : values())
        {
            if (mode.name().equalsIgnoreCase(text.trim()))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("offload must be auto or none: '" + text + "'");
    }
}
