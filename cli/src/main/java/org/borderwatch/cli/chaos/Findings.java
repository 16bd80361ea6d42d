package org.borderwatch.cli.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario measured (figures, printed on its verdict line) and every way the system let it down
 * (problems: any one fails the scenario). A scenario that ends with an exception fails with its message.
 */
final class Findings {

    private final List<String> figures = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** A figure for the verdict line, e.g. {@code figure("%,d events accepted", n)}. */
    void figure(final String format, final Object... args) {
        figures.add(String.format(format, args));
    }

    /** Records {@code problem} unless {@code ok}. */
    void check(final boolean ok, final String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    void problem(final String problem) {
        problems.add(problem);
    }

    List<String> figures() {
        return List.copyOf(figures);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }
}
