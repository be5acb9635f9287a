package io.conntest.core.nat;

import io.conntest.core.natprobe.NatResponder;
import io.conntest.core.natprobe.NatProbe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The prober's state machine against a simulated NAT and a real {@link NatResponder}, on a manual clock. */
class NatProberTest
{
    private static final long LIMIT_NS = 600_000_000_000L;

    private static NatTestResult run(final FakeNat nat, final long maxGapMs)
    {
        final NatProber prober = new NatProber(nat, FakeNat.SERVER, FakeNat.MAIN_PORT, "10.9.0.2:7000", maxGapMs, 42);
        final NatTestResult result = nat.run(prober, LIMIT_NS);
        assertNotNull(result, "the prober finished within the limit");
        assertEquals(0, nat.openSockets, "every socket closed at the end");
        assertTrue(nat.maxOpenSockets <= NatProber.LANES, "sockets at once: " + nat.maxOpenSockets);
        return result;
    }

    @Test
    void aLinuxLikeNapt()
    {
        final NatTestResult r = run(new FakeNat(true, false, 5_000, true), 60_000);
        assertNull(r.error(), r.describe());
        assertEquals(NatTestResult.ENDPOINT_INDEPENDENT, r.mapping());
        assertEquals(Boolean.TRUE, r.portPreserved());
        assertEquals(NatTestResult.ADDRESS_AND_PORT_DEPENDENT, r.filtering());
        assertTrue(r.seenAs().startsWith("10.9.0.1:"), r.seenAs());
        assertTrue(r.lifetimeMinS() < 5.0 && r.lifetimeMaxS() >= 5.0, r.describe());
        assertTrue(r.lifetimeMaxS() - r.lifetimeMinS() <= 0.1 * r.lifetimeMaxS(), r.describe());
        assertEquals(3.0, r.keepaliveS(), 1.0, r.describe());
    }

    @Test
    void oneLostDelayedRequestOrAnswerDoesNotPassForALostBinding()
    {
        final FakeNat nat = new FakeNat(true, false, 5_000, true);
        nat.loseFirstCopies = true;
        final NatTestResult r = run(nat, 60_000);
        assertTrue(r.lifetimeMinS() < 5.0 && r.lifetimeMaxS() >= 5.0, r.describe());
        assertTrue(r.lifetimeMaxS() - r.lifetimeMinS() <= 0.1 * r.lifetimeMaxS(), r.describe());
    }

    @Test
    void aSymmetricNatWithFullConeFilteringAndALongLifetime()
    {
        final NatTestResult r = run(new FakeNat(false, true, 30_000, true), 60_000);
        assertEquals(NatTestResult.ADDRESS_AND_PORT_DEPENDENT, r.mapping(), r.describe());
        assertEquals(Boolean.FALSE, r.portPreserved());
        assertEquals(NatTestResult.EIF_OR_ADF, r.filtering());
        assertTrue(r.lifetimeMinS() < 30.0 && r.lifetimeMaxS() >= 30.0, r.describe());
        assertTrue(r.lifetimeMaxS() - r.lifetimeMinS() <= 0.1 * r.lifetimeMaxS(), r.describe());
    }

    @Test
    void aBindingThatOutlivesTheLongestGapIsReportedAsLongerThanIt()
    {
        final NatTestResult r = run(new FakeNat(true, true, 1_000_000, false), 10_000);
        assertEquals(NatTestResult.ENDPOINT_INDEPENDENT, r.mapping());
        assertEquals(10.0, r.lifetimeMinS(), 1e-9, r.describe());
        assertTrue(Double.isNaN(r.lifetimeMaxS()), r.describe());
        assertTrue(r.describe().contains("over 10.0 s"), r.describe());
    }

    @Test
    void aLifetimeUnderOneSecondIsBisectedFromZero()
    {
        final NatTestResult r = run(new FakeNat(true, false, 600, true), 60_000);
        assertTrue(r.lifetimeMinS() < 0.6 && r.lifetimeMaxS() >= 0.6, r.describe());
    }

    @Test
    void noAnswerIsAnErrorWithoutVerdicts()
    {
        final FakeNat nat = new FakeNat(true, true, 5_000, true);
        nat.answerNothing = true;
        final NatTestResult r = run(nat, 60_000);
        assertNull(r.mapping());
        assertNull(r.filtering());
        assertTrue(r.error().startsWith("no answer from 10.9.0.2:7000"), r.error());
        assertTrue(nat.nowNs < 10_000_000_000L, "gives up after its tries: " + nat.nowNs);
    }

    @Test
    void aPeerWithoutAlternatePortLeavesMappingAndFilteringUnknown()
    {
        final FakeNat nat = new FakeNat(true, true, 2_000, true);
        nat.alternatePort = 0;
        final NatTestResult r = run(nat, 5_000);
        assertNull(r.mapping(), r.describe());
        assertNull(r.filtering(), r.describe());
        assertTrue(r.error().contains("no alternate port"), r.describe());
        assertTrue(r.lifetimeMinS() < 2.0 && r.lifetimeMaxS() >= 2.0, r.describe());
    }

    @Test
    void aListenerWhoseDelayedAnswersAreTakenSaysBusyAndTheTestEndsWithoutALifetime()
    {
        final FakeNat nat = new FakeNat(true, false, 5_000, true);
        final org.agrona.concurrent.UnsafeBuffer request = new org.agrona.concurrent.UnsafeBuffer(
            new byte[NatProbe.DELAYED_REQUEST_LENGTH]);
        for (int i = 0; i < NatResponder.MAX_PENDING; i++)
        {
            // someone else's long waits fill the table (slowly enough for the rate bound)
            final int length = NatProbe.writeRequest(request, 0, NatProbe.KIND_DELAYED, i, NatProbe.MAX_DELAY_MS);
            nat.responder.onProbe(0x0B000001, 1_000 + i, request, 0, length, false,
                (i - NatResponder.MAX_PENDING) * 20_000_000L);
        }
        final NatTestResult r = run(nat, 60_000);
        assertEquals(NatTestResult.ENDPOINT_INDEPENDENT, r.mapping(), r.describe());
        assertTrue(Double.isNaN(r.lifetimeMinS()), r.describe());
        assertTrue(r.error().contains("too busy"), r.describe());
        assertTrue(nat.responder.busy() > NatProber.MAX_BUSY, "asked again a bounded number of times");
        assertTrue(nat.nowNs < 20_000_000_000L, "and gave up: " + nat.nowNs);
    }

    @Test
    void socketsThatCannotBeOpenedEndTheTestWithAReason()
    {
        final NatProber prober = new NatProber(h -> {
            throw new UnsupportedOperationException("memory transport has no plain datagram sockets");
        }, FakeNat.SERVER, FakeNat.MAIN_PORT, "peer:1", 60_000, 1);
        prober.poll(0);
        assertTrue(prober.isDone());
        assertTrue(prober.result().error().contains("no plain datagram sockets"), prober.result().error());
    }

    @Test
    void aNatThatHairpinsSendsTheSecondSocketsRequestBackFromItsMapping()
    {
        final FakeNat nat = new FakeNat(true, false, 5_000, true);
        nat.hairpinning = true;
        final NatTestResult r = run(nat, 10_000);
        assertEquals(Boolean.TRUE, r.hairpinning(), r.describe());
        assertTrue(r.hairpinSource().startsWith("10.9.0.1:"), "from the second socket's mapping: " + r.describe());
        assertTrue(r.describe().contains("; hairpinning yes (arrived from 10.9.0.1:"), r.describe());
    }

    @Test
    void aNatThatDoesNotHairpinIsSaidToAfterThreeTries()
    {
        final NatTestResult r = run(new FakeNat(true, false, 5_000, true), 10_000);
        assertEquals(Boolean.FALSE, r.hairpinning(), r.describe());
        assertEquals(null, r.hairpinSource());
        assertTrue(r.describe().contains("; no hairpinning"), r.describe());
    }
}
