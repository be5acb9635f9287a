/**
 * The jnr-ffi binding of the few libc calls conntest needs (open/read/write/ioctl/poll/fcntl/setns/socket), errno
 * handling and the typed exception for a failed system call. Only the {@code tap} module's own packages use it;
 * it knows nothing of frames or protocols.
 */
package io.conntest.tap.libc;
