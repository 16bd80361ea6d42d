package org.borderwatch.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.borderwatch.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code borderwatch chaos --quick} end to end in every {@code mvn verify}: all seven scenarios against the packaged
 * services, real brokers (one in-process, or three child processes), real SIGKILLs: the aggregator killed three
 * times (every aggregate equals the recomputed figure), partition leaders killed, two of three brokers and the only
 * broker down, poison records dead-lettered with their bytes, the alert service killed with webhook retries pending,
 * hostile input. The build points {@code borderwatch.home} at the repository. About 20 minutes on a 2-core machine
 * shared with other builds (cli/README.md).
 */
class ChaosCommandIT {

    @Test
    @Timeout(value = 45, unit = TimeUnit.MINUTES)
    void shouldPassEveryScenarioWhenRunQuick() {
        // Given the packaged services and a work directory in target/
        final Path home = Path.of(System.getProperty("borderwatch.home", ".."));
        final Path workDir = Path.of(System.getProperty("borderwatch.chaos-it.dir", "target/chaos-it"));
        final StringWriter out = new StringWriter();

        // When the quick suite runs
        final int exit = Main.commandLine(new Main()).setOut(new PrintWriter(out, true))
                .execute("chaos", "--quick", "--home", home.toString(), "--work-dir", workDir.toString());

        // Then every scenario printed a PASS verdict and the command exited 0
        final String verdicts = out.toString();
        IntStream.rangeClosed(1, ChaosCommand.SCENARIOS.size()).forEach(number ->
                assertThat(verdicts).as(verdicts).contains("chaos " + number + " PASS "));
        assertThat(verdicts).doesNotContain(" FAIL ").contains("chaos: 7 of 7 scenarios passed");
        assertThat(exit).isZero();
    }
}
