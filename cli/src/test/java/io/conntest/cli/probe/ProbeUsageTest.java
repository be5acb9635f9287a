package io.conntest.cli.probe;

import io.conntest.cli.CliRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage errors of {@code conntest probe} name the option and the range, exit 2, before anything is probed. */
class ProbeUsageTest
{
    private static CliRun fails(final String... args)
    {
        final CliRun run = new CliRun(args);
        assertEquals(2, run.run(), run.out() + run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        return run;
    }

    @Test
    void pacingErrorsNameTheOptionAndItsRange()
    {
        assertTrue(fails("probe", "127.0.0.1", "22", "--rate", "-1").err()
            .contains("--rate -1 out of range 0-1000000"));
        assertTrue(fails("probe", "127.0.0.1", "22", "--max-in-flight", "5000").err()
            .contains("--max-in-flight 5000 out of range 1-4096"));
        assertTrue(fails("probe", "127.0.0.1", "22", "--max-in-flight", "0").err()
            .contains("--max-in-flight 0 out of range 1-4096"));
        assertTrue(fails("probe", "127.0.0.1", "22", "--timeout", "0s").err().contains("--timeout must be positive"));
    }

    @Test
    void portsComeAsPortsOrWithP()
    {
        assertTrue(fails("probe", "127.0.0.1").err().contains("no ports given: add PORTS or -p"));
        assertTrue(fails("probe", "127.0.0.1", "22", "-p", "80").err().contains("ports given twice"));
        assertTrue(fails("probe", "127.0.0.1", "-p", "22,,80").err()
            .contains("empty entry in port specification '22,,80'"));
    }

    @Test
    void aNameThatDoesNotResolveSaysSo()
    {
        final String err = fails("probe", "no-such-host.invalid", "-p", "22").err();
        assertTrue(err.contains("cannot resolve host 'no-such-host.invalid': the name does not resolve"), err);
    }
}
