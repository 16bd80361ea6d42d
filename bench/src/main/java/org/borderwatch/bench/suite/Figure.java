package org.borderwatch.bench.suite;

/**
 * One line of the bench table: a measured value, and where the issue sets one, its target as a ratio or a bound.
 *
 * @param id        stable key in the JSON report
 * @param value     the measurement, in {@code unit}
 * @param ratio     value over the same run's baseline named by {@code ratioTo}, or NaN when there is none
 * @param target    the target in words ({@code >= 0.5x raw producer}, {@code < 250 ms}), or empty
 * @param met       whether the target was met; null without a target
 */
public record Figure(String id, String group, String name, double value, String unit, double ratio, String ratioTo,
                     String target, Boolean met) {

    public static Figure of(final String id, final String group, final String name, final double value,
                            final String unit) {
        return new Figure(id, group, name, value, unit, Double.NaN, "", "", null);
    }

    /** With a ratio to a baseline of the same run, no target. */
    public Figure ratio(final double baseline, final String to) {
        return new Figure(id, group, name, value, unit, value / baseline, to, target, met);
    }

    /** A target on the ratio: at least {@code minimum} times the baseline. */
    public Figure ratioAtLeast(final double minimum) {
        return new Figure(id, group, name, value, unit, ratio, ratioTo,
                ">= " + minimum + "x " + ratioTo, ratio >= minimum);
    }

    /** A target on the value: at least {@code minimum}. */
    public Figure atLeast(final double minimum) {
        return new Figure(id, group, name, value, unit, ratio, ratioTo,
                String.format(java.util.Locale.ROOT, ">= %,.0f %s", minimum, unit), value >= minimum);
    }

    /** A target on the value: below {@code bound}. */
    public Figure below(final double bound) {
        return new Figure(id, group, name, value, unit, ratio, ratioTo,
                String.format(java.util.Locale.ROOT, "< %,.0f %s", bound, unit), value < bound);
    }

    /** Positive and finite: what the quick run's test asks of every figure. */
    public boolean present() {
        return Double.isFinite(value) && value > 0;
    }
}
