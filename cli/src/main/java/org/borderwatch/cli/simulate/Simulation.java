package org.borderwatch.cli.simulate;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs a {@link Timeline} against the ingest API in wall-clock time: every report is sent when it is due, with the
 * key of its agency, through {@link Publisher}; reports due together go in one batch per agency. Says in words what
 * is happening: when a surge starts and ends, and every {@value #PROGRESS_SECONDS} seconds how many reports went
 * out.
 */
public final class Simulation {

    /** What a run did. */
    public record Totals(long sent, long incidents, long seizures, long late, long duplicates, long rejected) {
    }

    private static final int MAX_BATCH = 500;
    private static final long PROGRESS_SECONDS = 30;
    private static final long MAX_PAUSE_MILLIS = 500;

    private final Timeline timeline;
    private final Map<String, String> keys;
    private final Publisher publisher;
    private final PrintStream out;
    private final Map<String, Integer> surgeSent = new HashMap<>();
    private long sent;
    private long incidents;
    private long seizures;
    private long late;
    private long duplicates;
    private long rejected;
    private int rejectionsShown;

    /**
     * @param keys        principal name → API key, for every agency of the scenario
     * @param giveUpAfter how long ingest may stay unavailable before the run stops
     */
    public Simulation(final Timeline timeline, final Map<String, String> keys, final String ingestUrl,
                      final Duration giveUpAfter, final PrintStream out) {
        this.timeline = timeline;
        this.keys = Map.copyOf(keys);
        this.out = out;
        this.publisher = new Publisher(ingestUrl, giveUpAfter, this::say);
    }

    /**
     * Publishes until the timeline ends or {@code stop} says so.
     *
     * @throws Publisher.FatalException when the API refuses a key or stays unavailable past the give-up time
     */
    public Totals run(final BooleanSupplier stop) throws Publisher.FatalException, InterruptedException {
        Instant nextProgress = Instant.now().plusSeconds(PROGRESS_SECONDS);
        while (!stop.getAsBoolean() && timeline.hasNext()) {
            final Instant now = Instant.now();
            if (!now.isBefore(nextProgress)) {
                say(progress());
                nextProgress = now.plusSeconds(PROGRESS_SECONDS);
            }
            final Instant due = timeline.peek().due();
            if (due.isAfter(now)) {
                Thread.sleep(Math.min(MAX_PAUSE_MILLIS, Duration.between(now, due).toMillis() + 1));
                continue;
            }
            publishDue(now);
        }
        say(progress());
        return totals();
    }

    public Totals totals() {
        return new Totals(sent, incidents, seizures, late, duplicates, rejected);
    }

    private void publishDue(final Instant now) throws Publisher.FatalException, InterruptedException {
        final Map<String, List<Timeline.Report>> byAgency = new LinkedHashMap<>();
        int taken = 0;
        while (taken < MAX_BATCH && timeline.hasNext() && !timeline.peek().due().isAfter(now)) {
            final Timeline.Report report = timeline.next();
            byAgency.computeIfAbsent(report.principal(), principal -> new ArrayList<>()).add(report);
            taken++;
        }
        for (final Map.Entry<String, List<Timeline.Report>> entry : byAgency.entrySet()) {
            final List<Timeline.Report> reports = entry.getValue();
            reports.stream().filter(report -> report.origin() == Timeline.Origin.SURGE).forEach(this::surgeStarting);
            final Publisher.Outcome outcome = publisher.publish(entry.getKey(), keys.get(entry.getKey()),
                    reports.stream().map(Timeline.Report::ndjson).toList());
            for (final Timeline.Report report : reports) {
                sent++;
                if ("incident".equals(report.type())) {
                    incidents++;
                } else {
                    seizures++;
                }
                late += report.late() && report.origin() != Timeline.Origin.DUPLICATE ? 1 : 0;
                duplicates += report.origin() == Timeline.Origin.DUPLICATE ? 1 : 0;
                if (report.origin() == Timeline.Origin.SURGE) {
                    surgeSent(report);
                }
            }
            rejected += outcome.rejections().size();
            for (final String rejection : outcome.rejections()) {
                if (rejectionsShown++ < 5) {
                    say("ingest rejected a report of " + entry.getKey() + ": " + rejection);
                }
            }
        }
    }

    private void surgeStarting(final Timeline.Report report) {
        final String id = report.surge().name() + "#" + report.cycle();
        if (!surgeSent.containsKey(id)) {
            surgeSent.put(id, 0);
            final Scenario.Surge surge = report.surge();
            say("surge: " + surge.name() + " - " + surge.count() + " " + report.type() + " reports in "
                    + String.join(", ", surge.regions()) + " over "
                    + Scenario.duration(surge.duration(), "duration").toSeconds() + " s of scenario time");
        }
    }

    private void surgeSent(final Timeline.Report report) {
        final String id = report.surge().name() + "#" + report.cycle();
        final int count = surgeSent.merge(id, 1, Integer::sum);
        if (count == report.surge().count()) {
            say("surge over: " + report.surge().name() + " (" + count + " reports); its alerts resolve once the"
                    + " rules' windows no longer hold them");
        }
    }

    private String progress() {
        return sent + " reports sent: " + incidents + " incidents, " + seizures + " seizures (" + late + " late, "
                + duplicates + " duplicates); " + rejected + " rejected";
    }

    private void say(final String line) {
        out.println(LocalTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS) + "  " + line);
    }
}
