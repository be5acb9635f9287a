package io.conntest.tap.libc;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/** Loads {@link LibC} once and gives access to errno and {@code strerror}. Linux on 64 bits only. */
public final class Native
{
    private static volatile Native instance;

    private final LibC libc;
    private final Runtime runtime;

    private Native(final LibC libc)
    {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    private static Native get()
    {
        Native n = instance;
        if (n == null)
        {
            synchronized (Native.class)
            {
                n = instance;
                if (n == null)
                {
                    final Platform platform = Platform.getNativePlatform();
                    if (platform.getOS() != Platform.OS.LINUX || platform.addressSize() != 64)
                    {
                        throw new UnsupportedOperationException(
                            "TAP devices need 64-bit Linux, this is " + platform.getOS() + " "
                            + platform.getCPU() + " (" + platform.addressSize() + " bit)");
                    }
                    n = new Native(LibraryLoader.create(LibC.class).failImmediately().load("c"));
                    instance = n;
                }
            }
        }
        return n;
    }

    /** The bound C library. */
    public static LibC libc()
    {
        return get().libc;
    }

    /** errno of the last failed call on this thread. */
    public static int errno()
    {
        return LastError.getLastError(get().runtime);
    }

    /** The C library's description of {@code errno}. */
    public static String strerror(final int errno)
    {
        final String text = get().libc.strerror(errno);
        return text == null ? "errno " + errno : text;
    }
}
