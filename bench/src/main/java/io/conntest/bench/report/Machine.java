package io.conntest.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a run was measured on: CPU model, cores, kernel release, JDK, and the load when it started. */
public record Machine(String cpuModel, int cores, String kernel, String jdk, String loadAverage)
{
    /** Reads /proc/cpuinfo, /proc/sys/kernel/osrelease and /proc/loadavg; "unknown" for what cannot be read. */
    public static Machine current()
    {
        String cpu = "unknown";
        for (final String line : lines(Path.of("/proc/cpuinfo")))
        {
            if (line.startsWith("model name"))
            {
                cpu = line.substring(line.indexOf(':') + 1).strip();
                break;
            }
        }
        final List<String> release = lines(Path.of("/proc/sys/kernel/osrelease"));
        final List<String> load = lines(Path.of("/proc/loadavg"));
        final String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(),
            release.isEmpty() ? System.getProperty("os.version") : release.get(0).strip(), jdk,
            load.isEmpty() ? "unknown" : firstWords(load.get(0), 3));
    }

    private static String firstWords(final String line, final int count)
    {
        final String[] words = line.strip().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(count, words.length)));
    }

    private static List<String> lines(final Path path)
    {
        try
        {
            return Files.readAllLines(path);
        }
        catch (final IOException | RuntimeException ex)
        {
            return List.of();
        }
    }
}
