package io.conntest.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** I/O failures in words for people. */
public final class IoErrors
{
    private IoErrors()
    {
    }

    /**
     * Why a file operation failed, in strerror's words: the JDK's {@code NoSuchFileException} and
     * {@code AccessDeniedException} carry only the path as their message, so "cannot write x.pcap: x.pcap" would
     * say nothing.
     */
    public static String why(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof FileSystemException && ((FileSystemException)ex).getReason() != null)
        {
            return ((FileSystemException)ex).getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return ex.getMessage() == null ? "i/o error" : ex.getMessage();
    }
}
