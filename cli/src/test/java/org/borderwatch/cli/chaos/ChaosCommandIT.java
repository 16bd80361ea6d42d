package org.borderwatch.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.borderwatch.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code borderwatch chaos --quick --scenario 1,5} end to end in every {@code mvn verify}: the aggregator SIGKILLed
 * three times during a run (every aggregate equals the recomputed figure: exactly-once) and poison records from a
 * foreign producer (the dead-letter topic holds exactly those, bytes intact). All seven: {@link ChaosAllScenariosIT}.
 */
class ChaosCommandIT {

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void shouldCountEveryEventOnceAndDeadLetterExactlyThePoisonWhenTheAggregatorIsKilled() {
        // Given the packaged services and a work directory in target/
        final Path home = Path.of(System.getProperty("borderwatch.home", ".."));
        final Path workDir = Path.of(System.getProperty("borderwatch.chaos-it.dir", "target/chaos-it"));
        final StringWriter out = new StringWriter();

        // When scenarios 1 and 5 run, quick
        final int exit = Main.commandLine(new Main()).setOut(new PrintWriter(out, true))
                .execute("chaos", "--quick", "--scenario", "1,5", "--home", home.toString(),
                        "--work-dir", workDir.resolve("kill-and-poison").toString());

        // Then both printed a PASS verdict and the command exited 0
        final String verdicts = out.toString();
        assertThat(verdicts).as(verdicts).contains("chaos 1 PASS ").contains("chaos 5 PASS ").doesNotContain(" FAIL ");
        assertThat(exit).isZero();
    }
}
