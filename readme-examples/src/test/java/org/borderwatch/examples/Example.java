package org.borderwatch.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One fenced {@code bash} block of a README and how to run it.
 *
 * @param readme     the README, relative to the repository root
 * @param line       the line of the opening fence (1-based), for messages
 * @param code       the block's text
 * @param how        the block's {@code <!-- example: ... -->} annotation ({@link How#RUN} when it has none)
 * @param expected   output the block must print: its comment lines right after a command, then {@code expect}
 *                   clauses; {@code …} or {@code ...} stands for any text
 */
record Example(Path readme, int line, String code, How how, List<String> expected) {

    /** What the annotation says. */
    record How(boolean background, int withinSeconds, String coveredBy, List<String[]> replacements,
               List<String> expect) {

        static final int DEFAULT_SECONDS = 120;
        static final How RUN = new How(false, DEFAULT_SECONDS, null, List.of(), List.of());
    }

    String name() {
        return readme + ":" + line;
    }

    /**
     * True when {@code output} holds {@code expected} in order, whitespace ignored, {@code …} or {@code ...}
     * matching anything.
     */
    static boolean shows(final String output, final String expected) {
        final String squeezed = output.replaceAll("\\s+", "");
        final StringBuilder regex = new StringBuilder("(?s).*");
        for (final String part : expected.replaceAll("\\s+", "").split("…|\\.\\.\\.", -1)) {
            regex.append(Pattern.quote(part)).append(".*");
        }
        return Pattern.compile(regex.toString()).matcher(squeezed).matches();
    }
}
