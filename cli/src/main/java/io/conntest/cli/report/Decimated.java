package io.conntest.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A list that keeps at most {@code max} elements however many are offered: when it is full, every other element
 * is dropped and from then on only every second (fourth, ...) offered element is kept, so a day-long recording
 * keeps evenly spaced points across the whole run with bounded memory and a bounded SVG.
 */
final class Decimated<T>
{
    private final int max;
    private final List<T> kept = new ArrayList<>();
    private long offered;
    private long stride = 1;

    Decimated(final int max)
    {
        if (max < 2)
        {
            throw new IllegalArgumentException("max < 2");
        }
        this.max = max;
    }

    void add(final T element)
    {
        if (offered++ % stride != 0)
        {
            return;
        }
        if (kept.size() == max)
        {
            for (int i = 1, j = 2; j < kept.size(); i++, j += 2)
            {
                kept.set(i, kept.get(j));
            }
            kept.subList((kept.size() + 1) / 2, kept.size()).clear();
            stride *= 2;
            if ((offered - 1) % stride != 0)
            {
                return;
            }
        }
        kept.add(element);
    }

    List<T> list()
    {
        return kept;
    }

    /** How many elements were offered in all. */
    long offered()
    {
        return offered;
    }
}
