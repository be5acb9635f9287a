package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The rule both instances of a pair compute must give opposite answers on the two ends of the same pair. */
class PairRuleTest
{
    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Seen from each end: the connection one opened survives on both, never on neither. */
    private static void assertAgree(final String a, final String b, final int aOpened, final int bOpened)
    {
        final boolean aKeepsOwn = PairRule.outgoingSurvives(utf8(a), utf8(b), aOpened, bOpened);
        final boolean bKeepsOwn = PairRule.outgoingSurvives(utf8(b), utf8(a), bOpened, aOpened);
        assertTrue(aKeepsOwn != bKeepsOwn, a + "/" + b + ": exactly one connection survives");
    }

    @Test
    void lowerNameKeepsItsConnection()
    {
        assertTrue(PairRule.outgoingSurvives(utf8("alpha"), utf8("beta"), 7, 3));
        assertFalse(PairRule.outgoingSurvives(utf8("beta"), utf8("alpha"), 3, 7));
        assertTrue(PairRule.outgoingSurvives(utf8("alpha"), utf8("alphabet"), 9, 1), "a prefix sorts first");
        assertTrue(PairRule.outgoingSurvives(utf8("Zeta"), utf8("alpha"), 9, 1), "bytes, not letters: 'Z' < 'a'");
        assertTrue(PairRule.outgoingSurvives(utf8("z"), utf8("\u00e9"), 9, 1), "unsigned: 0xC3 sorts after 'z'");
        assertAgree("alpha", "beta", 1, 2);
        assertAgree("n\u00f8de", "node", 5, 6);
    }

    @Test
    void equalNamesKeepTheLowerSessionIdUnsigned()
    {
        assertTrue(PairRule.outgoingSurvives(utf8("twin"), utf8("twin"), 5, 9));
        assertFalse(PairRule.outgoingSurvives(utf8("twin"), utf8("twin"), 9, 5));
        assertTrue(PairRule.outgoingSurvives(utf8("twin"), utf8("twin"), 5, -1), "-1 is 0xFFFFFFFF");
        assertAgree("twin", "twin", 5, 9);
        assertAgree("twin", "twin", -5, 9);
    }
}
