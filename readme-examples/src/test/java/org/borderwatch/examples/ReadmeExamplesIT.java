package org.borderwatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every bash example of every README, run against a real stack ({@link ExampleStack}): each must exit 0 and print
 * what its README shows (comment lines after a command, expect clauses, the output block of a background stream).
 * Examples run in README order, one README after the other (the root README first), on one stack, as a reader
 * would run them; a background example runs while the README's next examples do and is checked after the last one.
 * Examples annotated "covered by" are run by the named test or file and only checked to exist.
 */
class ReadmeExamplesIT {

    private static Path root;
    private static ExampleStack stack;
    private static ExampleShell shell;

    @BeforeAll
    static void startStack() throws Exception {
        root = ReadmeExamples.repositoryRoot();
        final Path dir = Path.of(System.getProperty("borderwatch.examples.work-dir", "target/readme-examples"))
                .toAbsolutePath();
        Files.createDirectories(dir);
        final Path run = Files.createTempDirectory(dir, "run-");
        stack = new ExampleStack(root, run);
        shell = new ExampleShell(root, run, stack);
        awaitPastTheTurnOfTheHour();
    }

    /**
     * The demo surge (the root README) is five reports within the last two minutes of examples/tj-incidents.ndjson,
     * replayed to now, and the demo rule counts the current clock hour: in the first minutes of an hour some of them
     * would fall into the previous one, and once the hour turns the alert resolves (no incursion in the new hour).
     * The examples that follow it, to the alert service README's which act on that alert, ran within 5 minutes of the
     * first one (306 s in CI): they start at least {@link #INTO_THE_HOUR} into an hour with {@link #RUN_BUDGET} of it
     * left, else after waiting for the next hour (at most {@code RUN_BUDGET + INTO_THE_HOUR}, 10.5 minutes), so the
     * READMEs' figures hold. A run at 21:59 failed for want of this: its reports straddled 22:00 and never fired.
     */
    static final Duration INTO_THE_HOUR = Duration.ofSeconds(150);
    static final Duration RUN_BUDGET = Duration.ofMinutes(8);

    private static void awaitPastTheTurnOfTheHour() {
        final Duration wait = waitBeforeTheExamples(LocalTime.now(ZoneOffset.UTC));
        if (!wait.isZero()) {
            System.out.printf("README examples: waiting %s s so that the demo surge and what follows it fall into"
                    + " one clock hour%n", wait.toSeconds());
            final long until = System.nanoTime() + wait.toNanos();
            await("the demo surge's clock hour").atMost(wait.plusSeconds(5))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> System.nanoTime() >= until);
        }
    }

    /** How long to wait, at {@code now}, until the examples fit into one clock hour; zero if they fit already. */
    static Duration waitBeforeTheExamples(final LocalTime now) {
        final Duration intoHour = Duration.ofSeconds(now.toSecondOfDay() % 3600);
        final Duration hour = Duration.ofHours(1);
        if (intoHour.compareTo(INTO_THE_HOUR) < 0) {
            return INTO_THE_HOUR.minus(intoHour);
        }
        if (hour.minus(intoHour).compareTo(RUN_BUDGET) < 0) {
            return hour.minus(intoHour).plus(INTO_THE_HOUR);
        }
        return Duration.ZERO;
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> shouldRunEveryReadmeExampleWhenPastedIntoAShellNextToTheStack() {
        final ReadmeExamples readmes = new ReadmeExamples(ReadmeExamples.repositoryRoot());
        // -Dborderwatch.examples.only=README.md,cli/README.md runs those READMEs only (while writing one).
        final String only = System.getProperty("borderwatch.examples.only", "");
        return readmes.readmes().stream().filter(readme -> only.isBlank()
                || List.of(only.split(",")).contains(readme.toString())).map(readme -> {
            final List<Example> examples = readmes.examples(readme);
            final List<ExampleShell.Running> background = new ArrayList<>();
            final List<DynamicNode> tests = new ArrayList<>();
            for (final Example example : examples) {
                tests.add(DynamicTest.dynamicTest(example.name(), () -> run(example, background)));
            }
            tests.add(DynamicTest.dynamicTest(readme + ": background examples", () -> {
                for (final ExampleShell.Running running : background) {
                    ExampleShell.awaitShown(running);
                    for (final String expected : running.example().expected()) {
                        assertThat(running.shows(expected))
                                .as("%s (background) shows%n  %s%nbut it printed:%n%s",
                                        running.example().name(), expected, running.printed()).isTrue();
                    }
                }
            }));
            return DynamicContainer.dynamicContainer(readme.toString(), tests);
        });
    }

    private static void run(final Example example, final List<ExampleShell.Running> background) throws Exception {
        if (example.how().coveredBy() != null) {
            return;
        }
        if (example.how().background()) {
            final ExampleShell.Running running = shell.start(example);
            background.add(running);
            ExampleShell.awaitStarted(running);
            return;
        }
        final ExampleShell.Finished finished = shell.run(example);
        assertThat(finished.exitCode()).as("%s exit code (-1: did not end within %s s); it printed:%n%s",
                example.name(), example.how().withinSeconds(), finished.running().printed()).isZero();
        for (final String expected : example.expected()) {
            assertThat(finished.running().shows(expected))
                    .as("%s shows%n  %s%nbut it printed:%n%s", example.name(), expected, finished.running().printed())
                    .isTrue();
        }
    }
}
