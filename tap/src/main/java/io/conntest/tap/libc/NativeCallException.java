package io.conntest.tap.libc;

/**
 * A system call failed: names the call, its errno (number and symbol), what conntest was doing, and a hint at
 * what the user can do about it.
 */
public class NativeCallException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String syscall;
    private final int errno;
    private final String hint;

    public NativeCallException(final String syscall, final int errno, final String what, final String hint)
    {
        super(what + ": " + syscall + " failed with " + Errno.name(errno) + " (" + describe(errno) + ")"
            + (hint == null ? "" : "; " + hint));
        this.syscall = syscall;
        this.errno = errno;
        this.hint = hint;
    }

    private static String describe(final int errno)
    {
        try
        {
            return Native.strerror(errno);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return "errno " + errno;
        }
    }

    /** The failed call, e.g. "ioctl(TUNSETIFF)". */
    public String syscall()
    {
        return syscall;
    }

    /** The errno it failed with. */
    public int errno()
    {
        return errno;
    }

    /** What the user can do about it, or null. */
    public String hint()
    {
        return hint;
    }
}
