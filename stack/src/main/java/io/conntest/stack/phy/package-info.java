/**
 * Physical layer: the {@link io.conntest.stack.phy.FrameDevice} interface that moves Ethernet frames, the
 * in-memory device pair used by tests and simulations, and decorators that sit between a device and the
 * interface (pcap writer, seeded fault injector, tracer). Frames carry their offload metadata
 * ({@link io.conntest.stack.phy.FrameMetadata}, {@link io.conntest.stack.phy.Offloads}) when the device offloads.
 * Knows nothing of IP, except {@link io.conntest.stack.phy.SoftwareOffload}, which does to a TCP/IPv4 super-frame
 * what a device with offloads does (and uses {@code wire}'s checksum for it); never touches native code (the TAP
 * binding lives in the {@code tap} module).
 */
package io.conntest.stack.phy;
