package org.borderwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

/** {@code bench latency} refuses a wrong command line with exit code 2 and says why, before it starts anything. */
class AlertLatencyBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"9", "-1", "2147483648", "two", ""})
    void refusesCpuHogsOutsideZeroToEight(final String value) {
        final StringWriter err = new StringWriter();
        final int exit = run(err, "--cpu-hogs", value);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--cpu-hogs");
    }

    @Test
    void refusesTooManyProbes() {
        final StringWriter err = new StringWriter();
        assertThat(run(err, "--alerts", "300")).isEqualTo(2);
    }

    private static int run(final StringWriter err, final String... args) {
        final CommandLine command = new CommandLine(new AlertLatencyBenchmark());
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}
