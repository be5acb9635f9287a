package io.conntest.cli.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus text format read back for the tests: every sample with its name, its labels (escapes undone)
 * and its value, and the TYPE of each family. Strict: a line it cannot read fails the test.
 */
final class Exposition
{
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value)
    {
    }

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new LinkedHashMap<>();
    final Map<String, String> helps = new LinkedHashMap<>();
    String raw;

    static Exposition parse(final String text)
    {
        final Exposition e = new Exposition();
        e.raw = text;
        for (final String line : text.split("\n"))
        {
            if (line.isEmpty())
            {
                continue;
            }
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.substring(7).split(" ");
                e.types.put(parts[0], parts[1]);
                continue;
            }
            if (line.startsWith("# HELP "))
            {
                final String rest = line.substring(7);
                e.helps.put(rest.substring(0, rest.indexOf(' ')), rest.substring(rest.indexOf(' ') + 1));
                continue;
            }
            if (line.startsWith("#"))
            {
                continue;
            }
            e.samples.add(sample(line));
        }
        return e;
    }

    private static Sample sample(final String line)
    {
        final int brace = line.indexOf('{');
        final int space = line.lastIndexOf(' ');
        if (brace < 0)
        {
            return new Sample(line.substring(0, space), Map.of(), Double.parseDouble(line.substring(space + 1)));
        }
        final String name = line.substring(0, brace);
        final Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}')
        {
            final int eq = line.indexOf('=', i);
            final String label = line.substring(i, eq);
            if (line.charAt(eq + 1) != '"')
            {
                throw new IllegalArgumentException("unquoted label value in " + line);
            }
            final StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; line.charAt(j) != '"'; j++)
            {
                char ch = line.charAt(j);
                if (ch == '\\')
                {
                    j++;
                    ch = line.charAt(j) == 'n' ? '\n' : line.charAt(j);
                }
                value.append(ch);
            }
            labels.put(label, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',')
            {
                i++;
            }
        }
        final String rest = line.substring(i + 1).trim();
        return new Sample(name, labels, Double.parseDouble(rest.split(" ")[0]));
    }

    /** The samples named {@code name} whose labels include every pair of {@code match} (name, value, ...). */
    List<Sample> find(final String name, final String... match)
    {
        final List<Sample> found = new ArrayList<>();
        for (final Sample s : samples)
        {
            boolean ok = s.name().equals(name);
            for (int k = 0; ok && k < match.length; k += 2)
            {
                ok = match[k + 1].equals(s.labels().get(match[k]));
            }
            if (ok)
            {
                found.add(s);
            }
        }
        return found;
    }

    /** The value of the one sample named {@code name} with these labels; fails when there is not exactly one. */
    double value(final String name, final String... match)
    {
        final List<Sample> found = find(name, match);
        if (found.size() != 1)
        {
            throw new AssertionError(found.size() + " samples " + name + " " + List.of(match) + " in " + samples);
        }
        return found.get(0).value();
    }
}
