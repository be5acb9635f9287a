package io.conntest.core.probe;

/**
 * What a {@link ProbeRunner} tells its user: one {@link #onResult} per probed port, whatever its state (failed
 * probes included), then one {@link #onDone}. Both are called on the runner's thread, never concurrently; a
 * listener that throws ends the scan and the exception leaves {@link ProbeRunner#run()}.
 */
@FunctionalInterface
public interface ProbeListener
{
    /** One port's outcome. */
    void onResult(ProbeResult result);

    /** The scan is over; no more calls follow. */
    default void onDone(final ProbeReport report)
    {
    }
}
