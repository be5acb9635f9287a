package io.conntest.core.iperf3;

/** Where an {@link Iperf3Server} reports its tests: one call per test or refusal, on the server's thread. */
@FunctionalInterface
public interface Iperf3Log
{
    /**
     * @param nowNs      the engine clock
     * @param clientHost the client's address
     * @param clientPort the client's control port
     * @param problem    true when a client was refused or cut off, false for a test begun or finished
     * @param message    one line for a person
     * @param bytes      for a finished test: payload bytes the server counted (received plus sent), else -1
     * @param durationNs for a finished test: its measured duration, else -1
     */
    void onIperf3(long nowNs, String clientHost, int clientPort, boolean problem, String message, long bytes,
        long durationNs);
}
