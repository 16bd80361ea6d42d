package org.borderwatch.cli.chaos;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.borderwatch.cli.CliException;
import org.borderwatch.launcher.Service;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code borderwatch chaos}: fault scenarios against the real services and real brokers, all child processes or
 * in-process brokers on 127.0.0.1 that this command starts and ends by handle. Each scenario prints one verdict
 * line; the exit code is 0 when every scenario passed, 1 otherwise, 2 on a wrong command line.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Fault scenarios against real processes on 127.0.0.1: kills, broker outages, poison records,"
                + " hostile requests. One verdict line (PASS/FAIL and the figures) per scenario; exit 1 if any"
                + " failed.",
            "Scenarios: 1 aggregator SIGKILLed 3x, 2 partition leader SIGKILLed 5x (3 brokers; --secured: on"
                + " SASL_SSL), 3 two of three brokers down, 4 the broker down 60 s, 5 poison records, 6 alert service"
                + " SIGKILLed with webhook retries pending, 7 hostile input."})
public final class ChaosCommand implements Callable<Integer> {

    static final List<ChaosScenario> SCENARIOS = List.of(new AggregatorKills(), new LeaderKills(),
            new MinorityCluster(), new BrokerOutage(), new PoisonRecords(), new AlertKill(), new HostileInput());

    @Option(names = "--quick", description = "The short version (CI): fewer events, shorter outages")
    boolean quick;

    @Option(names = "--scenario", paramLabel = "N", split = ",",
            description = "Run only these scenarios (1-7, repeatable or comma-separated; default: all)")
    List<Integer> only = new ArrayList<>();

    @Option(names = "--secured", description = "Scenario 2 on the deployment's security: SASL_SSL brokers, SCRAM"
            + " users and ACLs, every service as its own principal (only with --scenario 2)")
    boolean secured;

    @Option(names = "--events", paramLabel = "N",
            description = "Reports of scenario 1 (default 200000, quick 10000)")
    int events;

    @Option(names = "--kills", paramLabel = "K", defaultValue = "3",
            description = "SIGKILLs of the aggregator in scenario 1 (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--seed", description = "Seed of the generated input (default: the clock)")
    Long seed;

    @Option(names = "--home", defaultValue = "${env:BORDERWATCH_HOME:-.}",
            description = "The repository root with the packaged services (default: ${DEFAULT-VALUE})")
    Path home;

    @Option(names = "--work-dir", description = "Logs and state of the run (default: <home>/.borderwatch/chaos/<time>)")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final List<ChaosScenario> chosen = chosen();
        if (events < 0 || (events > 0 && events < 100) || kills < 0) {
            throw new CliException(2, "--events must be at least 100 and --kills at least 0");
        }
        if (secured && chosen.stream().anyMatch(scenario -> !(scenario instanceof LeaderKills))) {
            throw new CliException(2, "--secured runs scenario 2 only (the others run on plaintext brokers); add"
                    + " --scenario 2");
        }
        final Path root = home.toAbsolutePath().normalize();
        // The bench's helpers find each service's packaged target/ through these properties.
        for (final Service service : Service.values()) {
            if (System.getProperty(service.homeProperty()) == null) {
                System.setProperty(service.homeProperty(), service.home(root).toString());
            }
        }
        final Path dir = workDir != null ? workDir : root.resolve(".borderwatch").resolve("chaos")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                        .format(Instant.now()));
        final long runSeed = seed != null ? seed : System.currentTimeMillis();
        final PrintWriter out = spec.commandLine().getOut();
        final ChaosContext context = new ChaosContext(quick, secured, runSeed, dir.toAbsolutePath(), System.err,
                events, kills);
        context.say("%s%s run of %d scenario(s), seed %d, logs in %s", quick ? "quick" : "full",
                secured ? " SASL_SSL" : "", chosen.size(), runSeed, context.workDir());
        int failed = 0;
        for (final ChaosScenario scenario : chosen) {
            final Verdict verdict = run(scenario, context);
            out.println(verdict.text());
            out.flush();
            if (!verdict.passed()) {
                failed++;
            }
        }
        out.printf("chaos: %d of %d scenarios passed%n", chosen.size() - failed, chosen.size());
        return failed == 0 ? 0 : 1;
    }

    private List<ChaosScenario> chosen() {
        if (only.isEmpty()) {
            return SCENARIOS;
        }
        final List<ChaosScenario> chosen = new ArrayList<>();
        for (final int number : only) {
            if (number < 1 || number > SCENARIOS.size()) {
                throw new CliException(2, "--scenario must be 1 to " + SCENARIOS.size() + ", was " + number);
            }
            chosen.add(SCENARIOS.get(number - 1));
        }
        return chosen;
    }

    private static Verdict run(final ChaosScenario scenario, final ChaosContext context) {
        context.say("scenario %d: %s", scenario.number(), scenario.title());
        final long start = System.nanoTime();
        final Findings findings = new Findings();
        try {
            scenario.run(context, findings);
        } catch (final Exception | AssertionError e) {
            findings.problem("the scenario could not finish: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
            if (System.getenv("BORDERWATCH_DEBUG") != null) {
                e.printStackTrace(context.progress());
            }
        }
        return new Verdict(scenario.number(), scenario.title(), findings.figures(), findings.problems(),
                Duration.ofNanos(System.nanoTime() - start));
    }
}
