package io.conntest.tap;

import io.conntest.tap.libc.Errno;
import io.conntest.tap.libc.NativeCallException;

/**
 * Opening or using a TAP device failed. Carries the system call and errno, and a hint for the usual causes:
 * missing rights (EPERM/EACCES), a TAP held by another process (EBUSY), no such device or no /dev/net/tun
 * (ENODEV/ENOENT).
 */
public final class TapException extends NativeCallException
{
    private static final long serialVersionUID = 1L;

    public TapException(final String syscall, final int errno, final String what, final String hint)
    {
        super(syscall, errno, what, hint);
    }

    /** Builds the exception with the standard hint for {@code errno} when the caller has no better one. */
    static TapException of(final String syscall, final int errno, final String what, final String ifname)
    {
        return new TapException(syscall, errno, what, hintFor(errno, ifname));
    }

    static String hintFor(final int errno, final String ifname)
    {
        switch (errno)
        {
            case Errno.EPERM:
            case Errno.EACCES:
                return "needs root or CAP_NET_ADMIN (or a TAP made for this user: ip tuntap add " + ifname
                    + " mode tap user $USER)";
            case Errno.EBUSY:
                return "TAP " + ifname + " is held by another process (a TAP has one reader; stop the other one)";
            case Errno.ENODEV:
                return "no such device " + ifname + " (create it: ip tuntap add " + ifname + " mode tap)";
            case Errno.ENOENT:
                return "no /dev/net/tun: load the tun module (modprobe tun)";
            case Errno.EINVAL:
                return ifname + " exists but is not a plain TAP device (a TUN, or multi-queue?)";
            case Errno.EIO:
                return "the link of " + ifname + " is down (ip link set " + ifname + " up)";
            default:
                return null;
        }
    }
}
