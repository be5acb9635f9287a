package io.conntest.cli.run;

import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.cli.options.MacAddress;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.PcapWriterDevice;
import io.conntest.stack.phy.TracingDevice;
import io.conntest.tap.TapDevice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The own stack on a TAP device for the engine ({@code --tap}) and the prober ({@code probe --tap}): opens the TAP
 * (attaching or creating it), sets its MTU, wraps it in the pcap writer and the tracer when asked, and builds the
 * interface configuration. The device chain is closed with the stack that uses it.
 *
 * @param tap     interface name
 * @param ipv4    the stack's address and prefix
 * @param gateway default gateway, 0 for none
 * @param mac     the stack's MAC, -1 for a random one
 * @param mtu     MTU (also set on the TAP), 0 to keep the TAP's
 * @param pcap    pcap file, or null
 * @param trace   where frame trace lines go, or null for no tracing
 */
public record TapStack(String tap, Ipv4Cidr ipv4, int gateway, long mac, int mtu, Path pcap, Consumer<String> trace)
{
    /** Opens the device chain; the caller owns it (a {@link StackHost} closes it). */
    public FrameDevice openDevice(final Supplier<TapDevice> open)
    {
        final TapDevice device = open.get();
        FrameDevice chain = device;
        try
        {
            if (mtu != 0 && device.mtu() != mtu)
            {
                device.setMtu(mtu);
            }
            if (pcap != null)
            {
                chain = new PcapWriterDevice(chain, pcap);
            }
        }
        catch (final IOException ex)
        {
            device.close();
            throw new UncheckedIOException("cannot write pcap file " + pcap + ": "
                + io.conntest.cli.Failures.why(ex) + " (check the directory exists and is writable)", ex);
        }
        catch (final RuntimeException ex)
        {
            device.close();
            throw ex;
        }
        return trace == null ? chain : new TracingDevice(chain, trace);
    }

    /** Opens the TAP in the calling thread's namespace. */
    public FrameDevice openDevice()
    {
        return openDevice(() -> TapDevice.open(tap));
    }

    /** The interface configuration. */
    public InterfaceConfig interfaceConfig()
    {
        final InterfaceConfig.Builder config = InterfaceConfig.builder(ipv4.address(), ipv4.prefixLength());
        if (mac >= 0)
        {
            config.mac(mac);
        }
        if (gateway != 0)
        {
            config.gateway(gateway);
        }
        if (mtu != 0)
        {
            config.mtu(mtu);
        }
        return config.build();
    }

    /** A stack host on the TAP. */
    public StackHost openHost()
    {
        return new StackHost(openDevice(), interfaceConfig());
    }

    /** What the outputs show as the instance's addresses. */
    public List<String> describe(final long actualMac)
    {
        final List<String> lines = new ArrayList<>();
        lines.add(ipv4.toString());
        if (gateway != 0)
        {
            lines.add("via " + Ipv4Cidr.format(gateway));
        }
        lines.add("mac " + MacAddress.format(actualMac));
        lines.add("on " + tap);
        return lines;
    }
}
