package org.borderwatch.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the JDK's {@code jcmd} against a JVM we started, e.g. to record only part of its life with JFR. */
public final class Jcmd {

    private static final long TIMEOUT_SECONDS = 30;

    private Jcmd() {
    }

    /** {@code jcmd <pid> <command...>}; its output, or an exception saying why it failed. */
    public static String run(final long pid, final String... command) {
        final List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        final Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(true).start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot run " + line, e);
        }
        try {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(line + " failed: " + output);
            }
            return output;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the output of " + line, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + line, e);
        } finally {
            process.destroyForcibly();
        }
    }
}
