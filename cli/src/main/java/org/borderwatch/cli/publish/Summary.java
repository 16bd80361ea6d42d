package org.borderwatch.cli.publish;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals of a publish and the lines that were not accepted, by their number in the file (chunks come back in any
 * order; the summary is printed in file order).
 */
final class Summary {

    private static final int SHOWN = 20;

    private long accepted;
    private final List<ChunkResult.Outcome> rejected = new ArrayList<>();
    private final List<Long> unknown = new ArrayList<>();
    private final List<Long> notSent = new ArrayList<>();
    private final Map<String, Integer> byRule = new TreeMap<>();

    void add(final ChunkResult result) {
        for (final ChunkResult.Outcome outcome : result.outcomes()) {
            switch (outcome.status()) {
                case ACCEPTED -> accepted++;
                case REJECTED -> {
                    rejected.add(outcome);
                    outcome.rules().forEach(rule -> byRule.merge(rule, 1, Integer::sum));
                }
                case UNKNOWN -> unknown.add(outcome.line());
                case NOT_SENT -> notSent.add(outcome.line());
            }
        }
    }

    void notSent(final List<EventFile.Line> lines) {
        lines.forEach(line -> notSent.add(line.number()));
    }

    long accepted() {
        return accepted;
    }

    /** Lines with an answer, for the progress bar. */
    long sent() {
        return accepted + rejected.size() + unknown.size();
    }

    long notAccepted() {
        return rejected.size() + unknown.size();
    }

    boolean allAccepted() {
        return rejected.isEmpty() && unknown.isEmpty() && notSent.isEmpty();
    }

    void print(final PrintStream out, final int total, final double seconds) {
        out.printf(Locale.ROOT, "%d lines: %d accepted, %d rejected, %d outcome unknown, %d not sent"
                        + " (%.1f s, %.0f lines/s)%n", total, accepted, rejected.size(), unknown.size(),
                notSent.size(), seconds, seconds > 0 ? total / seconds : 0.0);
        if (!byRule.isEmpty()) {
            out.println("Rejected by rule: " + byRule);
        }
        rejected.sort(Comparator.comparingLong(ChunkResult.Outcome::line));
        rejected.stream().limit(SHOWN).forEach(line -> out.println("  rejected line " + line.line() + ": "
                + line.reason()));
        if (rejected.size() > SHOWN) {
            out.println("  ... and " + (rejected.size() - SHOWN) + " more rejected lines");
        }
        if (!unknown.isEmpty()) {
            out.println("  outcome unknown: " + ranges(unknown) + " (Kafka did not confirm them; they may still be"
                    + " stored. Publish them again: the same eventId is counted once)");
        }
        if (!notSent.isEmpty()) {
            out.println("  not sent: " + ranges(notSent) + " (publish them again)");
        }
    }

    /** "lines 1-500, 1001, 1003-1010": line numbers in order, runs folded. */
    static String ranges(final List<Long> lines) {
        final List<Long> sorted = lines.stream().sorted().toList();
        final List<String> runs = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            runs.add(i == j ? sorted.get(i).toString() : sorted.get(i) + "-" + sorted.get(j));
            i = j + 1;
        }
        return (sorted.size() == 1 ? "line " : "lines ") + String.join(", ", runs);
    }
}
