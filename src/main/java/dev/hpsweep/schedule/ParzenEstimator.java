package dev.hpsweep.schedule;

import dev.hpsweep.space.SplitMix64;

/**
 * A one-dimensional Parzen (kernel density) estimator over a bounded interval, as TPE builds one
 * per parameter for the good and the bad trials: a mixture of normal kernels truncated to [low,
 * high], one centred on each observation, plus a prior kernel centred on the interval with its
 * width, so that an estimator from few points still covers the whole range.
 *
 * <p>Kernel widths follow Optuna's univariate TPE: each observation's width is the larger gap to
 * its neighbours (the interval's ends bound the outermost ones), clipped to [(high - low) /
 * min(100, 1 + number of kernels), high - low]. All math uses {@link StrictMath}, so proposals are
 * bit-identical on every JVM, which a resume on another machine relies on.
 */
final class ParzenEstimator {
    private static final double PRIOR_WEIGHT = 1.0;

    private final double low;
    private final double high;
    private final double[] mus;
    private final double[] sigmas;
    private final double[] weights;
    /** Probability mass of each truncated kernel inside [low, high]. */
    private final double[] mass;

    /** @param observations values in [low, high]; may be empty (then only the prior remains) */
    ParzenEstimator(double[] observations, double low, double high) {
        if (!(low < high)) {
            throw new IllegalArgumentException("low < high must hold, but got low=" + low + ", high=" + high);
        }
        this.low = low;
        this.high = high;
        int n = observations.length + 1;
        double[] sorted = new double[n];
        System.arraycopy(observations, 0, sorted, 0, observations.length);
        sorted[n - 1] = (low + high) / 2;
        java.util.Arrays.sort(sorted);
        mus = sorted;
        sigmas = new double[n];
        weights = new double[n];
        mass = new double[n];
        double range = high - low;
        double minSigma = range / Math.min(100.0, 1.0 + n);
        boolean priorPlaced = false;
        for (int i = 0; i < n; i++) {
            double left = mus[i] - (i == 0 ? low : mus[i - 1]);
            double right = (i == n - 1 ? high : mus[i + 1]) - mus[i];
            double sigma = Math.max(left, right);
            // The prior is the one kernel at the centre that is as wide as the interval.
            if (!priorPlaced && mus[i] == (low + high) / 2) {
                sigma = range;
                priorPlaced = true;
                weights[i] = PRIOR_WEIGHT;
            } else {
                weights[i] = 1.0;
            }
            sigmas[i] = Math.min(range, Math.max(minSigma, sigma));
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        for (int i = 0; i < n; i++) {
            weights[i] /= total;
            mass[i] = Math.max(1e-300, phi((high - mus[i]) / sigmas[i]) - phi((low - mus[i]) / sigmas[i]));
        }
    }

    /** A draw from the mixture: a kernel by weight, then a point from it inside [low, high]. */
    double sample(SplitMix64 rng) {
        double u = rng.nextDouble();
        int k = 0;
        double acc = weights[0];
        while (u >= acc && k < weights.length - 1) {
            acc += weights[++k];
        }
        // Rejection from the untruncated normal: every kernel's centre is in the interval and its
        // width at most the interval, so at least a third of the draws land inside.
        for (int attempt = 0; attempt < 64; attempt++) {
            double x = mus[k] + sigmas[k] * gaussian(rng);
            if (x >= low && x <= high) {
                return x;
            }
        }
        return Math.max(low, Math.min(high, mus[k]));
    }

    /** Log of the mixture's density at {@code x}. */
    double logDensity(double x) {
        double p = 0;
        for (int i = 0; i < mus.length; i++) {
            double z = (x - mus[i]) / sigmas[i];
            p += weights[i] * StrictMath.exp(-0.5 * z * z) / (sigmas[i] * Math.sqrt(2 * Math.PI) * mass[i]);
        }
        return StrictMath.log(Math.max(p, 1e-300));
    }

    /** Log of the mixture's probability mass on [a, b] (an integer parameter's cell). */
    double logMass(double a, double b) {
        double p = 0;
        for (int i = 0; i < mus.length; i++) {
            p += weights[i] * (phi((b - mus[i]) / sigmas[i]) - phi((a - mus[i]) / sigmas[i])) / mass[i];
        }
        return StrictMath.log(Math.max(p, 1e-300));
    }

    /** Standard normal by Box-Muller (one of the pair; the other is dropped to keep the stream simple). */
    static double gaussian(SplitMix64 rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** The standard normal CDF. */
    static double phi(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /**
     * The complementary error function by the Chebyshev fit of Numerical Recipes (fractional error
     * below 1.2e-7 everywhere), which is plenty for ranking candidates.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * StrictMath.exp(poly);
        return x >= 0 ? r : 2.0 - r;
    }
}
