package org.borderwatch.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import org.borderwatch.cli.Main;
import org.junit.jupiter.api.Test;

class ChaosCommandTest {

    @Test
    void shouldRefuseWithExitCode2WhenScenarioIsNotOneToSeven() {
        final StringWriter err = new StringWriter();
        final int exit = Main.commandLine(new Main()).setErr(new PrintWriter(err, true))
                .execute("chaos", "--scenario", "8");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--scenario must be 1 to 7, was 8");
    }

    @Test
    void shouldRefuseWithExitCode2WhenEventsAreTooFew() {
        final StringWriter err = new StringWriter();
        final int exit = Main.commandLine(new Main()).setErr(new PrintWriter(err, true))
                .execute("chaos", "--scenario", "1", "--events", "10");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--events must be at least 100");
    }

    @Test
    void shouldRefuseWithExitCode2WhenSecuredIsAskedOfAnotherScenarioThanTwo() {
        final StringWriter err = new StringWriter();
        final int exit = Main.commandLine(new Main()).setErr(new PrintWriter(err, true))
                .execute("chaos", "--secured", "--scenario", "2,3");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--secured runs scenario 2 only");
    }

    @Test
    void shouldPrintFailAndEveryProblemWhenAScenarioFoundProblems() {
        final Verdict verdict = new Verdict(3, "two of three brokers down", List.of("12 answered 503"),
                List.of("2 events acknowledged while two of three brokers were down"), Duration.ofSeconds(41));
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.text()).isEqualTo("chaos 3 FAIL two of three brokers down: 12 answered 503 (41 s)"
                + System.lineSeparator() + "  problem: 2 events acknowledged while two of three brokers were down");
    }

    @Test
    void shouldNumberTheScenariosOneToSevenInOrder() {
        assertThat(ChaosCommand.SCENARIOS).extracting(ChaosScenario::number).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }
}
