package org.borderwatch.cli.chaos;

import java.time.Duration;
import java.util.List;

/** One scenario's outcome: one line, PASS or FAIL with its figures, then one line per problem. */
record Verdict(int number, String title, List<String> figures, List<String> problems, Duration elapsed) {

    Verdict {
        figures = List.copyOf(figures);
        problems = List.copyOf(problems);
    }

    boolean passed() {
        return problems.isEmpty();
    }

    /** {@code chaos 4 PASS broker down 60 s, ...: figure; figure (71 s)} and the problems below it. */
    String text() {
        final StringBuilder text = new StringBuilder();
        text.append("chaos ").append(number).append(' ').append(passed() ? "PASS" : "FAIL").append(' ')
                .append(title).append(": ").append(String.join("; ", figures)).append(" (")
                .append(elapsed.toSeconds()).append(" s)");
        problems.forEach(problem -> text.append(System.lineSeparator()).append("  problem: ").append(problem));
        return text.toString();
    }
}
