package org.borderwatch.cli.simulate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.borderwatch.cli.dev.DemoCredentials;
import org.borderwatch.cli.http.ApiClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code borderwatch simulate}: publishes a scenario's reports through the ingest API with each agency's own key,
 * in (sped-up) real time, until its duration ends or Ctrl-C. See {@link Scenario} for the file format and
 * {@link Timeline} for what "the same seed, the same events" means.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Publish a realistic scenario (background reports and scripted surges) through the ingest API.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario file, YAML or JSON (default: the built-in one; format in the README)")
    Path scenarioFile;

    @Option(names = "--seed", description = "Random seed: the same seed gives the same reports (default: random, printed)")
    Long seed;

    @Option(names = "--rate", description = "Background reports per scenario minute: 6/min, 0.5/s or 6 (default: the scenario's)")
    String rate;

    @Option(names = "--speed-up", defaultValue = "1", description = "Scenario minutes per wall-clock minute (default: ${DEFAULT-VALUE})")
    double speedUp;

    @Option(names = "--duration", description = "How long to run (wall clock): PT10M, 10m, 90s, 2h (default: until Ctrl-C)")
    String duration;

    @Option(names = "--url", defaultValue = "${env:BORDERWATCH_INGEST_URL:-http://127.0.0.1:8081}",
            description = "Ingest API base URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--keys", paramLabel = "FILE", description = "The agencies' keys as NAME_KEY=... lines, e.g."
            + " .borderwatch/demo-keys.env (default: that file; a variable set in the environment wins)")
    Path keysFile;

    @Option(names = "--home", defaultValue = "${env:BORDERWATCH_HOME:-.}", description = "Repository root (set by ./borderwatch)")
    Path home;

    @Option(names = "--give-up-after", defaultValue = "PT5M",
            description = "Stop when ingest stays unavailable this long (default: ${DEFAULT-VALUE})")
    String giveUpAfter;

    @Option(names = "--dry-run", description = "Print the reports as NDJSON (the format of `publish`) instead of sending them; needs --duration")
    boolean dryRun;

    @Option(names = "--start", description = "With --dry-run: the instant the scenario starts at (default: now)")
    Instant start;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        final Scenario scenario;
        final Duration length;
        final Duration patience;
        final double perMinute;
        try {
            scenario = scenarioFile == null ? Scenario.builtIn() : Scenario.read(scenarioFile);
            length = duration == null ? null : parseDuration(duration);
            patience = parseDuration(giveUpAfter);
            perMinute = Scenario.perMinute(rate != null ? rate : scenario.rate());
        } catch (final Scenario.InvalidScenarioException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (!(speedUp > 0) || perMinute < 0) {
            err.println("--speed-up must be greater than 0 and --rate not negative");
            return 2;
        }
        try {
            ApiClient.checkBaseUrl(url);
        } catch (final IllegalArgumentException e) {
            err.println("--url: " + e.getMessage());
            return 2;
        }
        if (start != null && !dryRun) {
            err.println("--start only goes with --dry-run: reports sent live happen now");
            return 2;
        }
        final long actualSeed = seed != null ? seed : new SecureRandom().nextLong();
        if (dryRun) {
            if (length == null) {
                err.println("--dry-run needs --duration");
                return 2;
            }
            final Timeline timeline = new Timeline(scenario, actualSeed, perMinute, speedUp,
                    start != null ? start : Instant.now(), length);
            timeline.forEachRemaining(report -> out.println(report.ndjson()));
            return 0;
        }
        final Map<String, String> keys;
        try {
            final Path file = keysFile != null ? keysFile : home.resolve(".borderwatch").resolve("demo-keys.env");
            final Map<String, String> variables = new HashMap<>(Files.isReadable(file) ? readEnvFile(file) : Map.of());
            variables.putAll(System.getenv());
            keys = keys(scenario, variables, "the environment and " + file);
        } catch (final IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        out.println("Simulating \"" + scenario.name() + "\" against " + url + ": seed " + actualSeed + " (--seed "
                + actualSeed + " repeats it), " + perMinute + " background reports per scenario minute, speed-up "
                + speedUp + ", " + (length == null ? "until Ctrl-C" : "for " + length.toString().substring(2).toLowerCase(Locale.ROOT)));
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread main = Thread.currentThread();
        final Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                main.join(5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "borderwatch-simulate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        final Simulation simulation = new Simulation(new Timeline(scenario, actualSeed, perMinute, speedUp,
                Instant.now(), length), keys, url, patience, out);
        try {
            final Simulation.Totals totals = simulation.run(stop::get);
            return totals.rejected() == 0 ? 0 : 3;
        } catch (final Publisher.FatalException e) {
            err.println("Simulation stopped: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The key of every agency principal of the scenario: the variable {@code <NAME>_KEY} (see
     * {@link DemoCredentials.DemoKey#variable(String)}) of {@code variables}; {@code where} names their sources in
     * the message when one is missing.
     */
    public static Map<String, String> keys(final Scenario scenario, final Map<String, String> variables,
                                           final String where) {
        final Map<String, String> keys = new HashMap<>();
        for (final Scenario.Agency agency : scenario.agencies()) {
            final String variable = DemoCredentials.DemoKey.variable(agency.principal());
            final String key = variables.get(variable);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("No key for " + agency.principal() + " (agency "
                        + agency.agencyId() + "): set " + variable + " or pass --keys FILE with a " + variable
                        + "=... line (./borderwatch dev writes them to .borderwatch/demo-keys.env); looked in "
                        + where);
            }
            keys.put(agency.principal(), key.strip());
        }
        return keys;
    }

    /** {@code NAME=value} and {@code export NAME=value} lines; {@code #} starts a comment. */
    static Map<String, String> readEnvFile(final Path file) {
        final Map<String, String> values = new LinkedHashMap<>();
        try {
            for (final String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring("export ".length()).strip();
                }
                final int equals = line.indexOf('=');
                if (equals > 0) {
                    values.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip()
                            .replaceAll("^['\"]|['\"]$", ""));
                }
            }
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot read keys file " + file + ": " + e.getMessage());
        }
        return values;
    }

    /** ISO-8601 ({@code PT10M}) or a number with {@code s}, {@code m} or {@code h}. */
    static Duration parseDuration(final String text) {
        final String value = text.strip();
        try {
            if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
                return Duration.parse(value);
            }
            final long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (final DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new Scenario.InvalidScenarioException("'" + text + "' is not a duration such as PT10M, 10m, 90s or 2h");
        }
    }
}
