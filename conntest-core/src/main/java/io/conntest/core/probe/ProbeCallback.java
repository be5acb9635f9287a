package io.conntest.core.probe;

/**
 * Receives the outcome of one probe started with {@link PortProber#start}. Called exactly once per started probe
 * (unless it is cancelled), from within {@link PortProber#poll(long)} on the prober's thread.
 */
@FunctionalInterface
public interface ProbeCallback
{
    /** The probe finished with {@code result}. */
    void onProbeResult(ProbeResult result);
}
