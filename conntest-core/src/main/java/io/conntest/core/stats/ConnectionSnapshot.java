package io.conntest.core.stats;

import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

/**
 * One connection's figures at one instant. Immutable. Unknown or not-applicable numbers are -1 (latency before the
 * first probe, bandwidth before the first test, UDP figures on TCP, the stack's TCP figures on kernel sockets).
 * For an outgoing peer the counters run on across reconnects.
 *
 * @param key                 stable id of this row (per outgoing peer, or per accepted connection)
 * @param side                client (outgoing) or server (accepted)
 * @param protocol            tcp/udp
 * @param localHost           local address, null while not connected
 * @param localPort           local port, 0 while not connected
 * @param peerHost            peer address
 * @param peerPort            peer port
 * @param peerName            the peer's instance name from its HELLO, null until known
 * @param state               connecting / connected / retrying / closed
 * @param uptimeNs            time since the current connection was established, 0 when not connected
 * @param retries             reconnect attempts made after the first
 * @param connectFailures     failed attempts and lost connections
 * @param packetsSent         frames sent
 * @param packetsReceived     frames received
 * @param bytesSent           bytes handed to the transport (frame headers included)
 * @param bytesReceived       bytes received from the transport
 * @param latencyLastNs       last one-way latency (RTT/2) of any probe, idle or loaded
 * @param latencyMinNs        minimum RTT/2 of idle probes
 * @param latencyP50Ns        median RTT/2 of idle probes
 * @param latencyP90Ns        90th percentile RTT/2 of idle probes
 * @param latencyP99Ns        99th percentile RTT/2 of idle probes
 * @param latencyMaxNs        maximum RTT/2 of idle probes
 * @param latencySamples      idle probes measured (no bandwidth test ran while they were out)
 * @param latencyLoadedP50Ns  median RTT/2 of probes sent or answered while a bandwidth test ran (behind its data)
 * @param latencyLoadedP90Ns  90th percentile of the loaded RTT/2
 * @param latencyLoadedP99Ns  99th percentile of the loaded RTT/2
 * @param latencyLoadedMaxNs  maximum loaded RTT/2
 * @param latencyLoadedSamples loaded probes measured
 * @param probesAnswered      the peer's probes this side answered (the peer measures those)
 * @param intervalSentBps     bytes this side sent in the last throughput interval, as bits/s (-1 before one ended)
 * @param intervalReceivedBps bytes this side received in the last throughput interval, as bits/s
 * @param intervalNs          length of that interval (about {@link ConnectionStats#THROUGHPUT_INTERVAL_NS}), 0 = none
 * @param stale               not connected now (retrying or closed): the figures are of an earlier connection
 * @param bandwidthUpLastBps  this side to the peer, last test, bits/s (as the peer measured it)
 * @param bandwidthUpAvgBps   this side to the peer, all tests, bits/s
 * @param bandwidthDownLastBps the peer to this side, last test, bits/s
 * @param bandwidthDownAvgBps the peer to this side, all tests, bits/s
 * @param bandwidthTests      completed tests, both directions
 * @param monitorBandwidth    bandwidth tests are on for this connection
 * @param packetSize          DATA payload size in bytes
 * @param verificationErrors  corrupted payload bytes found (by this side, plus those the peer reported)
 * @param udpLost             UDP messages this side declared lost on their way to the peer (outgoing direction)
 * @param udpOutOfOrder       UDP packets received out of order
 * @param udpReorderMax       UDP: the largest reorder distance of a received message, in sequence numbers (the
 *                            highest already received minus its own), over every connection of the row
 * @param udpDuplicate        UDP duplicates received
 * @param udpRetransmitted    UDP packets retransmitted
 * @param udpJitterNs         RFC 3550 §6.4.1 interarrival jitter of the DATA frames this side received, -1 = none
 * @param udpLostIncoming     UDP messages the peer declared lost on their way to this side (the peer's
 *                            {@code udpLost}, told in its pongs), -1 until told
 * @param tcpRetransmissions  TCP retransmissions (the stack's own, or the kernel's TCP_INFO)
 * @param tcpSrttNs           TCP smoothed RTT (the same sources)
 * @param tcpCwndBytes        TCP congestion window (the same sources)
 * @param tcpRttVarNs         TCP RTT variation
 * @param tcpPmtuBytes        TCP path MTU (the stack: its interface MTU)
 * @param lastFailure         why the last attempt or connection ended, or null
 * @param lastError           its description, or null
 * @param nextRetryInNs       while retrying: time until the next attempt, else -1
 * @param path                what the peer saw of this end's packets (PEER_SEEN), {@link PathView#UNKNOWN} until told
 */
public record ConnectionSnapshot(
    long key,
    Side side,
    TransportProtocol protocol,
    String localHost,
    int localPort,
    String peerHost,
    int peerPort,
    String peerName,
    ConnectionState state,
    long uptimeNs,
    long retries,
    long connectFailures,
    long packetsSent,
    long packetsReceived,
    long bytesSent,
    long bytesReceived,
    long latencyLastNs,
    long latencyMinNs,
    long latencyP50Ns,
    long latencyP90Ns,
    long latencyP99Ns,
    long latencyMaxNs,
    long latencySamples,
    long latencyLoadedP50Ns,
    long latencyLoadedP90Ns,
    long latencyLoadedP99Ns,
    long latencyLoadedMaxNs,
    long latencyLoadedSamples,
    long probesAnswered,
    long intervalSentBps,
    long intervalReceivedBps,
    long intervalNs,
    boolean stale,
    long bandwidthUpLastBps,
    long bandwidthUpAvgBps,
    long bandwidthDownLastBps,
    long bandwidthDownAvgBps,
    long bandwidthTests,
    boolean monitorBandwidth,
    int packetSize,
    long verificationErrors,
    long udpLost,
    long udpOutOfOrder,
    long udpReorderMax,
    long udpDuplicate,
    long udpRetransmitted,
    long udpJitterNs,
    long udpLostIncoming,
    long tcpRetransmissions,
    long tcpSrttNs,
    long tcpCwndBytes,
    long tcpRttVarNs,
    long tcpPmtuBytes,
    FailureReason lastFailure,
    String lastError,
    long nextRetryInNs,
    PathView path)
{
    /** A row without path information (outputs' tests, rows of transports that never say). */
    public ConnectionSnapshot(final long key, final Side side, final TransportProtocol protocol, final String localHost,
        final int localPort, final String peerHost, final int peerPort, final String peerName,
        final ConnectionState state, final long uptimeNs, final long retries, final long connectFailures,
        final long packetsSent, final long packetsReceived, final long bytesSent, final long bytesReceived,
        final long latencyLastNs, final long latencyMinNs, final long latencyP50Ns, final long latencyP90Ns,
        final long latencyP99Ns, final long latencyMaxNs, final long latencySamples, final long latencyLoadedP50Ns,
        final long latencyLoadedP90Ns, final long latencyLoadedP99Ns, final long latencyLoadedMaxNs,
        final long latencyLoadedSamples, final long probesAnswered, final long intervalSentBps,
        final long intervalReceivedBps, final long intervalNs, final boolean stale, final long bandwidthUpLastBps,
        final long bandwidthUpAvgBps, final long bandwidthDownLastBps, final long bandwidthDownAvgBps,
        final long bandwidthTests, final boolean monitorBandwidth, final int packetSize,
        final long verificationErrors, final long udpLost, final long udpOutOfOrder, final long udpReorderMax,
        final long udpDuplicate, final long udpRetransmitted, final long udpJitterNs, final long udpLostIncoming,
        final long tcpRetransmissions, final long tcpSrttNs, final long tcpCwndBytes, final long tcpRttVarNs,
        final long tcpPmtuBytes, final FailureReason lastFailure, final String lastError, final long nextRetryInNs)
    {
        this(key, side, protocol, localHost, localPort, peerHost, peerPort, peerName, state, uptimeNs, retries,
            connectFailures, packetsSent, packetsReceived, bytesSent, bytesReceived, latencyLastNs, latencyMinNs,
            latencyP50Ns, latencyP90Ns, latencyP99Ns, latencyMaxNs, latencySamples, latencyLoadedP50Ns,
            latencyLoadedP90Ns, latencyLoadedP99Ns, latencyLoadedMaxNs, latencyLoadedSamples, probesAnswered,
            intervalSentBps, intervalReceivedBps, intervalNs, stale, bandwidthUpLastBps, bandwidthUpAvgBps,
            bandwidthDownLastBps, bandwidthDownAvgBps, bandwidthTests, monitorBandwidth, packetSize,
            verificationErrors, udpLost, udpOutOfOrder, udpReorderMax, udpDuplicate, udpRetransmitted, udpJitterNs,
            udpLostIncoming, tcpRetransmissions, tcpSrttNs, tcpCwndBytes, tcpRttVarNs, tcpPmtuBytes, lastFailure,
            lastError, nextRetryInNs, PathView.UNKNOWN);
    }

    /**
     * This row (an outgoing peer in state {@link ConnectionState#COVERED}) with the figures of {@code carrier}, the
     * peer's own connection that carries the pair: uptime, packets, bytes, latency, bandwidth, verification and
     * transport figures come from it, so the row shows the pair's health instead of a parked connector's zeros.
     * The row keeps its identity (key, side, protocol, configured peer address), its state, retries, failures and
     * why it is covered; the local address is the carrier's and the peer's name the carrier's when not yet known.
     */
    public ConnectionSnapshot withFiguresOf(final ConnectionSnapshot carrier)
    {
        return new ConnectionSnapshot(key, side, protocol, carrier.localHost, carrier.localPort, peerHost, peerPort,
            peerName != null ? peerName : carrier.peerName, state, carrier.uptimeNs, retries, connectFailures,
            carrier.packetsSent, carrier.packetsReceived, carrier.bytesSent, carrier.bytesReceived,
            carrier.latencyLastNs, carrier.latencyMinNs, carrier.latencyP50Ns, carrier.latencyP90Ns,
            carrier.latencyP99Ns, carrier.latencyMaxNs, carrier.latencySamples, carrier.latencyLoadedP50Ns,
            carrier.latencyLoadedP90Ns, carrier.latencyLoadedP99Ns, carrier.latencyLoadedMaxNs,
            carrier.latencyLoadedSamples, carrier.probesAnswered, carrier.intervalSentBps, carrier.intervalReceivedBps,
            carrier.intervalNs, carrier.stale, carrier.bandwidthUpLastBps, carrier.bandwidthUpAvgBps,
            carrier.bandwidthDownLastBps, carrier.bandwidthDownAvgBps, carrier.bandwidthTests,
            carrier.monitorBandwidth, carrier.packetSize, carrier.verificationErrors, carrier.udpLost,
            carrier.udpOutOfOrder, carrier.udpReorderMax, carrier.udpDuplicate, carrier.udpRetransmitted, carrier.udpJitterNs,
            carrier.udpLostIncoming, carrier.tcpRetransmissions, carrier.tcpSrttNs, carrier.tcpCwndBytes, carrier.tcpRttVarNs,
            carrier.tcpPmtuBytes,
            lastFailure, lastError, nextRetryInNs, carrier.path);
    }
}
