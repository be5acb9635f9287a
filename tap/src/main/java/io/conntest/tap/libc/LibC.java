package io.conntest.tap.libc;

import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc functions conntest calls, bound through jnr-ffi. Buffers are passed as raw addresses of
 * pre-allocated direct memory ({@code long}; conntest runs on 64-bit Linux only, where a pointer and a
 * {@code long} are passed alike), so a call allocates nothing. Load it with {@link Native#libc()}; errno after a
 * failed call comes from {@link Native#errno()}.
 */
public interface LibC
{
    int open(String path, int flags);

    int close(int fd);

    @ssize_t long read(int fd, long bufferAddress, @size_t long count);

    @ssize_t long write(int fd, long bufferAddress, @size_t long count);

    /** {@code writev(2)}: {@code iovAddress} is an array of {@code iovcnt} {@code struct iovec} (address, length). */
    @ssize_t long writev(int fd, long iovAddress, int iovcnt);

    /**
     * {@code ioctl(fd, request, arg)}: {@code arg} is the address of an {@code ifreq} or, for requests such as
     * {@code TUNSETPERSIST}, the integer value itself (both travel in the same register).
     */
    int ioctl(int fd, long request, long arg);

    int poll(long pollFdsAddress, long count, int timeoutMs);

    /** {@code ppoll} with a {@code struct timespec} timeout and no signal mask (pass 0 as {@code sigmaskAddress}). */
    int ppoll(long pollFdsAddress, long count, long timespecAddress, long sigmaskAddress);

    int fcntl(int fd, int cmd, int arg);

    /** {@code eventfd(2)}: a counter fd that {@code poll} sees readable while non-zero. */
    int eventfd(int initval, int flags);

    int setns(int fd, int nstype);

    int socket(int domain, int type, int protocol);

    /** {@code getsockopt(2)}: {@code optlenAddress} points to a {@code socklen_t} (in: room, out: length). */
    int getsockopt(int fd, int level, int optname, long optvalAddress, long optlenAddress);

    /** {@code setsockopt(2)}: {@code optvalAddress} points to {@code optlen} bytes. */
    int setsockopt(int fd, int level, int optname, long optvalAddress, int optlen);

    /** {@code sendmsg(2)}: {@code msghdrAddress} points to a {@code struct msghdr}. */
    @ssize_t long sendmsg(int fd, long msghdrAddress, int flags);

    /** {@code recvmsg(2)}: {@code msghdrAddress} points to a {@code struct msghdr}. */
    @ssize_t long recvmsg(int fd, long msghdrAddress, int flags);

    /** Index of the interface named {@code name} in the calling thread's network namespace, 0 when none. */
    int if_nametoindex(String name);

    String strerror(int errnum);
}
