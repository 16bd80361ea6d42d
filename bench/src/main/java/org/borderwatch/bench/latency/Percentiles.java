package org.borderwatch.bench.latency;

/** Percentiles of latencies, the one definition every figure of the bench uses. */
public final class Percentiles {

    private Percentiles() {
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it; NaN when empty. */
    public static double of(final double[] sorted, final double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        final int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
