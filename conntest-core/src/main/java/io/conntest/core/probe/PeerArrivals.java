package io.conntest.core.probe;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.natprobe.NatProbe;

/**
 * After a scan: asks a conntest UDP listener on the probed host which of the probes that got no answer arrived there
 * (arrivals requests, {@link NatProbe#KIND_ARRIVALS}, up to {@value NatProbe#MAX_ARRIVAL_PORTS} ports each, from the
 * prober's own position so the peer reports about the address the probes came from), and marks each result with the
 * {@link PeerArrival}. Three tries per request; one request at a time, so the listener's rate bound is never in the
 * way for a scan of a few hundred ports.
 */
public final class PeerArrivals
{
    static final int TRIES = 3;

    private final PortProber prober;
    private final InetAddress host;
    private final int peerPort;
    private final long timeoutNs;

    /**
     * @param prober   the scan's prober: the question leaves from its position
     * @param peerPort the UDP port of the conntest listener on {@code host}
     * @param timeoutNs how long to wait for each answer
     */
    public PeerArrivals(final PortProber prober, final InetAddress host, final int peerPort, final long timeoutNs)
    {
        this.prober = prober;
        this.host = host;
        this.peerPort = peerPort;
        this.timeoutNs = timeoutNs;
    }

    /** Whether the peer should be asked about this result: a probe that got no answer at all. */
    static boolean unanswered(final ProbeResult r)
    {
        return r.reason() == ProbeReason.NO_RESPONSE
            && (r.state() == PortState.FILTERED || r.state() == PortState.OPEN_FILTERED);
    }

    /** The results, those that got no answer marked with what the peer said (in the same order). */
    public List<ProbeResult> confirm(final List<ProbeResult> results)
    {
        final List<ProbeResult> out = new ArrayList<>(results);
        for (final ProbeProtocol protocol : ProbeProtocol.values())
        {
            int i = 0;
            while (i < out.size())
            {
                final ProbeResult first = out.get(i);
                if (first.protocol() != protocol || !unanswered(first) || first.peerArrival() != null)
                {
                    i++;
                    continue;
                }
                askAbout(out, protocol, first.port());
                i++;
            }
        }
        return out;
    }

    /** One request for the block of ports from {@code firstPort}; marks every unanswered result in it. */
    private void askAbout(final List<ProbeResult> out, final ProbeProtocol protocol, final int firstPort)
    {
        final int count = Math.min(NatProbe.MAX_ARRIVAL_PORTS, 0x10000 - firstPort);
        final int protocolNumber = protocol == ProbeProtocol.TCP ? 6 : 17;
        final byte[] request = new byte[NatProbe.LENGTH + NatProbe.bitmapBytes(NatProbe.MAX_ARRIVAL_PORTS)];
        final byte[] answer = new byte[512];
        final long token = ThreadLocalRandom.current().nextLong();
        final int length = NatProbe.writeArrivalsRequest(new UnsafeBuffer(request), 0, token, protocolNumber,
            firstPort, count);
        UnsafeBuffer reply = null;
        boolean unsupported = false;
        for (int t = 0; t < TRIES && reply == null && !unsupported; t++)
        {
            final int n = prober.exchange(host, peerPort, request, length, answer, timeoutNs);
            unsupported = n == -2;
            if (n > 0)
            {
                final UnsafeBuffer b = new UnsafeBuffer(answer, 0, n);
                if (NatProbe.check(b, 0, n) == NatProbe.ANSWER
                    && NatProbe.kind(b, 0) == (NatProbe.KIND_ARRIVALS | NatProbe.ANSWER_BIT)
                    && NatProbe.token(b, 0) == token && NatProbe.arrivalsFirstPort(b, 0) == firstPort
                    && NatProbe.arrivalsPortCount(b, 0) == count)
                {
                    reply = b;
                }
            }
        }
        for (int i = 0; i < out.size(); i++)
        {
            final ProbeResult r = out.get(i);
            if (r.protocol() != protocol || !unanswered(r) || r.port() < firstPort || r.port() >= firstPort + count)
            {
                continue;
            }
            final PeerArrival arrival;
            if (reply == null)
            {
                arrival = PeerArrival.NO_ANSWER;
            }
            else if ((NatProbe.flags(reply, 0) & NatProbe.FLAG_CANNOT_TELL) != 0)
            {
                arrival = PeerArrival.CANNOT_TELL;
            }
            else
            {
                arrival = NatProbe.arrived(reply, 0, r.port() - firstPort) ? PeerArrival.ARRIVED
                    : PeerArrival.NOT_SEEN;
            }
            out.set(i, r.withPeerArrival(arrival));
        }
    }
}
