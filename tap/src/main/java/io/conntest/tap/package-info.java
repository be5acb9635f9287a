/**
 * The Linux TAP binding: opens {@code /dev/net/tun} through jnr-ffi, implements the stack's
 * {@link io.conntest.stack.phy.FrameDevice} over it, and manages the private network namespaces that tests,
 * the lab and the bench put their devices in. The only module with native calls.
 */
package io.conntest.tap;
