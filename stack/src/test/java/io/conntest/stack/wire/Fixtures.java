package io.conntest.stack.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Real frames captured from the Linux kernel (see {@code src/test/resources/captures/capture.py}): host
 * 10.9.0.1 (02:00:00:00:0a:01) talking to host 10.9.0.2 (02:00:00:00:0a:02), captured on the latter. Frame
 * {@code n} (1-based) of {@code frames.hex}, in capture order:
 * 1 ARP request, 2 ARP reply, 3-4 ping, 5-7 fragmented ping request (-s 3000), 8-10 its reply, 11-12 ping with
 * the record-route option, 13-14 UDP "hello conntest" and its echo, 15-16 fragmented UDP, 17-18 its echo,
 * 19 UDP to a closed port, 20 the ICMP port unreachable; then perhaps ARP as the neighbour entries are checked.
 */
public final class Fixtures
{
    public static final int KERNEL_A = Ipv4Address.parse("10.9.0.1");
    public static final long KERNEL_A_MAC = 0x0200_0000_0a01L;
    public static final int KERNEL_B = Ipv4Address.parse("10.9.0.2");
    public static final long KERNEL_B_MAC = 0x0200_0000_0a02L;

    private static final List<byte[]> FRAMES = load();

    private Fixtures()
    {
    }

    /** All frames, in capture order. */
    public static List<byte[]> frames()
    {
        return FRAMES;
    }

    /** Frame {@code n}, 1-based as in the class comment (a copy). */
    public static byte[] frame(final int n)
    {
        return FRAMES.get(n - 1).clone();
    }

    private static List<byte[]> load()
    {
        final List<byte[]> frames = new ArrayList<>();
        try (InputStream in = Fixtures.class.getResourceAsStream("/captures/frames.hex");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                final String[] parts = line.trim().split(" ");
                if (parts.length == 2)
                {
                    frames.add(HexFormat.of().parseHex(parts[1]));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        if (frames.size() < 20)
        {
            throw new IllegalStateException("expected at least 20 captured frames, found " + frames.size());
        }
        return frames;
    }
}
