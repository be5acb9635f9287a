package io.conntest.stack.tcp.cc;

/**
 * CUBIC (RFC 9438), the default: after a loss the window follows W_cubic(t) = C * (t - K)^3 + W_max, concave
 * up to the window where the loss happened and convex beyond it, never slower than Reno would be (the
 * Reno-friendly region). Slow start, recovery and timeouts are the shared RFC 5681 / RFC 6582 / RFC 6675
 * machinery of {@link AbstractCongestionControl}, with CUBIC's beta 0.7.
 *
 * <p>The RFC counts windows in segments; here they are bytes, so W_cubic becomes
 * {@code C * MSS * (t - K)^3 + W_max} and every other formula is unit free. Fractions of a byte of growth are
 * carried over between ACKs so that small windows still grow at the exact rate.
 */
public final class Cubic extends AbstractCongestionControl
{
    /** RFC 9438 §5 / §4.2: C = 0.4 (segments per second cubed). */
    public static final double C = 0.4;
    /** RFC 9438 §4.6: beta_cubic = 0.7. */
    public static final double BETA = 0.7;
    /** RFC 9438 §4.3 Figure 3: alpha_cubic = 3 * (1 - beta) / (1 + beta), about 0.53, so CUBIC's average
     *  window equals Reno's with its beta of 1/2. */
    public static final double ALPHA_RENO_FRIENDLY = 3.0 * (1.0 - BETA) / (1.0 + BETA);

    private static final double NS_PER_S = 1e9;

    private final boolean fastConvergence;

    /** W_max in bytes: the window before the last reduction (after fast convergence). */
    private double wMax;
    /** cwnd_prior (RFC 9438 §4.6): cwnd when ssthresh was last set, 0 before any loss. */
    private double cwndPrior;
    /** False before the first loss and after a timeout: the next epoch takes W_max = cwnd, K = 0. */
    private boolean wMaxValid;
    private boolean epochStarted;
    private long epochStartNs;
    /** K in seconds (RFC 9438 §4.2 Figure 2). */
    private double k;
    /** W_est in bytes (RFC 9438 §4.3). */
    private double wEst;
    private double alpha;
    /** Growth below one byte not yet applied to cwnd. */
    private double carry;

    /** CUBIC with fast convergence (RFC 9438 §4.7) and HyStart++ (RFC 9406, as RFC 9438 §4.10 suggests). */
    public Cubic()
    {
        this(true, true);
    }

    /**
     * @param fastConvergence RFC 9438 §4.7
     * @param hyStart         whether the initial slow start uses HyStart++ (RFC 9406)
     */
    public Cubic(final boolean fastConvergence, final boolean hyStart)
    {
        super(hyStart);
        this.fastConvergence = fastConvergence;
    }

    @Override
    public String name()
    {
        return "cubic";
    }

    @Override
    protected double beta()
    {
        return BETA;
    }

    @Override
    protected void onInit(final long nowNs)
    {
        wMax = 0;
        cwndPrior = 0;
        wMaxValid = false;
        epochStarted = false;
        k = 0;
        wEst = 0;
        alpha = ALPHA_RENO_FRIENDLY;
        carry = 0;
    }

    @Override
    protected void onLoss(final long nowNs)
    {
        // Called with cwnd still the window at the loss.
        final double window = cwnd;
        // RFC 9438 §4.7 fast convergence: a flow whose W_max shrinks releases bandwidth for new flows.
        if (fastConvergence && wMaxValid && window < wMax)
        {
            wMax = window * (1.0 + BETA) / 2.0;
        }
        else
        {
            wMax = window;
        }
        wMaxValid = true;
        // RFC 9438 §4.6: cwnd_prior = cwnd.
        cwndPrior = window;
        epochStarted = false;
        carry = 0;
    }

    @Override
    protected void onRecoveryEnd(final long nowNs)
    {
        // RFC 9438 §4.2: t counts from the start of the congestion avoidance stage, i.e. from now on.
        epochStarted = false;
    }

    @Override
    protected void onTimeout(final long nowNs)
    {
        // RFC 9438 §4.8: in the first congestion avoidance stage after a timeout, K = 0 and W_max is the window
        // at the beginning of that stage.
        wMaxValid = false;
        epochStarted = false;
        carry = 0;
    }

    @Override
    protected void onIdle(final long nowNs)
    {
        // RFC 9438 §5.8: an idle or application-limited period must not count in t, or the window would leap.
        epochStarted = false;
        carry = 0;
    }

    @Override
    protected void congestionAvoidance(final int ackedBytes, final long rttNs, final long nowNs)
    {
        if (!epochStarted)
        {
            startEpoch(nowNs);
        }
        final double t = (nowNs - epochStartNs) / NS_PER_S;
        final double w = cwnd;
        // RFC 9438 §4.3 Figure 4: W_est += alpha_cubic * segments_acked / cwnd (in segments; here bytes).
        wEst += alpha * ackedBytes * (double) mss / w;
        if (alpha < 1.0 && wEst >= cwndPrior)
        {
            // RFC 9438 §4.3: once W_est reaches cwnd_prior, alpha_cubic SHOULD be 1 (Reno's own slope).
            alpha = 1.0;
        }
        if (wCubic(t) < wEst)
        {
            // RFC 9438 §4.3: Reno-friendly region, cwnd SHOULD be set to W_est.
            if (wEst > w)
            {
                cwnd = (int) Math.min(MAX_CWND, wEst);
            }
            return;
        }
        // RFC 9438 §4.4 / §4.5 Figure 5: target = W_cubic(t + RTT) bounded to [cwnd, 1.5 * cwnd]; cwnd grows by
        // (target - cwnd) / cwnd per acknowledged segment.
        final double rttS = Math.max(0L, rttNs) / NS_PER_S;
        final double target = Math.min(1.5 * w, Math.max(w, wCubic(t + rttS)));
        final double growth = (target - w) * ackedBytes / w + carry;
        final long whole = (long) growth;
        carry = growth - whole;
        cwnd = (int) Math.min(MAX_CWND, cwnd + whole);
    }

    private void startEpoch(final long nowNs)
    {
        epochStarted = true;
        epochStartNs = nowNs;
        final double cwndEpoch = cwnd;
        if (!wMaxValid)
        {
            // RFC 9438 §4.8 (after a timeout) and §4.10 (slow start ended without a loss): K = 0 and W_max is the
            // window at the beginning of this congestion avoidance stage; §4.10 also sets cwnd_prior = cwnd.
            wMax = cwndEpoch;
            wMaxValid = true;
            if (cwndPrior <= 0)
            {
                cwndPrior = cwndEpoch;
            }
        }
        // RFC 9438 §4.2 Figure 2: K = cubic_root((W_max - cwnd_epoch) / C), so W_cubic(0) = cwnd_epoch. A window
        // already above W_max gives a negative K: the curve starts in its convex part.
        k = Math.cbrt((wMax - cwndEpoch) / (C * mss));
        // RFC 9438 §4.3: W_est = cwnd_epoch at the start of the stage.
        wEst = cwndEpoch;
        alpha = wEst >= cwndPrior ? 1.0 : ALPHA_RENO_FRIENDLY;
        carry = 0;
    }

    /** RFC 9438 §4.2 Figure 1, in bytes: W_cubic(t) = C * MSS * (t - K)^3 + W_max, t in seconds. */
    double wCubic(final double t)
    {
        final double d = t - k;
        return C * mss * d * d * d + wMax;
    }

    /** W_max in bytes (for tests and statistics). */
    public double wMax()
    {
        return wMax;
    }

    /** K in seconds of the current congestion avoidance stage (for tests and statistics). */
    public double k()
    {
        return k;
    }

    /** W_est in bytes (for tests and statistics). */
    public double wEst()
    {
        return wEst;
    }
}
