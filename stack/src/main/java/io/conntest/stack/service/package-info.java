/**
 * Small standard services on top of the stack's sockets: UDP echo (RFC 862) and UDP discard (RFC 863). They use
 * only the public socket API and never touch the interface or the wire formats directly.
 */
package io.conntest.stack.service;
