/**
 * Physical layer: the {@link io.conntest.stack.phy.FrameDevice} interface that moves Ethernet frames, the
 * in-memory device pair used by tests and simulations, and decorators that sit between a device and the
 * interface (pcap writer, seeded fault injector, tracer). Knows nothing of IP; never touches native code
 * (the TAP binding lives in the {@code tap} module).
 */
package io.conntest.stack.phy;
