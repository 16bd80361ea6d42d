package org.borderwatch.cli.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every scenario gets: the size ({@code quick}: the CI version), a seed for its input, a directory for its
 * logs and state, and a stream for progress lines (stderr; the verdicts go to stdout). {@code events} and
 * {@code kills} size scenario 1 (0: its default); {@code secured} runs scenario 2 on SASL_SSL.
 */
record ChaosContext(boolean quick, boolean secured, long seed, Path workDir, PrintStream progress, int events,
                    int kills) {

    /** {@code workDir/<name>}, created. */
    Path dir(final String name) {
        try {
            return Files.createDirectories(workDir.resolve(name));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + workDir.resolve(name), e);
        }
    }

    void say(final String format, final Object... args) {
        progress.println("chaos: " + String.format(format, args));
        progress.flush();
    }
}
