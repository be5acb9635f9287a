/**
 * Built-in TCP services on the userspace stack, so kernel tools can test it with nothing of ours on the other side:
 * echo (RFC 862), discard (RFC 863) and source (endless bytes), created by name with
 * {@link io.conntest.stack.tcp.service.TcpService#create}. Uses only the public socket API of {@code tcp}.
 */
package io.conntest.stack.tcp.service;
