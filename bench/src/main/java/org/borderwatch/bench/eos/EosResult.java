package org.borderwatch.bench.eos;

import java.time.Duration;
import java.util.List;

/**
 * What an exactly-once run did and found. {@link #passed()} when nothing disagreed.
 *
 * @param inputRecords every record published to the input topics
 * @param problems every disagreement with the expected outcome; empty when the run passed
 */
public record EosResult(String applicationId, long inputRecords, int reports, int duplicates, int lateReports,
                        int poisonRecords, List<Kill> kills, int aggregatorStarts, long expectedKeys, long outputRecords,
                        long abortedOutputRecords, int lateEventsRead, int deadLettersRead, Duration elapsed,
                        List<String> problems) {

    /**
     * One SIGKILL.
     *
     * @param committed input records the group had committed when the process was killed
     * @param published input records on the topics at that moment
     */
    public record Kill(int number, long pid, Duration at, long committed, long published) {
    }

    public EosResult {
        kills = List.copyOf(kills);
        problems = List.copyOf(problems);
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    /** A readable account of the run, one fact per line. */
    public String summary() {
        final StringBuilder text = new StringBuilder();
        text.append("Exactly-once verification ").append(passed() ? "PASSED" : "FAILED")
                .append(" (application.id ").append(applicationId).append(", ").append(elapsed.toSeconds())
                .append(" s)\n");
        text.append(String.format("  input        %,d records: %,d reports to count once, %,d retried duplicates,"
                + " %,d late, %d poison%n", inputRecords, reports, duplicates, lateReports, poisonRecords));
        text.append(String.format("  aggregator   %d starts, %d SIGKILLs:%n", aggregatorStarts, kills.size()));
        for (final Kill kill : kills) {
            text.append(String.format("    kill %d at %5.1f s (pid %d): %,d of %,d published input records committed%n",
                    kill.number(), kill.at().toMillis() / 1000.0, kill.pid(), kill.committed(), kill.published()));
        }
        text.append(String.format("  aggregates   %,d keys expected; %,d committed output records read, %,d records of"
                + " aborted transactions skipped%n", expectedKeys, outputRecords, abortedOutputRecords));
        text.append(String.format("  late events  %d read for %d late reports%n", lateEventsRead, lateReports));
        text.append(String.format("  dead letters %d read for %d poison records%n", deadLettersRead, poisonRecords));
        problems.forEach(problem -> text.append("  PROBLEM ").append(problem).append('\n'));
        return text.toString();
    }
}
