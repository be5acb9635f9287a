/**
 * The Linux TAP device ({@code /dev/net/tun}) as a {@link io.conntest.stack.phy.FrameDevice} of the stack, with
 * typed errors. Does not know any protocol above Ethernet; native calls go through {@code io.conntest.tap.libc}.
 */
package io.conntest.tap;
