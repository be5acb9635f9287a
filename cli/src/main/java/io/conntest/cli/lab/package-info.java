/**
 * {@code conntest lab}: the mesh of instances ({@link io.conntest.cli.lab.LabMesh}) in a private network namespace
 * (own stacks on TAPs on a bridge, or kernel sockets on loopback addresses), the own-stack demo, and
 * {@link io.conntest.cli.lab.KernelPeer}, the Linux kernel as a peer from inside such a namespace. Never touches the
 * root namespace (without root the mesh uses the host's 127.0.0.1 only).
 */
package io.conntest.cli.lab;
