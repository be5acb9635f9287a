/**
 * {@code conntest lab}: the demo in a private network namespace, and {@link io.conntest.cli.lab.KernelPeer}, the
 * Linux kernel as a peer (ping, UDP sockets) from inside such a namespace. Never touches the root namespace.
 */
package io.conntest.cli.lab;
