package org.borderwatch.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.borderwatch.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code borderwatch chaos --quick} end to end against the packaged services, real brokers (one in-process, or three
 * child processes), real SIGKILLs. Every {@code mvn verify} runs scenarios 1 and 5 (about 4 minutes): the aggregator
 * killed three times (every aggregate equals the recomputed figure) and poison records dead-lettered with their
 * bytes. {@code -Dborderwatch.chaos-it.scenarios=all} runs all seven (about 16 minutes on a 2-core machine; cli
 * README): partition leaders killed, two of three brokers and the only broker down, the alert service killed with
 * webhook retries pending, hostile input. The build points {@code borderwatch.home} at the repository.
 */
class ChaosCommandIT {

    @Test
    @Timeout(value = 45, unit = TimeUnit.MINUTES)
    void shouldPassEveryScenarioWhenRunQuick() {
        // Given the packaged services, a work directory in target/ and the scenarios to run
        final Path home = Path.of(System.getProperty("borderwatch.home", ".."));
        final Path workDir = Path.of(System.getProperty("borderwatch.chaos-it.dir", "target/chaos-it"));
        final String scenarios = System.getProperty("borderwatch.chaos-it.scenarios", "1,5").strip();
        final List<Integer> numbers = "all".equals(scenarios)
                ? IntStream.rangeClosed(1, ChaosCommand.SCENARIOS.size()).boxed().toList()
                : Arrays.stream(scenarios.split(",")).map(String::strip).map(Integer::valueOf).toList();
        final List<String> arguments = new ArrayList<>(List.of("chaos", "--quick", "--home", home.toString(),
                "--work-dir", workDir.toString()));
        if (!"all".equals(scenarios)) {
            arguments.addAll(List.of("--scenario", scenarios));
        }
        final StringWriter out = new StringWriter();

        // When the quick suite runs
        final int exit = Main.commandLine(new Main()).setOut(new PrintWriter(out, true))
                .execute(arguments.toArray(String[]::new));

        // Then every scenario printed a PASS verdict and the command exited 0
        final String verdicts = out.toString();
        numbers.forEach(number -> assertThat(verdicts).as(verdicts).contains("chaos " + number + " PASS "));
        assertThat(verdicts).doesNotContain(" FAIL ")
                .contains("chaos: " + numbers.size() + " of " + numbers.size() + " scenarios passed");
        assertThat(exit).isZero();
    }
}
